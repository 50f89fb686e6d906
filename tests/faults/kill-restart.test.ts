/**
 * Issue 6, part 2a: Neo4j is SIGKILLed in the middle of ingesting 2,000 articles, restarted
 * on the same data directory, and the ingest is run again. The final graph must equal a
 * clean run's graph: same node and relationship counts, the same per-article checksums,
 * no duplicate entities (the uniqueness constraints survive the crash), and no partial
 * article at any point (batches commit whole or not at all).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDerived } from '../../src/db/derived-verify.js';
import { prepare } from '../../src/ingest/article.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { writeGeneratedCorpus } from '../support/corpus.js';
import { contentCounts } from './graph-counts.js';
import { type OwnNeo4j, startOwnNeo4j, wipeGraph } from './neo4j.js';
import { MIXED_QUERIES, once, type Sample, type ServerProcess, startServerProcess } from './server.js';

const ARTICLES = 2_000;
const BATCH = 50;
const KILL_AFTER = 700; // articles reported done before the kill

describe('SIGKILL of Neo4j during a 2,000-article ingest', () => {
  let neo4j: OwnNeo4j;
  let dir: string;
  let paths: string[];
  // Issue 11: `newsgraph serve` on the same Neo4j, watched through the crash and the restart.
  // No response cache: every query must reach Neo4j.
  let server: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-kill-corpus-'));
    paths = writeGeneratedCorpus(dir, ARTICLES, 2024);
    neo4j = await startOwnNeo4j('kill');
    server = await startServerProcess(neo4j.handle.uri, { NEWSGRAPH_RESPONSE_CACHE_MB: '0' });
  });
  afterAll(async () => {
    await server?.stop();
    await neo4j?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with a database error, recovers to whole batches only, resumes, and ends equal to a clean run', async () => {
    const db = neo4j.db;
    const t0 = performance.now();
    let killedAt = 0;
    let killing: Promise<void> | undefined;
    const interrupted = await ingestPaths(db, [dir], {
      batchSize: BATCH,
      onProgress: (p) => {
        if (!killing && p.done >= KILL_AFTER) {
          killedAt = performance.now();
          killing = neo4j.kill();
        }
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    const gaveUpMs = performance.now() - killedAt;
    await killing;
    // The run stops with the driver's error: no crash, no hang. The bound is the driver's 30 s
    // retry window, plus the batch being prepared when Neo4j died (slow on a busy machine).
    expect(killing).toBeDefined();
    expect((interrupted as { code?: string })?.code).toMatch(/^(ServiceUnavailable|SessionExpired)$/);
    expect(gaveUpMs).toBeLessThan(90_000);

    // From the kill until 20 s after /health first says ok again (at most 120 s after Neo4j is
    // back): /health every 250 ms, and whenever it says ok, at once the mixed queries; and one
    // query per round whatever /health says.
    const watch = watchHealth(server.url);
    const restartStarted = performance.now();
    await neo4j.restart();
    const restartedMs = performance.now() - restartStarted;
    const upAt = performance.now();
    const firstOkAt = () => watch.rounds.find((r) => r.at > upAt && r.health === 200)?.at;
    while (performance.now() - upAt < 120_000 && performance.now() - (firstOkAt() ?? Infinity) < 20_000)
      await new Promise((r) => setTimeout(r, 250));
    const watched = await watch.stop();
    const okRounds = watched.filter((r) => r.health === 200);
    const firstOk = okRounds[0];
    const unhealthyAnswers = watched.filter((r) => r.health !== 200).map((r) => r.query);
    const failedAfterOk = okRounds.flatMap((r) =>
      r.afterOk.filter((q) => q.status !== 200 || q.code).map((q) => `${q.code} ${q.ms.toFixed(0)}ms`),
    );
    console.log(
      `[figures] kill/restart, server: ${watched.length} rounds; first /health ok ${firstOk ? ((firstOk.at - upAt) / 1000).toFixed(1) : 'never'} s after Neo4j was back; ` +
        `${okRounds.length} ok rounds, ${okRounds.length * MIXED_QUERIES.length} queries sent right after an ok, ${failedAfterOk.length} failed (${failedAfterOk.slice(0, 5).join('; ')}); ` +
        `queries while not ok: ${JSON.stringify(countBy(unhealthyAnswers.map((q) => q.code ?? 'ok')))}, slowest ${Math.max(0, ...unhealthyAnswers.map((q) => q.ms)).toFixed(0)} ms`,
    );
    expect(okRounds.length).toBeGreaterThan(10);
    // Whenever /health says ok, a real query sent at once succeeds.
    expect(failedAfterOk).toEqual([]);
    // While it does not, queries fail with DATABASE_UNAVAILABLE (not QUERY_TIMEOUT and its advice to narrow the query).
    expect(
      unhealthyAnswers
        .filter((q) => q.code && q.code !== 'DATABASE_UNAVAILABLE')
        .map((q) => `${q.status} ${q.code} ${q.ms.toFixed(0)}ms`),
    ).toEqual([]);

    // After recovery: only whole batches, and every stored article complete.
    const stored = await articleIds(db);
    expect(stored.length).toBeGreaterThanOrEqual(KILL_AFTER - 2 * BATCH);
    expect(stored.length).toBeLessThan(ARTICLES);
    const storedSet = new Set(stored);
    for (let b = 0; b < ARTICLES / BATCH; b++) {
      const ids = paths.slice(b * BATCH, (b + 1) * BATCH).map((p) => p.slice(dir.length + 1, -3));
      const present = ids.filter((id) => storedSet.has(id)).length;
      expect([0, BATCH], `batch ${b}`).toContain(present);
    }
    // Every stored article is complete: all of the last committed batches (those in flight
    // around the kill), and every 10th of the others (each costs a parse and an extraction).
    const mentions = await mentionCounts(db);
    const lastBatches = stored.slice(-3 * BATCH);
    for (const id of new Set([...lastBatches, ...stored.filter((_, i) => i % 10 === 0)])) {
      expect(mentions.get(id), id).toBe((await prepare(join(dir, `${id}.md`))).record.entities.length);
    }

    // Run again: what committed is skipped, the rest is written.
    const resumed = await ingestPaths(db, [dir], { batchSize: BATCH });
    expect(resumed).toMatchObject({ new: ARTICLES - stored.length, unchanged: stored.length, updated: 0, failed: [] });
    const recovered = await fingerprint(db);
    // the derived rows too: what the killed batches left is what the mentions give (newsgraph verify)
    expect((await verifyDerived(db.driver, db.database)).differences).toEqual([]);
    const resumeDoneMs = performance.now() - t0;

    // A clean run of the same files on an empty graph.
    await wipeGraph(db);
    const t1 = performance.now();
    const rss0 = process.memoryUsage().rss;
    let peakRss = rss0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const clean = await ingestPaths(db, [dir], { batchSize: BATCH }).finally(() => clearInterval(sampler));
    const cleanMs = performance.now() - t1;
    const rssGrowthMb = (peakRss - rss0) / 1048576;
    expect(clean).toMatchObject({ new: ARTICLES, failed: [] });
    const reference = await fingerprint(db);
    // Memory of the ingest stays bounded: batches, not the corpus, are held.
    expect(rssGrowthMb).toBeLessThan(500);

    expect(recovered.counts).toEqual(reference.counts);
    expect(recovered.articles.size).toBe(ARTICLES);
    const differing = [...reference.articles]
      .filter(([id, sum]) => recovered.articles.get(id) !== sum)
      .map(([id]) => id);
    expect(differing).toEqual([]);
    expect(recovered.relations.size).toBe(reference.relations.size);
    const relDiff = [...reference.relations]
      .filter(([k, v]) => recovered.relations.get(k) !== v)
      .map(([k, v]) => `${k}: clean ${v}, recovered ${recovered.relations.get(k)}`);
    expect(relDiff).toEqual([]);
    expect(recovered.duplicates).toEqual({ entityIds: 0, aliasKeys: 0, articleIds: 0 });
    expect(recovered.constraints).toEqual(
      expect.arrayContaining([
        'article_id',
        'entity_id',
        'alias_key',
        'company_id',
        'agency_id',
        'person_id',
        'policy_id',
        'stock_id',
      ]),
    );

    console.log(
      `[figures] kill/restart: ${ARTICLES} articles, SIGKILL after ${KILL_AFTER} done; ${stored.length} committed (whole batches); ` +
        `ingest gave up ${(gaveUpMs / 1000).toFixed(1)} s after the kill; restart with crash recovery took ${(restartedMs / 1000).toFixed(1)} s; ` +
        `resume wrote ${resumed.new}, skipped ${resumed.unchanged}; kill+resume total ${(resumeDoneMs / 1000).toFixed(0)} s; ` +
        `clean run ${(cleanMs / 1000).toFixed(0)} s (${(ARTICLES / (cleanMs / 1000)).toFixed(0)} articles/s, peak RSS growth ${rssGrowthMb.toFixed(0)} MB); ` +
        `graph ${JSON.stringify(recovered.counts)} equal to the clean run, ${ARTICLES} article checksums equal`,
    );
  }, 600_000);
});

interface HealthRound {
  /** performance.now() when /health answered */
  at: number;
  health: number;
  /** a query sent with the /health request, whatever it answers */
  query: Sample;
  /** the mixed queries, sent as soon as /health answered 200 */
  afterOk: Sample[];
}

