/**
 * The graph the query benchmark runs against: the N-article synthetic corpus
 * (bench/make-corpus.ts) ingested into an embedded Neo4j on its own data directory.
 * The data directory is reused between runs: a marker file records a finished ingest.
 *
 *   npx tsx bench/query-graph.ts [--data DIR] [--articles 10000] [--verify]   (prepare only;
 *   --verify: then compare the derived rows with a from-scratch build, as `newsgraph verify` does)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyDerived } from '../src/db/derived-verify.js';
import { ingestPaths } from '../src/ingest/pipeline.js';
import type { Database } from '../src/neo4j/driver.js';
import { openBenchNeo4j } from './bench-neo4j.js';
import { defaultSource, makeCorpus } from './make-corpus.js';

export interface GraphOptions {
  dataDir: string;
  articles: number;
  seed: number;
  pageCache?: string;
  log?: (line: string) => void;
}

const MARKER = 'newsgraph-bench-graph.json';

/** Starts the embedded Neo4j on `dataDir` (loopback, free port), ingesting the corpus unless already done. */
export async function openBenchGraph(
  opts: GraphOptions,
): Promise<{ db: Database; ingested: boolean; ingestSeconds?: number }> {
  const log = opts.log ?? ((l: string) => console.error(l));
  mkdirSync(opts.dataDir, { recursive: true });
  const db = await openBenchNeo4j(opts.dataDir, log, opts.pageCache);
  const marker = join(opts.dataDir, MARKER);
  const want = { articles: opts.articles, seed: opts.seed };
  if (existsSync(marker)) {
    const have = JSON.parse(readFileSync(marker, 'utf8')) as typeof want;
    if (have.articles === want.articles && have.seed === want.seed) return { db, ingested: false };
    throw new Error(
      `${opts.dataDir} holds a graph of ${have.articles} articles (seed ${have.seed}); use another --data directory`,
    );
  }
  const corpusDir = join(process.cwd(), 'bench', 'out', `corpus-${opts.articles}-seed${opts.seed}`);
  log(`Writing the ${opts.articles}-article corpus to ${corpusDir}...`);
  makeCorpus({ articles: opts.articles, seed: opts.seed, source: defaultSource(), out: corpusDir });
  log(`Ingesting it (a few minutes for 10,000 articles)...`);
  const summary = await ingestPaths(db, [corpusDir], { concurrency: 1, batchSize: 100 });
  if (summary.failed.length) log(`${summary.failed.length} files failed to ingest`);
  writeFileSync(marker, JSON.stringify({ ...want, ingestedAt: new Date().toISOString(), ms: Math.round(summary.ms) }));
  return { db, ingested: true, ingestSeconds: summary.ms / 1000 };
}

export function defaultDataDir(articles: number): string {
  return join(process.cwd(), 'bench', 'out', `query-graph-${articles}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      articles: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '42' },
      verify: { type: 'boolean', default: false },
    },
  });
  const articles = Number(values.articles);
  const { db, ingested, ingestSeconds } = await openBenchGraph({
    dataDir: values.data ?? defaultDataDir(articles),
    articles,
    seed: Number(values.seed),
  });
  const { records } = await db.driver.executeQuery(
    'MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels',
  );
  let verify: Record<string, number> | undefined;
  if (values.verify) {
    const t = performance.now();
    const report = await verifyDerived(db.driver, db.database);
    verify = {
      coMentioned: report.coMentioned,
      linkedCompanies: report.linkedCompanies,
      differences: report.differences.length,
      seconds: Math.round((performance.now() - t) / 1000),
    };
  }
  console.log(
    JSON.stringify({ ingested, ingestSeconds, nodes: records[0].get('nodes'), rels: records[0].get('rels'), verify }),
  );
  await db.close();
}
