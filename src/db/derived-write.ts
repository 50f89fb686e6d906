/**
 * Keeps CO_MENTIONED and LINKED_COMPANY (derived-model.ts) in step with MENTIONS, inside the
 * article write transaction: `readArticleInputs` before the old mentions go, `maintainDerived`
 * once the new ones are written. Every statement is parameterised.
 *
 * Concurrency: before reading a pair's stored row, the transaction write-locks both entities of
 * every pair it changes (in id order). Any writer that changes a pair's row holds the same two
 * locks, so rows are read-modified-written one writer at a time; a deadlock between writers is
 * a transient error that executeWrite retries with the whole batch.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { type PartnerChange, TOP_PARTNERS, type TopList, updateTop } from './co-top.js';
import {
  type ArticleInput,
  applyCo,
  applyLink,
  byRank,
  type CoRow,
  coFromProps,
  contributions,
  coToProps,
  deltaSteps,
  distinctSentences,
  emptyCoRow,
  emptyLinkRow,
  enoughArticles,
  enoughEvidence,
  foldEvidence,
  type LinkRow,
  linkFromProps,
  linkToProps,
  type PrefixEntry,
  pairKey,
  RECENT_ARTICLES,
  SCOPES,
  type Scope,
  shortestEnough,
  UNDATED_KEY,
} from './derived-model.js';
import { integersAsInts } from './read.js';

/** Anything that runs Cypher in a transaction (managed or explicit). */
export interface TxLike {
  run: ManagedTransaction['run'];
}

