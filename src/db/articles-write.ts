/**
 * Writes articles and what was extracted from them. Every statement is parameterised;
 * labels come only from the fixed ENTITY_TYPES list. A batch runs in one transaction
 * (write.ts), so an article is stored whole or not at all.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { type ArticleRecord, EVIDENCE_CAP, RELATION_FIELDS } from '../graph/record.js';
import { isEntityType, RELATION_TYPES, type RelationType } from '../graph/vocabulary.js';
import { type ChangeEvent, recordChanges } from './changes-write.js';
import { type ArticleInput, type MentionInput, UNDATED_KEY } from './derived-model.js';
import { maintainDerived, type NewLink, readArticleInputs } from './derived-write.js';
import { type Writer, writeTx } from './write.js';

const RELATIONS = RELATION_TYPES.join('|');

export interface WriteSummary {
  articles: number;
  entities: number;
  edges: number;
}

/**
 * First statement of every write: takes each article's lock (MERGE on the unique id) in id order,
 * so two writers of the same article run one after the other, and the second sees the first's
 * article and replaces its contributions instead of adding a second copy of its mentions.
 */
const LOCK_ARTICLES = `
UNWIND $ids AS id
MERGE (a:Article {id: id})
// MERGE that finds the node does not lock it: a write does (the derived rows read the stored mentions next)
SET a.writeLock = true
REMOVE a.writeLock
RETURN id, a.contentHash IS NOT NULL AS existed, a.contentHash AS contentHash, a.extractorVersion AS extractorVersion`;

/**
 * Removes what an article contributed (its mentions and its share of relations). Returns the entity
 * ids it touched, and the ISSUED edges it deleted (`from|to`): one the batch writes again is not new.
 */
const DETACH_ARTICLES = `
UNWIND $ids AS aid
MATCH (old:Article {id: aid})
OPTIONAL MATCH (old)-[:MENTIONS]->(e)
OPTIONAL MATCH (e)-[r:${RELATIONS}]->()
  WHERE aid IN r.articleIds
WITH aid, old, collect(DISTINCT e.id) AS touched, collect(DISTINCT r) AS rels
FOREACH (r IN rels |
  SET r.evidence = [i IN range(0, size(coalesce(r.evidence, [])) - 1) WHERE r.evidenceArticleIds[i] <> aid | r.evidence[i]],
      r.evidenceArticleIds = [x IN coalesce(r.evidenceArticleIds, []) WHERE x <> aid],
      r.articleIds = [x IN r.articleIds WHERE x <> aid])
WITH old, touched, rels,
     [r IN rels WHERE size(r.articleIds) = 0 AND type(r) = 'ISSUED' | startNode(r).id + '|' + endNode(r).id] AS droppedIssued
FOREACH (r IN [r IN rels WHERE size(r.articleIds) = 0] | DELETE r)
WITH old, touched, droppedIssued
CALL (old) {
  MATCH (old)-[m:MENTIONS]->() DELETE m
}
CALL (old) {
  MATCH (old)<-[w:WROTE|EDITED]-() DELETE w
}
RETURN touched, droppedIssued`;

/**
 * Deletes entities that no article mentions any more, with their alias nodes. Each candidate is
 * locked (a write) before the check, so a mention another writer is committing to it is seen.
 */