function watchHealth(url: string) {
  const rounds: HealthRound[] = [];
  let running = true;
  const healthUrl = url.replace('/graphql', '/health');
  const loop = (async () => {
    while (running) {
      const [health, query] = await Promise.all([
        fetch(healthUrl, { signal: AbortSignal.timeout(30_000) }).then(
          async (r) => {
            await r.text();
            return r.status;
          },
          () => 0,
        ),
        once(url, MIXED_QUERIES[0], performance.now(), 30_000),
      ]);
      const at = performance.now();
      const afterOk = health === 200 ? await Promise.all(MIXED_QUERIES.map((q) => once(url, q, at, 30_000))) : [];
      rounds.push({ at, health, query, afterOk });
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    rounds,
    async stop() {
      running = false;
      await loop;
      return rounds;
    },
  };
}

const countBy = (xs: string[]) =>
  xs.reduce<Record<string, number>>((acc, x) => {
    acc[x] = (acc[x] ?? 0) + 1;
    return acc;
  }, {});

async function articleIds(db: Database): Promise<string[]> {
  const { records } = await db.driver.executeQuery('MATCH (a:Article) RETURN a.id AS id ORDER BY id');
  return records.map((r) => r.get('id') as string);
}

async function mentionCounts(db: Database): Promise<Map<string, number>> {
  const { records } = await db.driver.executeQuery(
    'MATCH (a:Article) RETURN a.id AS id, COUNT { (a)-[:MENTIONS]->() } AS n',
  );
  return new Map(records.map((r) => [r.get('id') as string, r.get('n') as number]));
}

const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Counts by label and type, a checksum per article (its properties and everything it points at), a checksum of the relations between entities. */
async function fingerprint(db: Database) {
  const q = async (cypher: string) => (await db.driver.executeQuery(cypher)).records;
  const counts = {
    nodes: (await q('MATCH (n) WHERE NOT n:GraphMeta AND NOT n:Change RETURN count(n) AS n'))[0].get('n') as number,
    rels: (await q('MATCH ()-[r]->() RETURN count(r) AS n'))[0].get('n') as number,
    ...(await contentCounts(db)),
  };
  const rows = await q(`
    MATCH (a:Article)
    CALL (a) {
      OPTIONAL MATCH (a)-[m:MENTIONS]->(e:Entity)
      WITH e, m ORDER BY e.id
      RETURN collect([e.id, e.name, m.count, m.paragraphs, m.sentences, m.evidence]) AS mentions
    }
    CALL (a) {
      OPTIONAL MATCH (p:Person)-[w:WROTE|EDITED]->(a)
      WITH p, w ORDER BY type(w), p.id
      RETURN collect([type(w), p.id]) AS people
    }
    RETURN a.id AS id, [a.title, a.contentHash, a.extractorVersion, a.paragraphs, a.sentences, toString(a.publishedAt), a.categories] AS props, mentions, people`);
  const articles = new Map(
    rows.map((r) => [r.get('id') as string, sha([r.get('props'), r.get('mentions'), r.get('people')])]),
  );
  const rels = await q(`
    MATCH (f:Entity)-[r:ISSUED|HOLDS_ROLE|LISTED_AS]->(t:Entity)
    RETURN f.id AS f, type(r) AS t, t.id AS to, r.articleIds AS ids, size(r.evidence) AS ev, r.title AS title ORDER BY f, t, to`);
  const relations = new Map(
    rels.map((r) => [
      `${r.get('f')} -[${r.get('t')}]-> ${r.get('to')}`,
      JSON.stringify([[...(r.get('ids') as string[])].sort(), r.get('ev'), r.get('title')]),
    ]),
  );
  const dup = async (cypher: string) => (await q(cypher))[0].get('n') as number;
  const duplicates = {
    entityIds: await dup('MATCH (e:Entity) WITH e.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS n'),
    aliasKeys: await dup('MATCH (a:Alias) WITH a.key AS k, count(*) AS c WHERE c > 1 RETURN count(*) AS n'),
    articleIds: await dup('MATCH (a:Article) WITH a.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS n'),
  };
  const constraints = (await q('SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names'))[0].get(
    'names',
  ) as string[];
  return { counts, articles, relations, duplicates, constraints };
}