/** Plain JS values from driver values (Integers to numbers, recursively). */
// biome-ignore lint/suspicious/noExplicitAny: rows straight from the driver, shaped by the Cypher above them
export function plain(v: unknown): any {
  if (neo4j.isInt(v)) return (v as { toNumber(): number }).toNumber();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** The articles as the derived rows see them: sort key, mentions and (when `text`) sentences. */
export const ARTICLE_INPUTS = `UNWIND $ids AS id
MATCH (a:Article {id: id})
OPTIONAL MATCH (a)-[m:MENTIONS]->(e:Entity)
WITH a, collect(CASE WHEN e IS NULL THEN null ELSE { entityId: e.id, count: m.count, paragraphs: coalesce(m.paragraphs, []),
       sentences: coalesce(m.sentences, []), evidence: coalesce(m.evidence, []) } END) AS mentions
RETURN { id: a.id, key: coalesce(a.publishedAt.epochMillis, $undated), mentions: mentions,
         text: CASE WHEN $text THEN { title: a.title, sentences: coalesce(a.sentences, []),
                                      sentenceParagraphs: coalesce(a.sentenceParagraphs, []) } END } AS row`;

export async function readArticleInputs(tx: TxLike, ids: string[], text: boolean): Promise<ArticleInput[]> {
  if (!ids.length) return [];
  const res = await tx.run(ARTICLE_INPUTS, { ids, text, undated: neo4j.int(UNDATED_KEY) });
  return res.records.map((r) => toArticleInput(plain(r.get('row'))));
}

// biome-ignore lint/suspicious/noExplicitAny: rows straight from the driver, shaped by the Cypher above them
export function toArticleInput(row: any): ArticleInput {
  return {
    id: row.id,
    key: row.key,
    text: row.text
      ? {
          title: row.text.title,
          sentences: row.text.sentences,
          sentenceParagraphs: row.text.sentenceParagraphs.map(Number),
        }
      : null,
    // biome-ignore lint/suspicious/noExplicitAny: rows straight from the driver, shaped by the Cypher above them
    mentions: row.mentions.map((m: any) => ({
      entityId: m.entityId,
      count: Number(m.count),
      paragraphs: m.paragraphs.map(Number),
      sentences: m.sentences.map(Number),
      evidence: m.evidence,
    })),
  };
}

/** Locks the entities of every changed pair and returns their strongest-co-mentions lists (co-top.ts), read under the lock. */
const LOCK_ENTITIES = `UNWIND $ids AS id
MATCH (e:Entity {id: id})
SET e.derivedLock = true
REMOVE e.derivedLock
RETURN id, coalesce(e.coTopIds, []) AS ids, coalesce(e.coTopArticles, []) AS articles`;

// Rows are found by their indexed `pair` property (derived-model.ts CoProps), not by walking from an entity.
// The hint: a plan made while the graph was still empty (a fresh ingest) would scan all rows of the type, and stay cached.
export const READ_CO = `UNWIND $pairs AS p
MATCH ()-[r:CO_MENTIONED {pair: p[2]}]->()
USING INDEX r:CO_MENTIONED(pair)
RETURN p[0] AS from, p[1] AS to, properties(r) AS props, elementId(r) AS eid`;

export const READ_LINKS = `UNWIND $pairs AS p
MATCH ()-[r:LINKED_COMPANY {pair: p[2]}]->()
USING INDEX r:LINKED_COMPANY(pair)
RETURN p[0] AS from, p[1] AS to, properties(r) AS props, elementId(r) AS eid`;

/** New rows: the pair has no row yet (read under the ends' locks), so CREATE, with no check of the ends' other rows. */
export const CREATE_CO = `UNWIND $rows AS row
MATCH (x:Entity {id: row.from}), (y:Entity {id: row.to})
CREATE (x)-[r:CO_MENTIONED]->(y)
SET r = row.props, r.lastSeen = CASE WHEN row.props.lastSeen IS NULL THEN null ELSE datetime({ epochMillis: row.props.lastSeen }) END`;

/** Stored rows, found by the element id just read (no index look-up); \`pair\` is left as it is, so its index entry stays. */
export const UPDATE_CO = `UNWIND $rows AS row
MATCH ()-[r:CO_MENTIONED]->() WHERE elementId(r) = row.eid
SET r += row.props, r.lastSeen = CASE WHEN row.props.lastSeen IS NULL THEN null ELSE datetime({ epochMillis: row.props.lastSeen }) END`;

/** Writes rows whether or not they exist (the rebuild in derived-verify.ts). */
export const WRITE_CO = `UNWIND $rows AS row
MATCH (x:Entity {id: row.from}), (y:Entity {id: row.to})
MERGE (x)-[r:CO_MENTIONED]->(y)
SET r = row.props, r.lastSeen = CASE WHEN row.props.lastSeen IS NULL THEN null ELSE datetime({ epochMillis: row.props.lastSeen }) END`;

export const WRITE_LINKS = `UNWIND $rows AS row
MATCH (x:Policy {id: row.from}), (y:Company {id: row.to})
MERGE (x)-[r:LINKED_COMPANY]->(y)
SET r = row.props`;

export const DELETE_CO = `UNWIND $pairs AS p
MATCH ()-[r:CO_MENTIONED {pair: p[2]}]->()
USING INDEX r:CO_MENTIONED(pair)
DELETE r`;

export const DELETE_LINKS = `UNWIND $pairs AS p
MATCH ()-[r:LINKED_COMPANY {pair: p[2]}]->()
USING INDEX r:LINKED_COMPANY(pair)
DELETE r`;

/** The lists ranked again from the entities' CO_MENTIONED rows (as written by this transaction), as co-top.ts ranks. */
const RANK_TOPS = `UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r:CO_MENTIONED]-(o:Entity)
  WITH o, r.articles AS n ORDER BY n DESC, o.id LIMIT $n
  RETURN collect(o.id) AS ids, collect(n) AS articles
}
RETURN id, ids, articles`;

export const WRITE_TOPS = `UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.coTopIds = row.ids, e.coTopArticles = row.articles`;

/** The most recent shared articles of each pair (refill of a recent-articles list). */
const SHARED_RECENT = `UNWIND $pairs AS p
MATCH (x:Entity {id: p[0]})<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(y:Entity {id: p[1]})
WITH p, a.id AS id, coalesce(a.publishedAt.epochMillis, $undated) AS k
ORDER BY k DESC, id
WITH p, collect({ a: id, k: k })[0..$n] AS top
RETURN p[0] AS from, p[1] AS to, top`;

/** The most recent shared articles of each policy-company pair, with what evidence needs (refill of evidence). */
const SHARED_EVIDENCE = `UNWIND $pairs AS p
MATCH (x:Policy {id: p[0]})<-[mp:MENTIONS]-(a:Article)-[mc:MENTIONS]->(y:Company {id: p[1]})
WITH p, a, mp, mc, coalesce(a.publishedAt.epochMillis, $undated) AS k
ORDER BY k DESC, a.id
WITH p, collect({ a: a, mp: mp, mc: mc, k: k })[$skip..$skip + $n] AS top
UNWIND top AS t
RETURN p[0] AS from, p[1] AS to,
  { id: t.a.id, key: t.k,
    text: { title: t.a.title, sentences: coalesce(t.a.sentences, []), sentenceParagraphs: coalesce(t.a.sentenceParagraphs, []) },
    mentions: [m IN [{ e: p[0], m: t.mp }, { e: p[1], m: t.mc }] | { entityId: m.e, count: m.m.count,
      paragraphs: coalesce(m.m.paragraphs, []), sentences: coalesce(m.m.sentences, []), evidence: coalesce(m.m.evidence, []) }] } AS article`;

/** Main-thread time one slice of a long computation may take before other work gets a turn. */
const SLICE_MS = 10;

/** Runs a step generator to its end, giving the event loop a turn every SLICE_MS. */
async function sliced<T>(steps: Generator<void, T>): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

const runRows = async (tx: TxLike, cypher: string, rows: unknown[]) => {
  if (rows.length) await run(tx, cypher, { rows });
};

const run = (tx: TxLike, cypher: string, params: Record<string, unknown>) =>
  tx.run(cypher, integersAsInts(params) as Record<string, unknown>);

/** A policy-company pair linked at a scope where it was not linked before this transaction. */
export interface NewLink {
  policy: string;
  company: string;
  scope: Scope;
  /** the link's evidence at that scope now */
  evidence: string[];
  /** the batch's articles that link them at that scope */
  articleIds: string[];
}

/**
 * Brings the derived rows of every pair the batch touches up to date. `before`: the batch's
 * articles as stored before this write (counts only); `after`: the articles this transaction
 * wrote, as written (with text; the writer builds them from its records rather than reading back
 * what it just sent). Deleted articles are simply absent from `after`.
 * Returns the links that are new at a scope (for the change feed, changes-write.ts).
 */
export async function maintainDerived(
  tx: TxLike,
  before: ArticleInput[],
  after: ArticleInput[],
): Promise<{ pairs: number; refilled: number; newLinks: NewLink[] }> {
  const { co, links } = await sliced(deltaSteps(before, after));
  if (!co.size && !links.size) return { pairs: 0, refilled: 0, newLinks: [] };

  const entities = new Set<string>();
  for (const d of co.values()) entities.add(d.from).add(d.to);
  const locked = await run(tx, LOCK_ENTITIES, { ids: [...entities].sort() });
  const storedTops = new Map<string, TopList>(
    locked.records.map((r) => [r.get('id'), { ids: r.get('ids'), articles: plain(r.get('articles')) }]),
  );

  const coPairs = [...co.values()].map((d) => [d.from, d.to, pairKey(d.from, d.to)]);
  const linkPairs = [...links.values()].map((d) => [d.policy, d.company, pairKey(d.policy, d.company)]);
  const storedCo = await readRows(tx, READ_CO, coPairs);
  const storedLinks = linkPairs.length ? await readRows(tx, READ_LINKS, linkPairs) : new Map<string, StoredRow>();

  const coRows: CoRow[] = [];
  const coRefill: CoRow[] = [];
  for (const [k, d] of co) {
    const stored = storedCo.get(k)?.props;
    const { row, refill } = applyCo(stored ? coFromProps(d.from, d.to, stored) : emptyCoRow(d.from, d.to), d);
    coRows.push(row);
    if (refill) coRefill.push(row);
  }
  const linkRows: LinkRow[] = [];
  const linkRefill: { row: LinkRow; scopes: Scope[] }[] = [];
  for (const [k, d] of links) {
    const stored = storedLinks.get(k)?.props;
    const { row, refill } = applyLink(
      stored ? linkFromProps(d.policy, d.company, stored) : emptyLinkRow(d.policy, d.company),
      d,
    );
    linkRows.push(row);
    if (refill.length) linkRefill.push({ row, scopes: refill });
  }
  await refillRecent(tx, coRefill);
  await refillEvidence(tx, linkRefill);

  const keepCo = coRows.filter((r) => r.articles > 0);
  const dropCo = coRows.filter((r) => r.articles <= 0);
  const keepLinks = linkRows.filter((r) => r.article.links > 0);
  const dropLinks = linkRows.filter((r) => r.article.links <= 0);
  const coRow = (r: CoRow) => ({ from: r.from, to: r.to, props: coToProps(r) });
  const linkRow = (r: LinkRow) => ({ from: r.policy, to: r.company, props: linkToProps(r) });
  // A pair with no stored row (read above, under the ends' locks) is created; a stored one is updated through the
  // element id just read. Measured against one MERGE from the two ends for all rows (bench/write-statements.ts,
  // 2,000 articles, batches of 200): 6.4 s against 8.1 s; MERGE checks the ends' other CO_MENTIONED rows.
  const created: ReturnType<typeof coRow>[] = [];
  const updated: { eid: string; props: Omit<ReturnType<typeof coToProps>, 'pair'> }[] = [];
  for (const r of keepCo) {
    const stored = storedCo.get(pairKey(r.from, r.to));
    if (!stored) created.push(coRow(r));
    else {
      const { pair: _pair, ...props } = coToProps(r);
      updated.push({ eid: stored.eid, props });
    }
  }
  await runRows(tx, CREATE_CO, created);
  await runRows(tx, UPDATE_CO, updated);
  if (dropCo.length) await run(tx, DELETE_CO, { pairs: dropCo.map((r) => [r.from, r.to, pairKey(r.from, r.to)]) });
  await maintainTops(tx, coRows, storedCo, storedTops);
  await runRows(tx, WRITE_LINKS, keepLinks.map(linkRow));
  if (dropLinks.length)
    await run(tx, DELETE_LINKS, {
      pairs: dropLinks.map((r) => [r.policy, r.company, pairKey(r.policy, r.company)]),
    });

  // New at a scope: no linking article at that scope in the stored row (read before this write), some now.
  const newLinks: NewLink[] = [];
  for (const row of keepLinks) {
    const k = pairKey(row.policy, row.company);
    const stored = storedLinks.get(k)?.props;
    const was = stored ? linkFromProps(row.policy, row.company, stored) : undefined;
    for (const scope of SCOPES) {
      if ((was?.[scope].links ?? 0) > 0 || row[scope].links <= 0) continue;
      newLinks.push({
        policy: row.policy,
        company: row.company,
        scope,
        evidence: distinctSentences(row[scope].evidence),
        articleIds: [...new Set(links.get(k)!.added[scope].map((e) => e.a))],
      });
    }
  }
  return { pairs: co.size + links.size, refilled: coRefill.length + linkRefill.length, newLinks };
}

/**
 * Brings the strongest-co-mentions list of both entities of every changed pair up to date: from the
 * stored list where that is exact (co-top.ts), else ranked again from the rows just written. The
 * entities were locked, and their lists read, by LOCK_ENTITIES, so no other writer changes them meanwhile.
 */
async function maintainTops(
  tx: TxLike,
  rows: CoRow[],
  stored: Map<string, StoredRow>,
  storedTops: Map<string, TopList>,
): Promise<void> {
  const changes = new Map<string, PartnerChange[]>();
  const add = (id: string, change: PartnerChange) => {
    const list = changes.get(id);
    if (list) list.push(change);
    else changes.set(id, [change]);
  };
  for (const r of rows) {
    const before = Number(stored.get(pairKey(r.from, r.to))?.props.articles ?? 0);
    const after = Math.max(r.articles, 0);
    if (before === after) continue;
    add(r.from, { partner: r.to, before, after });
    add(r.to, { partner: r.from, before, after });
  }
  if (!changes.size) return;
  const lists = new Map<string, TopList>();
  const rerank: string[] = [];
  for (const [id, partnerChanges] of changes) {
    const stored = storedTops.get(id);
    if (!stored) continue; // not in the graph (deleted meanwhile): nothing to keep
    const top = updateTop(stored, partnerChanges);
    if (top) lists.set(id, top);
    else rerank.push(id);
  }
  for (const [id, top] of await rankTops(tx, rerank)) lists.set(id, top);
  await runRows(
    tx,
    WRITE_TOPS,
    [...lists].map(([id, top]) => ({ id, ...top })),
  );
}

/** The strongest-co-mentions lists of `ids` ranked from their CO_MENTIONED rows. */
export async function rankTops(tx: TxLike, ids: string[]): Promise<Map<string, TopList>> {
  if (!ids.length) return new Map();
  const res = await run(tx, RANK_TOPS, { ids, n: TOP_PARTNERS });
  return new Map(res.records.map((r) => [r.get('id'), { ids: r.get('ids'), articles: plain(r.get('articles')) }]));
}

/** A pair's stored row: its properties and its element id (for an update in the same transaction). */
interface StoredRow {
  // biome-ignore lint/suspicious/noExplicitAny: rows straight from the driver, shaped by the Cypher above them
  props: any;
  eid: string;
}

async function readRows(tx: TxLike, cypher: string, pairs: string[][]): Promise<Map<string, StoredRow>> {
  const res = await tx.run(cypher, { pairs });
  return new Map(
    res.records.map((r) => [pairKey(r.get('from'), r.get('to')), { props: plain(r.get('props')), eid: r.get('eid') }]),
  );
}

/** A removal left a pair's recent-articles list short: read the pair's newest shared articles. */
export async function refillRecent(tx: TxLike, rows: CoRow[]): Promise<void> {
  if (!rows.length) return;
  const res = await run(tx, SHARED_RECENT, {
    pairs: rows.map((r) => [r.from, r.to]),
    n: RECENT_ARTICLES,
    undated: UNDATED_KEY,
  });
  const top = new Map(
    res.records.map((r) => [pairKey(r.get('from'), r.get('to')), plain(r.get('top')) as { a: string; k: number }[]]),
  );
  for (const row of rows) {
    const entries = (top.get(pairKey(row.from, row.to)) ?? []).map((e) => ({ ...e, s: [] })).sort(byRank);
    row.recent = shortestEnough(entries, enoughArticles);
  }
}

/** A removal left a link's evidence short: walk the pair's shared articles, newest first, until it is enough. */
export async function refillEvidence(
  tx: TxLike,
  pending: { row: LinkRow; scopes: Scope[] }[],
  firstPage = 20,
): Promise<void> {
  let todo = pending;
  const entries = new Map<string, Record<Scope, PrefixEntry[]>>();
  for (let skip = 0, n = firstPage; todo.length; skip += n, n *= 4) {
    const res = await run(tx, SHARED_EVIDENCE, {
      pairs: todo.map((t) => [t.row.policy, t.row.company]),
      skip,
      n,
      undated: UNDATED_KEY,
    });
    const fetched = new Map<string, number>();
    for (const r of res.records) {
      const k = pairKey(r.get('from'), r.get('to'));
      fetched.set(k, (fetched.get(k) ?? 0) + 1);
      const acc = entries.get(k) ?? { article: [], paragraph: [], sentence: [] };
      entries.set(k, acc);
      for (const l of contributions(toArticleInput(plain(r.get('article')))).links) {
        for (const scope of ['article', 'paragraph', 'sentence'] as const) {
          if (l.shared[scope] > 0) acc[scope].push({ a: l.articleId, k: l.key, s: l.shows[scope] ?? [] });
        }
      }
    }
    const next: typeof todo = [];
    for (const t of todo) {
      const k = pairKey(t.row.policy, t.row.company);
      const acc = entries.get(k) ?? { article: [], paragraph: [], sentence: [] };
      const exhausted = (fetched.get(k) ?? 0) < n;
      const short = t.scopes.filter((s) => !enoughEvidence(acc[s].sort(byRank)) && !exhausted);
      for (const s of t.scopes) t.row[s].evidence = foldEvidence(acc[s].sort(byRank));
      if (short.length) next.push(t);
    }
    todo = next;
  }
}