const DELETE_ORPHANS = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})
SET e.orphanCheck = true
REMOVE e.orphanCheck
WITH e
WHERE NOT EXISTS { (e)<-[:MENTIONS]-(:Article) } AND NOT EXISTS { (e)-[:WROTE|EDITED]->(:Article) }
OPTIONAL MATCH (al:Alias)-[:ALIAS_OF]->(e)
DETACH DELETE al, e
RETURN count(DISTINCT e) AS deleted`;

const UPSERT_ARTICLES = `
UNWIND $articles AS a
MERGE (n:Article {id: a.id})
SET n.title = a.title, n.originalTitle = a.originalTitle,
    n.publishedAt = CASE WHEN a.publishedAt IS NULL THEN null ELSE datetime(a.publishedAt) END,
    n.categories = a.categories, n.author = a.author, n.sourceUrl = a.sourceUrl, n.sourcePath = a.sourcePath,
    n.images = a.images, n.paragraphs = a.paragraphs, n.sentences = a.sentences, n.sentenceParagraphs = a.sentenceParagraphs, n.text = a.text, n.bodyChars = a.bodyChars,
    n.source = a.source, n.language = a.language,
    n.contentHash = a.contentHash, n.extractorVersion = a.extractorVersion, n.ingestedAt = datetime()`;

/**
 * The rest of a long article's body, one slice per statement (see bodySlices): the driver encodes a
 * statement's parameters on the main thread in one go, and a server must not stop answering for that.
 */
const APPEND_BODY = `
MATCH (n:Article {id: $id})
SET n.paragraphs = n.paragraphs + $paragraphs, n.sentences = n.sentences + $sentences,
    n.sentenceParagraphs = n.sentenceParagraphs + $sentenceParagraphs, n.text = n.text + $text`;

/**
 * Upserts the batch's entities, one row per entity. An entity whose name or alias is
 * already known (by an Alias node, whose key includes the type) joins that node, so one
 * real entity stays one node. The label comes from a fixed list (checked before the call).
 */
const UPSERT_ENTITIES = `
UNWIND $entities AS x
OPTIONAL MATCH (al:Alias) WHERE al.key IN x.keys
OPTIONAL MATCH (al)-[:ALIAS_OF]->(known:Entity)
// Join a known entity only through a name that is one side's canonical name (联想 is the
// canonical name of one and an alias of the other); two entities that merely share a
// generic alias (a short form such as 方案) stay apart. Ids are 'Type:key of canonical name'.
WITH x, head(collect(CASE WHEN al.key = x.ref OR al.key = known.id THEN known.id END)) AS knownId, count(DISTINCT al) AS knownKeys
MERGE (e:Entity {id: coalesce(knownId, x.ref)})
  ON CREATE SET e:$(x.type), e.name = x.name, e.type = x.type, e.aliases = [], e.aliasText = ''
WITH x, e, knownKeys,
     reduce(acc = e.aliases, n IN [x.name] + x.aliases | CASE WHEN n = e.name OR n IN acc THEN acc ELSE acc + n END) AS aliases
// Most rows are entities the graph already knows under all these names: write only what changed.
FOREACH (_ IN CASE WHEN aliases <> e.aliases THEN [1] ELSE [] END |
  SET e.aliases = aliases, e.aliasText = reduce(s = '', n IN aliases | s + ' ' + n))
FOREACH (_ IN CASE WHEN x.code IS NOT NULL AND (e.code IS NULL OR (x.shortName IS NOT NULL AND e.shortName IS NULL)) THEN [1] ELSE [] END |
  SET e.code = x.code, e.shortName = coalesce(x.shortName, e.shortName))
WITH x, e, knownKeys
CALL (x, e, knownKeys) {
  WITH x, e WHERE knownKeys < size(x.keys)
  UNWIND x.keys AS k
  MERGE (al:Alias {key: k})
  WITH al, e WHERE NOT EXISTS { (al)-[:ALIAS_OF]->() }
  CREATE (al)-[:ALIAS_OF]->(e)
}
RETURN x.ref AS ref, e.id AS id`;

/**
 * The batch's articles have no MENTIONS at this point (new, or detached above): CREATE, not MERGE.
 * Each edge carries its ends' keys and the article's date, for the ordered index (mention-keys.ts).
 */
const CREATE_MENTIONS = `
UNWIND $mentions AS m
MATCH (a:Article {id: m.articleId})
MATCH (e:Entity {id: m.entityId})
CREATE (a)-[:MENTIONS {count: m.count, evidence: m.evidence, paragraphs: m.paragraphs, sentences: m.sentences,
                       entityId: e.id, articleId: a.id, publishedAt: a.publishedAt}]->(e)`;

/**
 * Entity-to-entity relations; an edge remembers which articles support it and some evidence.
 * One statement per type, the type written out (from the fixed RELATION_TYPES): with a dynamic
 * type the MERGE walked every relationship of both ends, MENTIONS included.
 */
const upsertRelations = (type: RelationType) => `
UNWIND $rels AS r
MATCH (from:Entity {id: r.fromId}), (to:Entity {id: r.toId})
MERGE (from)-[rel:${type}]->(to)
  ON CREATE SET rel.articleIds = [], rel.evidence = [], rel.evidenceArticleIds = []
