/**
 * Ingest benchmark: N fresh articles into an empty embedded Neo4j, the same run's
 * extraction-only time (on one thread, and in the worker pool), then an unchanged re-ingest.
 *
 *   npm run bench:ingest -- --articles 10000 [--workers N]
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { identify, prepare, readArticleFile } from '../src/ingest/article.js';
import { collectArticleFiles } from '../src/ingest/files.js';
import { ingestPaths } from '../src/ingest/pipeline.js';
import { closeExtractionPool, extractionThreads, prepareOffThread, setExtractionThreads } from '../src/ingest/pool.js';
import { runningEmbedded } from '../src/neo4j/embedded.js';
import { withEmptyNeo4j } from './bench-neo4j.js';
import { defaultSource, makeCorpus } from './make-corpus.js';

/**
 * CPU seconds used so far by this process (all its threads: main and extraction workers) and by the
 * embedded Neo4j: on a machine other jobs load, wall time says more about them than about the code.
 */
function cpuSeconds(jvmPid: number | undefined): { node: number; neo4j: number } {
  const u = process.cpuUsage();
  let neo4j = NaN;
  if (jvmPid) {
    const fields = readFileSync(`/proc/${jvmPid}/stat`, 'utf8').split(') ')[1].split(' ');
    neo4j = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  }
  return { node: (u.user + u.system) / 1e6, neo4j };
}

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '42' },
    'batch-size': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1' },
    workers: { type: 'string' },
  },
});
await setExtractionThreads(values.workers ? Number(values.workers) : undefined);
const n = Number(values.articles);
const corpusDir = join(process.cwd(), 'bench', 'out', `corpus-${n}`);
makeCorpus({ articles: n, seed: Number(values.seed), source: defaultSource(), out: corpusDir });
const { files } = await collectArticleFiles([corpusDir]);

// Extraction only: read + parse + extract every file, no database.
const t0 = performance.now();
const e0 = cpuSeconds(undefined).node;
for (const f of files) await prepare(f);
const extractMs = performance.now() - t0;
const extractCpu = cpuSeconds(undefined).node - e0;

// Parse + extract in the worker pool (what the ingest job runs), files read beforehand, the pool warm.
const loaded = [];
for (const f of files) loaded.push(identify(await readArticleFile(f), f));
await prepareOffThread(loaded[0]);
const t1 = performance.now();
const p0 = cpuSeconds(undefined).node;
await Promise.all(loaded.map((l) => prepareOffThread(l)));
const pooledMs = performance.now() - t1;
const pooledCpu = cpuSeconds(undefined).node - p0;

await withEmptyNeo4j(async (db, dataDir) => {
  const opts = { batchSize: Number(values['batch-size']), concurrency: Number(values.concurrency) };
  const jvm = runningEmbedded(dataDir)?.pid;
  const c0 = cpuSeconds(jvm);
  const fresh = await ingestPaths(db, [corpusDir], opts);
  const c1 = cpuSeconds(jvm);
  const again = await ingestPaths(db, [corpusDir], opts);
  const { records } = await db.driver.executeQuery(
    'MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels',
  );
  const s = (ms: number) => ms / 1000;
  const result = {
    articles: n,
    neo4j: db.origin,
    extractOnly: {
      seconds: +s(extractMs).toFixed(2),
      articlesPerSec: Math.round(n / s(extractMs)),
      cpuSeconds: +extractCpu.toFixed(1),
    },
    extractInPool: {
      workers: extractionThreads(),
      seconds: +s(pooledMs).toFixed(2),
      articlesPerSec: Math.round(n / s(pooledMs)),
      cpuSeconds: +pooledCpu.toFixed(1),
    },
    freshIngest: {
      seconds: +s(fresh.ms).toFixed(2),
      articlesPerSec: Math.round(n / s(fresh.ms)),
      entityMentionsPerSec: Math.round(fresh.entities / s(fresh.ms)),
      edgesPerSec: Math.round(fresh.edges / s(fresh.ms)),
      failed: fresh.failed.length,
      cpuSeconds: { node: +(c1.node - c0.node).toFixed(1), neo4j: +(c1.neo4j - c0.neo4j).toFixed(1) },
    },
    ingestOverExtract: +(fresh.ms / extractMs).toFixed(2),
    unchangedReingest: {
      seconds: +s(again.ms).toFixed(2),
      articlesPerSec: Math.round(n / s(again.ms)),
      unchanged: again.unchanged,
    },
    graph: { nodes: records[0].get('nodes'), relationships: records[0].get('rels') },
  };
  console.log(JSON.stringify(result, null, 2));
});
await closeExtractionPool();
