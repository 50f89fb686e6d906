/**
 * A raw shortest path (entities and articles alternating with relationships) read as hops
 * between entities: an article in the middle means "mentioned together" (CO_MENTION).
 */
import type { RawPath } from '../db/graph-read.js';
import type { RelationType } from '../graph/vocabulary.js';

export type HopType = 'CO_MENTION' | RelationType;

export interface Hop {
  fromId: string;
  toId: string;
  type: HopType;
  /** for relations, the articles that reported them; for co-mentions, the article on the path */
  articleIds: string[];
}

export function hopsOf(path: RawPath): Hop[] {
  const hops: Hop[] = [];
  const { nodes, rels } = path;
  let i = 0;
  while (i < nodes.length - 1) {
    const here = nodes[i];
    const next = nodes[i + 1];
    if (!next.article) {
      const rel = rels[i];
      hops.push({
        fromId: here.id,
        toId: next.id,
        type: rel.type === 'MENTIONS' ? 'CO_MENTION' : rel.type,
        articleIds: rel.articleIds,
      });
      i += 1;
    } else {
      hops.push({ fromId: here.id, toId: nodes[i + 2].id, type: 'CO_MENTION', articleIds: [next.id] });
      i += 2;
    }
  }
  return hops;
}