// a stored edge always has an article (DETACH deletes those left without): no article, created just now
WITH rel, r, size(rel.articleIds) = 0 AS created
WITH rel, r, created, [e IN r.evidence WHERE NOT e.sentence IN rel.evidence] AS fresh
WITH rel, r, created, fresh[0..CASE WHEN size(rel.evidence) < $cap THEN $cap - size(rel.evidence) ELSE 0 END] AS added
SET rel.articleIds = rel.articleIds + [x IN r.articleIds WHERE NOT x IN rel.articleIds],
    rel.title = coalesce(r.title, rel.title),
    rel.evidence = rel.evidence + [e IN added | e.sentence],
    rel.evidenceArticleIds = rel.evidenceArticleIds + [e IN added | e.articleId]
RETURN r.fromId AS fromId, r.toId AS toId, created`;

const LINK_AUTHORS = `
UNWIND $links AS l
MATCH (p:Person {id: l.personId}), (a:Article {id: l.articleId})
CALL (p, a, l) {
  WITH p, a, l WHERE l.role = 'WROTE' MERGE (p)-[:WROTE]->(a)
}
CALL (p, a, l) {
  WITH p, a, l WHERE l.role = 'EDITED' MERGE (p)-[:EDITED]->(a)
}`;

/** Replaces these articles (and everything they contributed) in one transaction. */
export async function writeArticles(writer: Writer, records: ArticleRecord[]): Promise<WriteSummary> {
  return writeTx(writer, (tx) => writeArticlesTx(tx, records));
}

/** Locks the articles (see LOCK_ARTICLES); returns those that were already stored, with their content version. */
async function lockArticles(
  tx: ManagedTransaction,
  ids: string[],
): Promise<Map<string, { contentHash: string; extractorVersion: string | null }>> {
  const locked = await tx.run(LOCK_ARTICLES, { ids: [...new Set(ids)].sort() });
  return new Map(
    locked.records
      .filter((r) => r.get('existed') as boolean)
      .map((r) => [
        r.get('id') as string,
        { contentHash: r.get('contentHash'), extractorVersion: r.get('extractorVersion') },
      ]),
  );
}

export async function writeArticlesTx(tx: ManagedTransaction, records: ArticleRecord[]): Promise<WriteSummary> {
  const stored = await lockArticles(
    tx,
    records.map((r) => r.id),
  );
  const ids = [...stored.keys()];
  const touched = new Set<string>();
  const droppedIssued = new Set<string>();
  // what the stored versions contributed to the derived rows, read before their mentions go
  const before = await readArticleInputs(tx, ids, false);
  if (ids.length) {
    const detached = await tx.run(DETACH_ARTICLES, { ids });
    for (const r of detached.records) {
      for (const id of r.get('touched') as string[]) touched.add(id);
      for (const pair of r.get('droppedIssued') as string[]) droppedIssued.add(pair);
    }
  }

  const bodies = records.map(bodySlices);
  await tx.run(UPSERT_ARTICLES, {
    articles: records.map(
      ({ entities: _e, issued: _i, roles: _r, listings: _l, journalists: _j, editor: _ed, ...a }, i) => ({
        ...a,
        ...bodies[i][0],
        bodyChars: a.text.length,
      }),
    ),
  });
  for (const [i, slices] of bodies.entries())
    for (const slice of slices.slice(1)) await tx.run(APPEND_BODY, { id: records[i].id, ...slice });

  const { rows, representative } = batchEntityRows(records);
  const idByRef = new Map<string, string>();
  if (rows.length) {
    const res = await tx.run(UPSERT_ENTITIES, { entities: rows });
    const idOfRow = new Map(res.records.map((row) => [row.get('ref') as string, row.get('id') as string]));
    for (const [ref, rep] of representative) idByRef.set(ref, idOfRow.get(rep)!);
  }

  // Mentions, one per (article, entity): two refs of one article can resolve to the same node.
  const mentions = new Map<
    string,
    {
      articleId: string;
      entityId: string;
      count: number;
      evidence: string[];
      paragraphs: number[];
      sentences: number[];
    }
  >();
  for (const a of records) {
    for (const e of a.entities) {
      const entityId = idByRef.get(e.ref);
      if (!entityId) continue;
      const key = `${a.id}|${entityId}`;
      const m = mentions.get(key);
      if (!m)
        mentions.set(key, {
          articleId: a.id,
          entityId,
          count: e.count,
          evidence: e.evidence,
          paragraphs: e.paragraphs,
          sentences: e.sentences,
        });
      else {
        m.count += e.count;
        m.evidence = [...new Set([...m.evidence, ...e.evidence])].slice(0, EVIDENCE_CAP);
        m.paragraphs = [...new Set([...m.paragraphs, ...e.paragraphs])].sort((x, y) => x - y);
        m.sentences = [...new Set([...m.sentences, ...e.sentences])].sort((x, y) => x - y);
      }
    }
  }
  let edges = 0;
  // in slices, as the body: one mention of a long article can list thousands of sentences
  for (const slice of slicesOf([...mentions.values()], (m) => m.paragraphs.length + m.sentences.length + 50))
    await tx.run(CREATE_MENTIONS, { mentions: slice });
  edges += mentions.size;

  // One row per relationship: rows of one statement cannot see each other's MERGEs.
  const rels = new Map<string, RelationRow>();
  for (const a of records) {
    for (const type of RELATION_TYPES) {
      for (const r of a[RELATION_FIELDS[type]]) {
        const fromId = idByRef.get(r.from);
        const toId = idByRef.get(r.to);
        if (!fromId || !toId) continue;
        const key = `${type}|${fromId}|${toId}`;
        let row = rels.get(key);
        if (!row) rels.set(key, (row = { type, fromId, toId, articleIds: [], evidence: [], title: null }));
        if (!row.articleIds.includes(a.id)) row.articleIds.push(a.id);
        if (r.evidence && !row.evidence.some((e) => e.sentence === r.evidence))
          row.evidence.push({ articleId: a.id, sentence: r.evidence });
        row.title = r.title ?? row.title;
      }
    }
  }
  const newIssued: RelationRow[] = [];
  for (const type of RELATION_TYPES) {
    const ofType = [...rels.values()].filter((r) => r.type === type);
    if (!ofType.length) continue;
    const res = await tx.run(upsertRelations(type), { rels: ofType, cap: EVIDENCE_CAP });
    if (type !== 'ISSUED') continue;
    for (const row of res.records) {
      const pair = `${row.get('fromId')}|${row.get('toId')}`;
      if (row.get('created') && !droppedIssued.has(pair)) newIssued.push(rels.get(`ISSUED|${pair}`)!);
    }
  }
  edges += rels.size;

  const links = records
    .flatMap((a) => [
      ...a.journalists.map((ref) => ({ personId: idByRef.get(ref), articleId: a.id, role: 'WROTE' })),
      ...(a.editor ? [{ personId: idByRef.get(a.editor), articleId: a.id, role: 'EDITED' }] : []),
    ])
    .filter((l) => l.personId);
  if (links.length) {
    await tx.run(LINK_AUTHORS, { links });
    edges += links.length;
  }

  const { newLinks } = await maintainDerived(tx, before, derivedInputs(records, [...mentions.values()]));

  const stillUsed = new Set(idByRef.values());
  const candidates = [...touched].filter((id) => !stillUsed.has(id));
  if (candidates.length) await tx.run(DELETE_ORPHANS, { ids: candidates });

  // last: takes the change counter's lock, held until commit (changes-write.ts)
  await recordChanges(tx, changeEvents(records, stored, before, [...mentions.values()], newIssued, newLinks));
  return { articles: records.length, entities: mentions.size, edges };
}

/** Parameter size (in characters, or list entries) above which a statement's rows are split. */
const SLICE_SIZE = 64 * 1024;

/** Splits items into runs whose summed size stays under SLICE_SIZE (an item larger than that is a run of its own). */
function slicesOf<T>(items: T[], sizeOf: (item: T) => number): T[][] {
  const out: T[][] = [];
  let run: T[] = [];
  let size = 0;
  for (const item of items) {
    const n = sizeOf(item);
    if (run.length && size + n > SLICE_SIZE) {
      out.push(run);
      run = [];
      size = 0;
    }
    run.push(item);
    size += n;
  }
  if (run.length) out.push(run);
  return out;
}

interface BodySlice {
  paragraphs: string[];
  sentences: string[];
  sentenceParagraphs: number[];
  text: string;
}

/** An article's body in slices of about SLICE_SIZE characters each (one slice for all but long articles). */
export function bodySlices(
  a: Pick<ArticleRecord, 'paragraphs' | 'sentences' | 'sentenceParagraphs' | 'text'>,
): BodySlice[] {
  const paragraphs = slicesOf(a.paragraphs, (p) => p.length + 1);
  const sentenceRuns = slicesOf(
    a.sentences.map((_, i) => i),
    (i) => a.sentences[i].length + 1,
  );
  const textRuns = Math.ceil(a.text.length / SLICE_SIZE);
  const n = Math.max(1, paragraphs.length, sentenceRuns.length, textRuns);
  return Array.from({ length: n }, (_, k) => {
    const sentenceIds = sentenceRuns[k] ?? [];
    return {
      paragraphs: paragraphs[k] ?? [],
      sentences: sentenceIds.map((i) => a.sentences[i]),
      sentenceParagraphs: sentenceIds.map((i) => a.sentenceParagraphs[i]),
      text: a.text.slice(k * SLICE_SIZE, (k + 1) * SLICE_SIZE),
    };
  });
}

/** The written articles as the derived rows see them (what derived-write's readArticleInputs would read back). */
function derivedInputs(records: ArticleRecord[], mentions: (MentionInput & { articleId: string })[]): ArticleInput[] {
  const byArticle = new Map<string, MentionInput[]>(records.map((r) => [r.id, []]));
  for (const { articleId, ...m } of mentions) byArticle.get(articleId)?.push(m);
  // one input per id, the last record of it (as UPSERT_ARTICLES leaves it)
  return [...new Map(records.map((r) => [r.id, r])).values()].map((r) => ({
    id: r.id,
    key: r.publishedAt === null ? UNDATED_KEY : Date.parse(r.publishedAt),
    text: { title: r.title, sentences: r.sentences, sentenceParagraphs: r.sentenceParagraphs },
    mentions: byArticle.get(r.id) ?? [],
  }));
}

/**
 * What this write made new (changes-write.ts). An article re-written with the same content and
 * extractor is not new; a mention, ISSUED edge or link that existed before the transaction is not
 * new, even when the batch deleted and wrote it again.
 */
function changeEvents(
  records: ArticleRecord[],
  stored: Map<string, { contentHash: string; extractorVersion: string | null }>,
  before: ArticleInput[],
  mentions: { articleId: string; entityId: string; count: number; evidence: string[] }[],
  issued: RelationRow[],
  links: NewLink[],
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  const entitiesOf = new Map<string, string[]>();
  for (const m of mentions) entitiesOf.set(m.articleId, [...(entitiesOf.get(m.articleId) ?? []), m.entityId]);
  for (const r of records) {
    const was = stored.get(r.id);
    if (was && was.contentHash === r.contentHash && was.extractorVersion === r.extractorVersion) continue;
    events.push({
      kind: 'articleIngested',
      articleId: r.id,
      created: !was,
      title: r.title,
      publishedAt: r.publishedAt,
      categories: r.categories,
      entityIds: entitiesOf.get(r.id) ?? [],
    });
  }
  const mentionedBefore = new Set(before.flatMap((a) => a.mentions.map((m) => `${a.id}|${m.entityId}`)));
  for (const m of mentions) {
    if (mentionedBefore.has(`${m.articleId}|${m.entityId}`)) continue;
    const { articleId, entityId, count, evidence } = m;
    events.push({ kind: 'entityMentioned', entityId, articleId, count, evidence });
  }
  for (const i of issued) {
    events.push({
      kind: 'issued',
      agencyId: i.fromId,
      policyId: i.toId,
      evidence: i.evidence.map((e) => e.sentence).slice(0, EVIDENCE_CAP),
      articleIds: i.articleIds,
    });
  }
  for (const l of links) {
    events.push({
      kind: 'policyLinked',
      policyId: l.policy,
      companyId: l.company,
      scope: l.scope,
      evidence: l.evidence,
      articleIds: l.articleIds,
    });
  }
  return events;
}

interface RelationRow {
  type: string;
  fromId: string;
  toId: string;
  articleIds: string[];
  evidence: { articleId: string; sentence: string }[];
  title: string | null;
}

interface EntityRow {
  ref: string;
  type: string;
  name: string;
  aliases: string[];
  keys: string[];
  code: string | null;
  shortName: string | null;
}

/**
 * One row per distinct entity of the batch. Entities of different articles that share any
 * name key (联想集团 with alias 联想 in one article, 联想 in another) are one row: rows of one
 * statement cannot see each other's writes, so they must not both create a node.
 */
export function batchEntityRows(records: ArticleRecord[]): { rows: EntityRow[]; representative: Map<string, string> } {
  const parent = new Map<string, string>();
  const find = (ref: string): string => {
    let r = ref;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(ref, r);
    return r;
  };
  const all = records.flatMap((a) => a.entities);
  const firstSeen = new Map<string, number>();
  all.forEach((e, i) => {
    if (!isEntityType(e.type)) throw new Error(`unknown entity type ${JSON.stringify(e.type)}`);
    if (!parent.has(e.ref)) {
      parent.set(e.ref, e.ref);
      firstSeen.set(e.ref, i);
    }
  });
  // As in UPSERT_ENTITIES: join when one entity's name is the other's canonical name;
  // the entity seen first stays the representative.
  for (const e of all) {
    for (const k of e.keys) {
      if (k === e.ref || !parent.has(k)) continue;
      const [a, b] = [find(k), find(e.ref)];
      if (a === b) continue;
      const [keep, drop] = firstSeen.get(a)! <= firstSeen.get(b)! ? [a, b] : [b, a];
      parent.set(drop, keep);
    }
  }
  const rows = new Map<string, EntityRow & { names: Set<string>; keySet: Set<string> }>();
  for (const e of all) {
    const rep = find(e.ref);
    let row = rows.get(rep);
    if (!row) {
      row = {
        ref: rep,
        type: e.type,
        name: e.name,
        aliases: [],
        keys: [],
        code: e.code ?? null,
        shortName: e.shortName || null,
        names: new Set(),
        keySet: new Set(),
      };
      rows.set(rep, row);
    }
    for (const n of [e.name, ...e.aliases]) if (n !== row.name) row.names.add(n);
    for (const k of e.keys) row.keySet.add(k);
    row.shortName ||= e.shortName || null;
  }
  return {
    rows: [...rows.values()].map(({ names, keySet, ...r }) => ({ ...r, aliases: [...names], keys: [...keySet] })),
    representative: new Map([...parent.keys()].map((ref) => [ref, find(ref)])),
  };
}

/** Deletes articles and whatever only they held up. Returns how many articles existed. */
export async function deleteArticles(writer: Writer, ids: string[]): Promise<number> {
  return writeTx(writer, (tx) => deleteArticlesTx(tx, ids));
}

/** deleteArticles inside a caller's transaction (the watcher stores a renamed file and deletes its old id in one). */
export async function deleteArticlesTx(tx: ManagedTransaction, ids: string[]): Promise<number> {
  // a delete makes nothing new: it records no change (no subscription reports removals)
  const existed = [...(await lockArticles(tx, ids)).keys()];
  const before = await readArticleInputs(tx, existed, false);
  const detached = await tx.run(DETACH_ARTICLES, { ids });
  const touched = [...new Set(detached.records.flatMap((r) => r.get('touched') as string[]))];
  // Also removes the empty node the lock made for an id that was not stored.
  await tx.run('UNWIND $ids AS id MATCH (a:Article {id: id}) DETACH DELETE a', { ids });
  await maintainDerived(tx, before, []);
  if (touched.length) await tx.run(DELETE_ORPHANS, { ids: touched });
  return existed.length;
}
