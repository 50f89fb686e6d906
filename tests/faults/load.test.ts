/**
 * Issue 6, part 3: 60 s of mixed GraphQL queries at concurrency 32 against `newsgraph serve`
 * (a child process, loopback only): zero 5xx, zero errors, and the server's RSS grows by
 * less than 20 % between the 10th and the 60th second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { EXAMPLES_DIR, writeGeneratedCorpus } from '../support/corpus.js';
import { startOwnNeo4j, type OwnNeo4j } from './neo4j.js';
import { listeners, runLoad, startServerProcess, warmUp, type ServerProcess } from './server.js';

const SECONDS = 60;
const CONCURRENCY = 32;

describe(`load: ${SECONDS} s of mixed queries at concurrency ${CONCURRENCY}`, () => {
  let neo4j: OwnNeo4j;
  let server: ServerProcess;
  let dir: string;

  beforeAll(async () => {
    neo4j = await startOwnNeo4j('load');
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-load-corpus-'));
    writeGeneratedCorpus(dir, 300, 99);
    const res = await ingestPaths(neo4j.db, [EXAMPLES_DIR, dir]);
    expect(res.failed).toEqual([]);
    server = await startServerProcess(neo4j.handle.uri);
    expect(listeners(Number(new URL(server.url).port))).toEqual(['127.0.0.1']);
    await warmUp(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await neo4j?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request without error and keeps its memory flat', async () => {
    // A 5 s burst first, so the measured minute starts with a warm process (JIT, caches, pools).
    const burst = runLoad(server.url, CONCURRENCY, 30_000);
    await new Promise((r) => setTimeout(r, 5_000));
    await burst.stop();

    const rss: number[] = []; // one sample per second, index = second
    rss.push(server.rssMb());
    const load = runLoad(server.url, CONCURRENCY, 30_000);
    const sampler = setInterval(() => rss.push(server.rssMb()), 1_000);
    await new Promise((r) => setTimeout(r, SECONDS * 1_000));
    clearInterval(sampler);
    await load.stop();

    const total = load.samples.length;
    const byOutcome = new Map<string, number>();
    for (const s of load.samples) {
      const k = `${s.status}${s.code ? ` ${s.code}` : ''}`;
      byOutcome.set(k, (byOutcome.get(k) ?? 0) + 1);
    }
    const latencies = load.samples.map((s) => s.ms).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    // RSS "at the 10th second" and "at the 60th": the mean of the three samples around each, against noise.
    const around = (i: number) => rss.slice(Math.max(0, i - 1), i + 2).reduce((a, b) => a + b, 0) / rss.slice(Math.max(0, i - 1), i + 2).length;
    const at10 = around(10);
    const at60 = around(Math.min(SECONDS, rss.length - 1) - 1);
    const growth = (at60 - at10) / at10;
    console.log(
      `[figures] load: ${total} requests in ${SECONDS} s at concurrency ${CONCURRENCY} = ${(total / SECONDS).toFixed(0)} req/s; ` +
        `outcomes ${JSON.stringify(Object.fromEntries(byOutcome))}; latency p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${pct(100).toFixed(0)} ms; ` +
        `server RSS ${rss[0].toFixed(0)} MB at start, ${at10.toFixed(0)} MB at 10 s, ${around(30).toFixed(0)} MB at 30 s, ${at60.toFixed(0)} MB at ${SECONDS} s (${(growth * 100).toFixed(1)} %), peak ${Math.max(...rss).toFixed(0)} MB`,
    );

    expect(total).toBeGreaterThan(SECONDS * 10);
    expect(load.samples.filter((s) => s.status >= 500)).toEqual([]);
    expect([...byOutcome.keys()]).toEqual(['200']);
    expect(growth).toBeLessThan(0.2);
    expect(server.child.exitCode).toBeNull();
  }, (SECONDS + 60) * 1_000);
});
