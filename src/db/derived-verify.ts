/**
 * Checks and rebuilds the derived relationships (derived-model.ts) from the mentions:
 * `verifyDerived` recomputes every row from the articles and compares it with what is stored;
 * `rebuildDerived` replaces them all (migration of a graph written before they existed).
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { rankTop, type TopList } from './co-top.js';
import { addArticle, type CoRow, coToProps, type DerivedRows, linkToProps, pairKey } from './derived-model.js';
import { plain, readArticleInputs, type TxLike, WRITE_CO, WRITE_LINKS, WRITE_TOPS } from './derived-write.js';
import { markerVersion } from './graph-meta.js';
import { mentionKeyDifferences, repairMentionKeys } from './mention-keys.js';
import { integersAsInts } from './read.js';

/** Bumped when the derived rows change shape or meaning: the migration then rebuilds them. */
/** 2: rows carry their indexed `pair` key. 3: entities carry their strongest co-mentions (co-top.ts). */
export const DERIVED_VERSION = 3;
const PAGE = 500;
/**
 * Verify and rebuild read every article in one transaction: on a 100,000-article graph that takes
 * minutes, past the server's 60 s default (the embedded launcher's `db.transaction.timeout`), so
 * they ask for a longer bound of their own (honoured by Neo4j 5.3 and later).
 */
const WHOLE_GRAPH_TX = { timeout: 30 * 60_000 };

/** Recomputes every derived row from the articles and their mentions, a page of articles at a time. */
export async function expectedRows(tx: TxLike): Promise<DerivedRows> {
  const rows: DerivedRows = { co: new Map(), links: new Map() };
  let after = '';
  for (;;) {
    const res = await tx.run('MATCH (a:Article) WHERE a.id > $after RETURN a.id AS id ORDER BY a.id LIMIT $n', {
      after,
      n: neo4j.int(PAGE),
    });
    const ids = res.records.map((r) => r.get('id') as string);
    if (!ids.length) return rows;
    for (const article of await readArticleInputs(tx, ids, true)) addArticle(rows, article);
    after = ids[ids.length - 1];
  }
}

type Props = Record<string, unknown>;

/** Every entity's strongest-co-mentions list as the co-mention rows give it (entities with none are absent). */
export function expectedTops(co: Iterable<CoRow>): Map<string, TopList> {
  const partners = new Map<string, [string, number][]>();
  const add = (id: string, partner: string, n: number) => {
    const list = partners.get(id);
    if (list) list.push([partner, n]);
    else partners.set(id, [[partner, n]]);
  };
  for (const r of co) {
    add(r.from, r.to, r.articles);
    add(r.to, r.from, r.articles);
  }
  return new Map([...partners].map(([id, list]) => [id, rankTop(list)]));
}

/** Every stored non-empty strongest-co-mentions list. */
async function storedTops(tx: TxLike): Promise<Map<string, Props>> {
  const res = await tx.run(
    'MATCH (e:Entity) WHERE size(coalesce(e.coTopIds, [])) > 0 RETURN e.id AS id, e.coTopIds AS ids, e.coTopArticles AS articles',
  );
  return new Map(res.records.map((r) => [r.get('id'), { ids: r.get('ids'), articles: plain(r.get('articles')) }]));
}

/** Every stored derived row, as plain properties (`lastSeen` as epoch millis). */
export async function storedRows(tx: TxLike): Promise<{ co: Map<string, Props>; links: Map<string, Props> }> {
  const read = async (cypher: string) => {
    const res = await tx.run(cypher);
    return new Map(res.records.map((r) => [pairKey(r.get('from'), r.get('to')), plain(r.get('props')) as Props]));
  };
  return {
    co: await read(
      'MATCH (x:Entity)-[r:CO_MENTIONED]->(y:Entity) RETURN x.id AS from, y.id AS to, r { .*, lastSeen: r.lastSeen.epochMillis } AS props',
    ),
    links: await read(
      'MATCH (x:Policy)-[r:LINKED_COMPANY]->(y:Company) RETURN x.id AS from, y.id AS to, properties(r) AS props',
    ),
  };
}

export interface DerivedDifference {
  /**
   * TOP_CO_MENTIONS: an entity's strongest-co-mentions list (`from` is the entity, `to` empty).
   * MENTION_KEYS: a mention's copies of its ends' keys and date (mention-keys.ts; `from` is the article).
   */
  type: 'CO_MENTIONED' | 'LINKED_COMPANY' | 'TOP_CO_MENTIONS' | 'MENTION_KEYS';
  from: string;
  to: string;
  /** the properties that differ, or 'missing' / 'unexpected' for a whole row */
  fields: string[];
  expected: Props | null;
  actual: Props | null;
}

export interface VerifyReport {
  coMentioned: number;
  linkedCompanies: number;
  differences: DerivedDifference[];
}

function compare(
  type: DerivedDifference['type'],
  expected: Map<string, Props>,
  actual: Map<string, Props>,
  out: DerivedDifference[],
): void {
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const [from, to = ''] = key.split('\u0000');
    const e = expected.get(key) ?? null;
    const a = actual.get(key) ?? null;
    if (!e || !a) {
      out.push({ type, from, to, fields: [e ? 'missing' : 'unexpected'], expected: e, actual: a });
      continue;
    }
    const fields = Object.keys(e).filter((f) => JSON.stringify(e[f]) !== JSON.stringify(a[f] ?? null));
    if (fields.length) out.push({ type, from, to, fields, expected: e, actual: a });
  }
}

