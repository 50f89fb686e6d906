/** Read queries over the connections between entities: co-mentions, shortest paths, neighbours. */
import { type EntityType, RELATION_TYPES, type RelationType } from '../graph/vocabulary.js';

const RELATIONS = RELATION_TYPES.join('|');

import { newestMentions } from './entities-read.js';
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
  nodes: { id: string }[];
  rels: { type: RelationType | 'CO_MENTIONED'; from: string; to: string; articleIds: string[] }[];
}

/**
 * A shortest path between two entities over direct relations and co-mentions (the CO_MENTIONED rows
 * kept at ingest: one edge per pair that shares an article, so the search never walks articles).
 * A co-mention's articles are its most recent shared ones (the row's list, newest first).
 * `maxHops` is a validated integer (1..12): Cypher cannot take a path bound as a parameter.
 */
export async function shortestPath(
  reader: Reader,
  fromId: string,
  toId: string,
  maxHops: number,
): Promise<RawPath | null> {
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 12)
    throw new RangeError(`path length bound ${maxHops} out of range`);
  const rows = await readRows<RawPath>(
    reader,
    `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
     MATCH p = shortestPath((a)-[:CO_MENTIONED|${RELATIONS}*..${maxHops}]-(b))
     RETURN { nodes: [n IN nodes(p) | { id: n.id }],
              rels: [r IN relationships(p) | { type: type(r), from: startNode(r).id, to: endNode(r).id,
                                               articleIds: CASE type(r) WHEN 'CO_MENTIONED' THEN coalesce(r.recentArticleIds, [])
                                                           ELSE coalesce(r.articleIds, []) END }] } AS row`,
    { from: fromId, to: toId },
  );
  return rows[0] ?? null;
}

export interface NeighbourRow {
  fromId: string;
  toId: string;
  type: RelationType | 'CO_MENTION';
  weight: number;
  label: string | null;
}

/**
 * Direct relations and the strongest co-mentions of each entity (at most `limit` co-mentions each,
 * `limit` <= TOP_PARTNERS), weighted by shared articles: the entity's strongest-co-mentions list
 * kept at ingest (db/co-top.ts), so an entity costs the rows it returns, not the number of
 * entities it shares articles with. One row per entity, the list as two slices: a ring of 40
 * entities is 40 records, not 1,600 maps for the driver to decode.
 */
export const NEIGHBOURS = `UNWIND $ids AS id
     MATCH (e:Entity {id: id}) USING INDEX e:Entity(id)
     RETURN { id: e.id,
              relations: COLLECT {
                MATCH (e)-[r:${RELATIONS}]-(:Entity)
                RETURN { fromId: startNode(r).id, toId: endNode(r).id, type: type(r), weight: size(coalesce(r.articleIds, [])), label: r.title }
              },
              coIds: coalesce(e.coTopIds, [])[0..$limit], coArticles: coalesce(e.coTopArticles, [])[0..$limit] } AS row`;

export async function neighboursOf(reader: Reader, ids: readonly string[], limit: number): Promise<NeighbourRow[]> {
  const rows = await readRows<{ id: string; relations: NeighbourRow[]; coIds: string[]; coArticles: number[] }>(
    reader,
    NEIGHBOURS,
    { ids, limit },
  );
  return rows.flatMap((r) => [
    ...r.relations,
    ...r.coIds.map(
      (toId, i): NeighbourRow => ({ fromId: r.id, toId, type: 'CO_MENTION', weight: r.coArticles[i], label: null }),
    ),
  ]);
}

export interface ArticleMentionRow {
  articleId: string;
  entityId: string;
  count: number;
}

/** The articles mentioning an entity, newest first (undated last, as in its article list), with the mention count. */
export async function recentMentions(reader: Reader, id: string, limit: number): Promise<ArticleMentionRow[]> {
  return readRows<ArticleMentionRow>(reader, RECENT_MENTIONS, { id, limit });
}

export const RECENT_MENTIONS = `WITH { entityId: $id, after: null, limit: $limit } AS key
     ${newestMentions('{ articleId: a.id, entityId: key.entityId, count: m.count }')}
     UNWIND (dated + undated)[0..key.limit] AS row
     RETURN row`;
