/**
 * The neighbourhood of an entity as a graph view: direct relations and the strongest
 * co-mentions, ring by ring up to `depth`, then the most recent articles about the centre,
 * never more than `limit` nodes. Strongest edges are taken first, so a cut keeps what matters.
 */
import type { ArticleMentionRow, NeighbourRow } from '../db/graph-read.js';
import type { RelationType } from '../graph/vocabulary.js';

export type GraphEdgeType = 'MENTIONS' | 'CO_MENTION' | RelationType;

export interface ViewNode {
  /** stored id: entity id or article id */
  key: string;
  kind: 'entity' | 'article';
}

export interface ViewEdge {
  source: string;
  target: string;
  type: GraphEdgeType;
  weight: number;
  label: string | null;
}

export interface NeighbourhoodSource {
  /** relations and the `perNode` strongest co-mentions of each entity (over all its articles) */
  neighbours(ids: string[], perNode: number): Promise<NeighbourRow[]>;
  recentArticles(id: string, limit: number): Promise<ArticleMentionRow[]>;
}

/** Articles shown around the centre: up to a fifth of the nodes and at most 10, so they never drown the entities. */
export const MAX_ARTICLE_NODES = 10;

export async function neighbourhood(
  source: NeighbourhoodSource,
  centre: string,
  depth: number,
  limit: number,
): Promise<{ nodes: ViewNode[]; edges: ViewEdge[] }> {
  const nodes = new Map<string, ViewNode>([[centre, { key: centre, kind: 'entity' }]]);
  const edges = new Map<string, ViewEdge>();
  const addEdge = (e: ViewEdge) => {
    const [a, b] = e.type === 'CO_MENTION' ? [e.source, e.target].sort() : [e.source, e.target];
    const id = `${e.type}:${a}->${b}`;
    if (!edges.has(id)) edges.set(id, e);
  };

  const articleSlots = Math.min(MAX_ARTICLE_NODES, Math.floor(limit / 5));
  const entityLimit = limit - articleSlots;
  let frontier = [centre];
  for (let ring = 1; ring <= depth && frontier.length; ring++) {
    const rows = await source.neighbours(frontier, entityLimit);
    rows.sort((x, y) => Number(x.type === 'CO_MENTION') - Number(y.type === 'CO_MENTION') || y.weight - x.weight);
    const next: string[] = [];
    for (const row of rows) {
      for (const id of [row.fromId, row.toId]) {
        if (!nodes.has(id) && nodes.size < entityLimit) {
          nodes.set(id, { key: id, kind: 'entity' });
          next.push(id);
        }
      }
      if (nodes.has(row.fromId) && nodes.has(row.toId)) {
        addEdge({ source: row.fromId, target: row.toId, type: row.type, weight: row.weight, label: row.label });
      }
    }
    frontier = next;
  }

  const room = limit - nodes.size;
  if (room > 0) {
    for (const m of await source.recentArticles(centre, room)) {
      nodes.set(m.articleId, { key: m.articleId, kind: 'article' });
      addEdge({ source: m.articleId, target: m.entityId, type: 'MENTIONS', weight: m.count, label: null });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