/** Compares the stored derived rows with a from-scratch build; read in one transaction (run it on a quiet graph). */
export async function verifyDerived(driver: Driver, database?: string): Promise<VerifyReport> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  try {
    return await session.executeRead(async (tx) => {
      const expected = await expectedRows(tx);
      const stored = await storedRows(tx);
      const differences: DerivedDifference[] = [];
      const coProps = new Map([...expected.co].map(([k, r]) => [k, coToProps(r) as unknown as Props]));
      const linkProps = new Map([...expected.links].map(([k, r]) => [k, linkToProps(r) as unknown as Props]));
      compare('CO_MENTIONED', coProps, stored.co, differences);
      compare('LINKED_COMPANY', linkProps, stored.links, differences);
      const tops = new Map([...expectedTops(expected.co.values())].map(([k, t]) => [k, t as unknown as Props]));
      compare('TOP_CO_MENTIONS', tops, await storedTops(tx), differences);
      for (const m of await mentionKeyDifferences(tx)) {
        const fields = (['entityId', 'articleId', 'publishedAt'] as const).filter((f) => m.expected[f] !== m.stored[f]);
        differences.push({
          type: 'MENTION_KEYS',
          from: m.articleId,
          to: m.entityId,
          fields,
          expected: m.expected,
          actual: m.stored,
        });
      }
      return { coMentioned: stored.co.size, linkedCompanies: stored.links.size, differences };
    }, WHOLE_GRAPH_TX);
  } finally {
    await session.close();
  }
}

const CHUNK = 2000;

/**
 * Replaces every derived row with a from-scratch build, in one write transaction, and records
 * DERIVED_VERSION. Locks the marker (one rebuild at a time; a second finds the version current
 * and does nothing) and every entity, so a concurrent ingest waits and then applies its own
 * change on top of the rebuilt rows. Rows are overwritten in place, not deleted first.
 */
export async function rebuildDerived(
  driver: Driver,
  database?: string,
  opts: { force?: boolean } = {},
): Promise<{ rebuilt: boolean; coMentioned: number; linkedCompanies: number }> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    return await session.executeWrite(async (tx) => {
      const marker = await tx.run(
        `MERGE (m:GraphMeta {key: 'derived'}) SET m.lockedAt = datetime() RETURN coalesce(m.version, 0) AS version`,
      );
      if (!opts.force && Number(marker.records[0].get('version')) >= DERIVED_VERSION)
        return { rebuilt: false, coMentioned: 0, linkedCompanies: 0 };
      const locked = await tx.run('MATCH (e:Entity) SET e.derivedLock = true REMOVE e.derivedLock RETURN e.id AS id');
      await repairMentionKeys(tx);
      const ours = new Set(locked.records.map((r) => r.get('id') as string));
      const rows = await expectedRows(tx);
      const stored = await storedRows(tx);
      // Only pairs of entities locked above: a pair with an entity created since belongs to the
      // concurrent write that created it (its rows may include articles this read did not see).
      const mine = (from: string, to: string) => ours.has(from) && ours.has(to);
      const co = [...rows.co.values()]
        .filter((r) => mine(r.from, r.to))
        .map((r) => ({ from: r.from, to: r.to, props: coToProps(r) }));
      const links = [...rows.links.values()]
        .filter((r) => mine(r.policy, r.company))
        .map((r) => ({ from: r.policy, to: r.company, props: linkToProps(r) }));
      const stale = (have: Map<string, Props>, want: Map<string, unknown>) =>
        [...have.keys()]
          .filter((k) => !want.has(k))
          .map((k) => k.split('\u0000'))
          .filter(([from, to]) => mine(from, to));
      const staleCo = stale(stored.co, rows.co);
      const staleLinks = stale(stored.links, rows.links);
      for (let i = 0; i < co.length; i += CHUNK)
        await tx.run(WRITE_CO, integersAsInts({ rows: co.slice(i, i + CHUNK) }) as Props);
      for (let i = 0; i < links.length; i += CHUNK)
        await tx.run(WRITE_LINKS, integersAsInts({ rows: links.slice(i, i + CHUNK) }) as Props);
      if (staleCo.length)
        await tx.run('UNWIND $pairs AS p MATCH (:Entity {id: p[0]})-[r:CO_MENTIONED]->(:Entity {id: p[1]}) DELETE r', {
          pairs: staleCo,
        });
      if (staleLinks.length)
        await tx.run(
          'UNWIND $pairs AS p MATCH (:Policy {id: p[0]})-[r:LINKED_COMPANY]->(:Company {id: p[1]}) DELETE r',
          { pairs: staleLinks },
        );
      // every locked entity's list, empty ones included (an entity may have lost all its co-mentions)
      const tops = expectedTops([...rows.co.values()].filter((r) => mine(r.from, r.to)));
      const topRows = [...ours].map((id) => ({ id, ...(tops.get(id) ?? { ids: [], articles: [] }) }));
      for (let i = 0; i < topRows.length; i += CHUNK)
        await tx.run(WRITE_TOPS, integersAsInts({ rows: topRows.slice(i, i + CHUNK) }) as Props);
      await tx.run(`MATCH (m:GraphMeta {key: 'derived'}) SET m.version = $version REMOVE m.lockedAt`, {
        version: neo4j.int(DERIVED_VERSION),
      });
      return { rebuilt: true, coMentioned: co.length, linkedCompanies: links.length };
    }, WHOLE_GRAPH_TX);
  } finally {
    await session.close();
  }
}

/** For the migrations: rebuild only when the graph's derived rows are missing or older than this version. */
export async function ensureDerived(driver: Driver, database?: string): Promise<void> {
  if ((await markerVersion(driver, 'derived', database)) >= DERIVED_VERSION) return;
  await rebuildDerived(driver, database);
}
