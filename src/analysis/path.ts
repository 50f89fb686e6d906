/**
 * A raw shortest path (entities joined by relationships) read as hops between entities:
 * a CO_MENTIONED row means "mentioned together" (CO_MENTION), with its recent shared articles.
 */
import type { RawPath } from '../db/graph-read.js';
import type { RelationType } from '../graph/vocabulary.js';

export type HopType = 'CO_MENTION' | RelationType;

export interface Hop {
  fromId: string;
  toId: string;
  type: HopType;
  /** for relations, the articles that reported them; for co-mentions, the most recent shared articles */
  articleIds: string[];
}

export function hopsOf(path: RawPath): Hop[] {
  return path.rels.map((rel, i) => ({
    fromId: path.nodes[i].id,
    toId: path.nodes[i + 1].id,
    type: rel.type === 'CO_MENTIONED' ? 'CO_MENTION' : rel.type,
    articleIds: rel.articleIds,
  }));
}
