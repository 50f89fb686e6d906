/** Aggregate read queries: mention timelines, top entities and graph counts. */
import { ENTITY_TYPES, type EntityType, RELATION_TYPES } from '../graph/vocabulary.js';
import { type Reader, readRows } from './read.js';

export type Interval = 'day' | 'week' | 'month';

export interface TimelineRow {
  /** start of the bucket, ISO */
  start: string;
  articles: number;
  mentions: number;
}

export async function mentionTimeline(
  reader: Reader,
  id: string,
  interval: Interval,
  from: string | null,
  to: string | null,
): Promise<TimelineRow[]> {
  return readRows<TimelineRow>(
    reader,
    `MATCH (a:Article)-[m:MENTIONS]->(:Entity {id: $id})
     WHERE a.publishedAt IS NOT NULL
       AND ($from IS NULL OR a.publishedAt >= datetime($from)) AND ($to IS NULL OR a.publishedAt <= datetime($to))
     WITH datetime.truncate($unit, a.publishedAt) AS bucket, m
     WITH bucket, count(m) AS articles, sum(m.count) AS mentions
     ORDER BY bucket
     RETURN { start: toString(bucket), articles: articles, mentions: mentions } AS row`,
    { id, unit: interval, from, to },
  );
}

export interface TopEntityRow {
  entityId: string;
  articles: number;
  mentions: number;
}

export async function topEntities(
  reader: Reader,
  type: EntityType | null,
  from: string | null,
  to: string | null,
  limit: number,
): Promise<TopEntityRow[]> {
  return readRows<TopEntityRow>(
    reader,
    `MATCH (a:Article)-[m:MENTIONS]->(e:Entity)
     WHERE ($type IS NULL OR e.type = $type)
       AND ($from IS NULL OR a.publishedAt >= datetime($from)) AND ($to IS NULL OR a.publishedAt <= datetime($to))
     WITH e, count(a) AS articles, sum(m.count) AS mentions
     ORDER BY articles DESC, mentions DESC, e.id
     LIMIT $limit
     RETURN { entityId: e.id, articles: articles, mentions: mentions } AS row`,
    { type, from, to, limit },
  );
}

export const COUNTED_LABELS = ['Article', ...ENTITY_TYPES] as const;
export const COUNTED_EDGES = ['MENTIONS', ...RELATION_TYPES, 'WROTE', 'EDITED'] as const;

export interface GraphCountRow {
  kind: 'label' | 'edge';
  name: string;
  count: number;
}

/** Counts per label and relationship type (answered from Neo4j's count store). Names come from the fixed lists above. */
export async function graphCounts(reader: Reader): Promise<GraphCountRow[]> {
  const parts = [
    ...COUNTED_LABELS.map((l) => `MATCH (n:${l}) RETURN { kind: 'label', name: '${l}', count: count(n) } AS row`),
    ...COUNTED_EDGES.map((t) => `MATCH ()-[r:${t}]->() RETURN { kind: 'edge', name: '${t}', count: count(r) } AS row`),
  ];
  return readRows<GraphCountRow>(reader, parts.join('\nUNION ALL\n'), {});
}
