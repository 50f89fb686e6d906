/** Read queries over the connections between entities: co-mentions, shortest paths, neighbours. */
import { type EntityType, RELATION_TYPES, type RelationType } from '../graph/vocabulary.js';

const RELATIONS = RELATION_TYPES.join('|');

import { type Reader, readRows } from './read.js';

export interface CoMentionRow {
  entityId: string;
  /** articles mentioning both */
  articles: number;
  /** mentions of the other entity in those articles */
  mentions: number;
  /** the most recent shared articles (at most 5) */
  articleIds: string[];
}

export interface CoMentionKey {
  id: string;
  type: EntityType | null;
  limit: number;
}

/**
 * Entities appearing in the same articles as each key's entity, by shared articles then mentions:
 * the entity's CO_MENTIONED edges (kept at ingest, db/derived-model.ts), so the read grows with the
 * number of co-mentioned entities, not with the articles behind them.
 */
export const CO_MENTIONS = `UNWIND range(0, size($keys) - 1) AS i
     WITH i, $keys[i] AS key
     CALL (key) {
       MATCH (e:Entity {id: key.id})-[r:CO_MENTIONED]-(o:Entity) USING INDEX e:Entity(id)
       WHERE key.type IS NULL OR o.type = key.type
       // the other entity's mentions: the pair is stored once, from the lower id
       WITH o, r.articles AS articles, CASE WHEN startNode(r) = o THEN r.fromMentions ELSE r.toMentions END AS mentions, r.recentArticleIds AS articleIds
       ORDER BY articles DESC, mentions DESC, o.id
       WITH key, collect({ entityId: o.id, articles: articles, mentions: mentions, articleIds: articleIds }) AS all
       RETURN all[0..key.limit] AS list
     }
     RETURN { i: i, list: list } AS row`;

export async function coMentionsOf(reader: Reader, keys: readonly CoMentionKey[]): Promise<CoMentionRow[][]> {
  const rows = await readRows<{ i: number; list: CoMentionRow[] }>(reader, CO_MENTIONS, { keys });
  const byIndex = new Map(rows.map((r) => [Number(r.i), r.list]));
  return keys.map((_, i) => byIndex.get(i) ?? []);
}

export interface RawPath {
  nodes: { id: string; article: boolean }[];
  rels: { type: RelationType | 'MENTIONS'; from: string; to: string; articleIds: string[] }[];
}

/**
 * A shortest path between two entities over mentions and direct relations.
 * `maxLength` is a validated integer (1..12): Cypher cannot take a path bound as a parameter.
 */
export async function shortestPath(
  reader: Reader,
  fromId: string,
  toId: string,
  maxLength: number,
): Promise<RawPath | null> {
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 12)
    throw new RangeError(`path length bound ${maxLength} out of range`);
  const rows = await readRows<RawPath>(
    reader,
    `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
     MATCH p = shortestPath((a)-[:MENTIONS|${RELATIONS}*..${maxLength}]-(b))
     RETURN { nodes: [n IN nodes(p) | { id: n.id, article: n:Article }],
              rels: [r IN relationships(p) | { type: type(r), from: startNode(r).id, to: endNode(r).id,
                                               articleIds: coalesce(r.articleIds, []) }] } AS row`,
    { from: fromId, to: toId },
  );
  return rows[0] ?? null;
}

/** For each pair, the most recent articles (at most `limit`) mentioning both entities. */
export async function sharedArticles(
  reader: Reader,
  pairs: readonly [string, string][],
  limit: number,
): Promise<string[][]> {
  const rows = await readRows<{ i: number; ids: string[] }>(
    reader,
    `UNWIND range(0, size($pairs) - 1) AS i
     CALL (i) {
       MATCH (:Entity {id: $pairs[i][0]})<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(:Entity {id: $pairs[i][1]})
       WITH a ORDER BY a.publishedAt DESC, a.id
       RETURN collect(a.id)[0..$limit] AS ids
     }
     RETURN { i: i, ids: ids } AS row`,
    { pairs, limit },
  );
  const byIndex = new Map(rows.map((r) => [r.i, r.ids]));
  return pairs.map((_, i) => byIndex.get(i) ?? []);
}

export interface NeighbourRow {
  fromId: string;
  toId: string;
  type: RelationType | 'CO_MENTION';
  weight: number;
  label: string | null;
}

/**
 * Direct relations and the strongest co-mentions of each entity (at most `limit` co-mentions each),
 * weighted by shared articles: the CO_MENTIONED edges kept at ingest, so a hub entity costs its
 * number of co-mentioned entities, not its thousands of articles.
 */
export const NEIGHBOURS = `UNWIND $ids AS id
     MATCH (e:Entity {id: id}) USING INDEX e:Entity(id)
     CALL (e) {
       MATCH (e)-[r:${RELATIONS}]-(:Entity)
       RETURN { fromId: startNode(r).id, toId: endNode(r).id, type: type(r), weight: size(coalesce(r.articleIds, [])), label: r.title } AS row
       UNION
       MATCH (e)-[c:CO_MENTIONED]-(o)
       WITH e, o, c.articles AS shared ORDER BY shared DESC, o.id LIMIT $limit
       RETURN { fromId: e.id, toId: o.id, type: 'CO_MENTION', weight: shared, label: null } AS row
     }
     RETURN row`;

export async function neighboursOf(reader: Reader, ids: readonly string[], limit: number): Promise<NeighbourRow[]> {
  return readRows<NeighbourRow>(reader, NEIGHBOURS, { ids, limit });
}

export interface ArticleMentionRow {
  articleId: string;
  entityId: string;
  count: number;
}

/** The most recent articles mentioning an entity, with the mention count. */
export async function recentMentions(reader: Reader, id: string, limit: number): Promise<ArticleMentionRow[]> {
  return readRows<ArticleMentionRow>(
    reader,
    `MATCH (a:Article)-[m:MENTIONS]->(e:Entity {id: $id})
     WITH a, m, e ORDER BY a.publishedAt DESC, a.id LIMIT $limit
     RETURN { articleId: a.id, entityId: e.id, count: m.count } AS row`,
    { id, limit },
  );
}
