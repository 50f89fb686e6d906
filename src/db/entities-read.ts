/** Read queries for entities: by id, by any of their names, and the articles that mention them. */
import type { EntityType } from '../graph/vocabulary.js';
import { ARTICLE_PROJECTION, type ArticleKey, type ArticleRow, keysetParam } from './articles-read.js';
import { displayNameCypher } from './display-name.js';
import { type Reader, readRows } from './read.js';

export interface EntityRow {
  /** lets GraphQL resolve the Entity / Node interfaces to the concrete type */
  __typename: EntityType;
  id: string;
  type: EntityType;
  /** the name as stored (canonical) */
  canonicalName: string;
  /** the name as articles most often write it */
  name: string;
  aliases: string[];
  code: string | null;
  shortName: string | null;
}

/** How many mention edges feed the display-name vote: enough to be representative, bounded for hubs. */
const NAME_SAMPLE = 50;

/**
 * The Cypher map an entity row is read as (`toEntityRow` finishes it), for the entity bound to `v`.
 * Other reads that return entities project it too, so a parent's related entities arrive with it
 * and the loaders are primed (loaders/index.ts) instead of asked again. The display name is voted
 * over a bounded sample of mention evidence; only an entity with another form has a vote to hold
 * (stocks show their short name): most have none, and read no mention. The counts over all
 * mentions are a separate read (`entityStatsByIds`): on hub entities they touch thousands of edges.
 */
export function entityRow(v: string): string {
  const sample = `reduce(acc = [], ev IN COLLECT {
         MATCH (${v})<-[m:MENTIONS]-()
         WHERE ${v}.type <> 'Stock' AND any(a IN coalesce(${v}.aliases, []) WHERE a <> ${v}.name)
         RETURN coalesce(m.evidence, []) LIMIT ${NAME_SAMPLE}
       } | acc + ev)`;
  return `{ id: ${v}.id, type: ${v}.type, name: ${v}.name, aliases: coalesce(${v}.aliases, []), code: ${v}.code,
       shortName: ${v}.shortName,
       displayName: CASE WHEN ${v}.type = 'Stock' THEN CASE WHEN coalesce(${v}.shortName, '') = '' THEN ${v}.name ELSE ${v}.shortName END
         ELSE [evidence IN [${sample}] | ${displayNameCypher(`${v}.name`, `${v}.aliases`, 'evidence')}][0] END }`;
}

/** An entity row as `entityRow` projects it: the stored name and the voted one. */
export interface RawEntity extends Omit<EntityRow, '__typename' | 'name' | 'canonicalName'> {
  name: string;
  displayName: string;
}

export const ENTITIES_BY_IDS = `UNWIND $ids AS id
     MATCH (e:Entity {id: id}) USING INDEX e:Entity(id)
     RETURN ${entityRow('e')} AS row`;

