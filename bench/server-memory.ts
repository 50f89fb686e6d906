/**
 * How the server's memory behaves under sustained load, from a cold start: the load of
 * tests/faults/load.test.ts (8 mixed queries, 32 clients, response cache off) for --seconds,
 * with V8's --trace-gc on the server. Per 10 s: the median RSS, and after the full collections
 * in that window the lowest heap still in use (a leak raises it) and the largest heap V8 keeps
 * reserved (it grows while V8 sizes the heap to the load).
 *
 *   npx tsx bench/server-memory.ts [--seconds 150]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestPaths } from '../src/ingest/pipeline.js';
import { startOwnNeo4j } from '../tests/faults/neo4j.js';
import { mainThreadGcs, runLoad, startServerProcess, warmUp } from '../tests/faults/server.js';
import { EXAMPLES_DIR, writeGeneratedCorpus } from '../tests/support/corpus.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '150' } } });
const seconds = Number(values.seconds);

const neo4j = await startOwnNeo4j('memory');
const dir = mkdtempSync(join(tmpdir(), 'newsgraph-memory-corpus-'));
try {
  writeGeneratedCorpus(dir, 300, 99);
  await ingestPaths(neo4j.db, [EXAMPLES_DIR, dir]);
  const server = await startServerProcess(neo4j.handle.uri, { NEWSGRAPH_RESPONSE_CACHE_MB: '0' }, { traceGc: true });
  try {
    await warmUp(server.url);
    const startedMs = server.uptimeMs();
    const rss: number[] = [];
    const load = runLoad(server.url, 32, 30_000);
    const sampler = setInterval(() => rss.push(server.rssMb()), 1_000);
    await new Promise((r) => setTimeout(r, seconds * 1_000));
    clearInterval(sampler);
    await load.stop();

    const gcs = mainThreadGcs(server.fullGcs);
    console.log(
      `${load.samples.length} requests in ${seconds} s (${(load.samples.length / seconds).toFixed(0)} req/s), cold server, response cache off`,
    );
    console.log('| seconds | RSS median MB | full GCs | lowest live heap MB | largest reserved heap MB |');
    console.log('|---|---:|---:|---:|---:|');
    for (let from = 0; from < seconds; from += 10) {
      const window = rss.slice(from, from + 10).sort((a, b) => a - b);
      const inWindow = gcs.filter(
        (g) => g.atMs >= startedMs + from * 1_000 && g.atMs < startedMs + (from + 10) * 1_000,
      );
      const live = inWindow.length ? Math.min(...inWindow.map((g) => g.liveMb)).toFixed(1) : '–';
      const reserved = inWindow.length ? Math.max(...inWindow.map((g) => g.committedMb)).toFixed(1) : '–';
      console.log(
        `| ${from}–${from + 10} | ${window[Math.floor(window.length / 2)]?.toFixed(0) ?? '–'} | ${inWindow.length} | ${live} | ${reserved} |`,
      );
    }
  } finally {
    await server.stop();
  }
} finally {
  await neo4j.dispose();
  rmSync(dir, { recursive: true, force: true });
}