export async function entitiesByIds(reader: Reader, ids: readonly string[]): Promise<(EntityRow | null)[]> {
  const rows = await readRows<RawEntity>(reader, ENTITIES_BY_IDS, { ids });
  const byId = new Map(rows.map((r) => [r.id, toEntityRow(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

export function toEntityRow({ displayName, ...r }: RawEntity): EntityRow {
  // The writer can append the same alias twice when one batch mentions it in several articles.
  const aliases = [...new Set(r.aliases)].filter((a) => a !== r.name);
  return { __typename: r.type, ...r, aliases, canonicalName: r.name, name: displayName };
}

export interface EntityStats {
  /** articles that mention the entity (the MENTIONS degree: no edge is read) */
  articleCount: number;
  /** mentions across all those articles */
  mentionCount: number;
}

export async function entityStatsByIds(reader: Reader, ids: readonly string[]): Promise<EntityStats[]> {
  const rows = await readRows<EntityStats & { id: string }>(
    reader,
    `UNWIND $ids AS id
     MATCH (e:Entity {id: id})
     CALL (e) {
       OPTIONAL MATCH (e)<-[m:MENTIONS]-()
       RETURN coalesce(sum(m.count), 0) AS mentionCount
     }
     RETURN { id: e.id, articleCount: COUNT { (e)<-[:MENTIONS]-() }, mentionCount: mentionCount } AS row`,
    { ids },
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? { articleCount: 0, mentionCount: 0 });
}

/**
 * Every name and alias of an entity is an Alias node: a lookup by name is a unique-index seek on Alias.key.
 * The hint matters: on small graphs the planner otherwise scans the Entity index and expands to Alias.
 */
export const ENTITY_IDS_BY_ALIAS_KEYS = `UNWIND $keys AS k
     MATCH (al:Alias {key: k})-[:ALIAS_OF]->(e:Entity)
     USING INDEX al:Alias(key)
     RETURN { key: k, id: e.id } AS row`;

export const STOCK_IDS_BY_CODES =
  'UNWIND $codes AS c MATCH (s:Stock {code: c}) USING INDEX s:Stock(code) RETURN { code: c, id: s.id } AS row';

/** Entity ids for alias keys (`Type:normalised name`); an index seek per key. */
export async function entityIdsByAliasKeys(reader: Reader, keys: readonly string[]): Promise<(string | null)[]> {
  const rows = await readRows<{ key: string; id: string }>(reader, ENTITY_IDS_BY_ALIAS_KEYS, { keys });
  const byKey = new Map(rows.map((r) => [r.key, r.id]));
  return keys.map((k) => byKey.get(k) ?? null);
}

export async function stockIdsByCodes(reader: Reader, codes: readonly string[]): Promise<(string | null)[]> {
  const rows = await readRows<{ code: string; id: string }>(reader, STOCK_IDS_BY_CODES, { codes });
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  return codes.map((c) => byCode.get(c) ?? null);
}

export interface MentionRow {
  articleId: string;
  entityId: string;
  count: number;
  evidence: string[];
  paragraphs: number[];
  sentences: number[];
}

/** The MENTIONS edges of each article, most frequent first. */
export async function mentionsByArticles(reader: Reader, articleIds: readonly string[]): Promise<MentionRow[][]> {
  const rows = await readRows<MentionRow>(
    reader,
    `UNWIND $ids AS aid
     MATCH (:Article {id: aid})-[m:MENTIONS]->(e:Entity)
     RETURN { articleId: aid, entityId: e.id, count: m.count, evidence: coalesce(m.evidence, []),
              paragraphs: coalesce(m.paragraphs, []), sentences: coalesce(m.sentences, []) } AS row
     ORDER BY m.count DESC, e.id`,
    { ids: articleIds },
  );
  return articleIds.map((id) => rows.filter((r) => r.articleId === id));
}

export interface MentioningPageKey {
  entityId: string;
  limit: number;
  /** keyset cursor in newest-first order */
  after: ArticleKey | null;
}

/** For each key, a newest-first page of the articles mentioning the entity (one round trip for all keys). */
export async function articlesMentioning(reader: Reader, keys: readonly MentioningPageKey[]): Promise<ArticleRow[][]> {
  const params = keys.map((k) => ({ ...k, after: keysetParam(k.after) }));
  const limit = Math.max(0, ...keys.map((k) => k.limit));
  const rows = await readRows<{ i: number; articles: ArticleRow[] }>(reader, ARTICLES_MENTIONING, {
    keys: params,
    limit,
  });
  const byIndex = new Map(rows.map((r) => [r.i, r.articles]));
  return keys.map((_, i) => byIndex.get(i) ?? []);
}

/** Later than any date an article can carry: the seek's upper bound when there is no cursor. */
const LATEST = "datetime('+999999999-12-31T23:59:59.999999999Z')";

/**
 * Two subqueries binding `dated` and `undated`: what `item` (over the article `a` and its mention
 * `m`) gives for the articles mentioning `key.entityId`, after the cursor `key.after` (a keysetParam
 * or null), at most `$limit` each; `(dated + undated)[0..key.limit]` is the page. The order is that
 * of `articleKeyset(true)`: dated articles newest first, then undated ones, ties by id descending.
 * Dated ones come from an ordered seek on the mention keys (mention-keys.ts), from the cursor down,
 * stopped at the page size: the work is the page, not the entity's articles. Undated ones are not
 * in that index; they are read only once the dated ones run out.
 */
export function newestMentions(item: string): string {
  return `CALL (key) {
       WITH key WHERE key.after IS NULL OR NOT key.after.undated
       MATCH (a)-[m:MENTIONS]->()
       WHERE m.entityId = key.entityId AND m.articleId IS NOT NULL
         AND m.publishedAt <= coalesce(datetime(key.after.t), ${LATEST})
         AND (key.after IS NULL OR m.publishedAt < datetime(key.after.t) OR m.articleId < key.after.id)
       WITH a, m ORDER BY m.entityId DESC, m.publishedAt DESC, m.articleId DESC LIMIT $limit
       RETURN collect(${item}) AS dated
     }
     CALL (key, dated) {
       WITH key WHERE size(dated) < key.limit
       MATCH (e:Entity {id: key.entityId})<-[m:MENTIONS]-(a) USING INDEX e:Entity(id)
       WHERE a.publishedAt IS NULL AND (key.after IS NULL OR NOT key.after.undated OR a.id < key.after.id)
       WITH a, m ORDER BY a.id DESC LIMIT $limit
       RETURN collect(${item}) AS undated
     }`;
}

export const ARTICLES_MENTIONING = `UNWIND range(0, size($keys) - 1) AS i
     WITH i, $keys[i] AS key
     ${newestMentions('a')}
     RETURN { i: i, articles: [a IN (dated + undated)[0..key.limit] | ${ARTICLE_PROJECTION}] } AS row`;
