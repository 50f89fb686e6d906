/**
 * Issue 12, A: the Neo4j process freezes (SIGSTOP) while `newsgraph serve` is under a light query
 * load. A frozen server keeps its sockets open and never answers, so nothing fails by itself:
 * requests must still get DATABASE_UNAVAILABLE within 5 s, /health must answer 503 within 5 s,
 * and after SIGCONT everything recovers without a restart. Frozen for 10 s and for 35 s (longer
 * than the heartbeat's 30 s give-up time for an unanswered probe).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { EXAMPLES_DIR } from '../support/corpus.js';
import { type OwnNeo4j, startOwnNeo4j } from './neo4j.js';
import { MIXED_QUERIES, once, runLoad, type Sample, type ServerProcess, startServerProcess, warmUp } from './server.js';

const BAR_MS = 5_000;

describe('Neo4j frozen (SIGSTOP) under a light query load', () => {
  let neo4j: OwnNeo4j;
  let server: ServerProcess;
  let frozenPid: number | undefined;

  beforeAll(async () => {
    neo4j = await startOwnNeo4j('frozen');
    const res = await ingestPaths(neo4j.db, [EXAMPLES_DIR]);
    expect(res.failed).toEqual([]);
    server = await startServerProcess(neo4j.handle.uri);
    await warmUp(server.url);
  });
  afterAll(async () => {
    if (frozenPid) process.kill(frozenPid, 'SIGCONT'); // never leave a stopped JVM behind
    await server?.stop();
    await neo4j?.dispose();
  });

  const health = async () => {
    const t = performance.now();
    try {
      const res = await fetch(server.url.replace('/graphql', '/health'), { signal: AbortSignal.timeout(60_000) });
      return { status: res.status, body: (await res.json()) as { status: string }, ms: performance.now() - t, at: t };
    } catch (err) {
      return { status: 0, body: { status: (err as Error).name }, ms: performance.now() - t, at: t };
    }
  };

  for (const freezeMs of [10_000, 35_000]) {
    it(`frozen ${freezeMs / 1000} s: DATABASE_UNAVAILABLE and /health 503 within 5 s, then recovers`, async () => {
      const pid = neo4j.handle.pid;
      expect((await health()).status).toBe(200);
      // Light load: two clients looping over the mixed queries (per-request client timeout 60 s,
      // so a stalled request shows as slow instead of being cut short by the client).
      const load = runLoad(server.url, 2, 60_000);
      while (load.samples.length < 10) await new Promise((r) => setTimeout(r, 50));

      process.kill(pid, 'SIGSTOP');
      frozenPid = pid;
      // kill() returns before every JVM thread has stopped; a query can still be answered meanwhile
      await allThreadsStopped(pid);
      const stoppedAt = performance.now();
      const sleepUntil = async (at: number) => {
        while (performance.now() < at) await new Promise((r) => setTimeout(r, 50));
      };
      // At the moment of the freeze: a query and /health, both must answer within 5 s. Not awaited
      // here: the freeze lasts its planned time whatever they do.
      const first = Promise.all([once(server.url, MIXED_QUERIES[0], stoppedAt, 60_000), health()]);
      // Later in the freeze (past the heartbeat's give-up time in the 35 s case): still fast.
      const late = sleepUntil(stoppedAt + freezeMs - 3_000).then(() =>
        Promise.all([once(server.url, MIXED_QUERIES[1], stoppedAt, 60_000), health()]),
      );
      await sleepUntil(stoppedAt + freezeMs);

      process.kill(pid, 'SIGCONT');
      frozenPid = undefined;
      const resumedAt = performance.now();
      // Recovery: /health 200, then a real query works.
      let healthyAt: number | undefined;
      while (performance.now() - resumedAt < 30_000) {
        const h = await health();
        if (h.status === 200) {
          healthyAt = h.at + h.ms;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const afterQuery = await once(server.url, MIXED_QUERIES[2], resumedAt, 60_000);
      const [[firstQuery, firstHealth], [lateQuery, lateHealth]] = await Promise.all([first, late]);
      // Let the load run on after recovery, then stop it.
      const recovered = () => load.samples.filter((s) => s.at >= (healthyAt ?? Infinity) - load.started).length;
      while (recovered() < 10 && performance.now() - resumedAt < 30_000) await new Promise((r) => setTimeout(r, 100));
      await load.stop();

      const rel = (abs: number) => abs - load.started;
      // Load requests sent while frozen, answered before SIGCONT or not, and those in flight at the freeze.
      const duringFreeze = load.samples.filter((s) => s.at >= rel(stoppedAt) && s.at < rel(resumedAt) - BAR_MS);
      const inFlight = load.samples.filter((s) => s.at < rel(stoppedAt) && s.at + s.ms > rel(stoppedAt));
      const afterRecovery = load.samples.filter((s) => s.at >= rel(healthyAt ?? Infinity));
      const show = (ss: Sample[]) => ss.map((s) => `${s.status} ${s.code ?? 'ok'} ${s.ms.toFixed(0)}ms`);
      const figures =
        `[figures] frozen ${freezeMs / 1000} s: first query ${firstQuery.code ?? 'ok'} in ${firstQuery.ms.toFixed(0)} ms, /health ${firstHealth.status} in ${firstHealth.ms.toFixed(0)} ms; ` +
        `${(freezeMs - 3_000) / 1000} s into the freeze: query ${lateQuery.code ?? 'ok'} in ${lateQuery.ms.toFixed(0)} ms, /health ${lateHealth.status} in ${lateHealth.ms.toFixed(0)} ms; ` +
        `load during the freeze: ${duringFreeze.length} requests, slowest ${Math.max(0, ...duringFreeze.map((s) => s.ms)).toFixed(0)} ms, codes ${[...new Set(duringFreeze.map((s) => s.code ?? 'ok'))].join(',')}; ` +
        `in flight at the freeze: ${show(inFlight).join('; ')}; ` +
        `/health 200 again ${healthyAt === undefined ? 'never' : `${(healthyAt - resumedAt).toFixed(0)} ms`} after SIGCONT; ${afterRecovery.length} load requests after`;
      console.log(figures);

      expect(firstQuery).toMatchObject({ status: 200, code: 'DATABASE_UNAVAILABLE' });
      expect(firstQuery.ms).toBeLessThan(BAR_MS);
      expect(firstHealth.status).toBe(503);
      expect(firstHealth.ms).toBeLessThan(BAR_MS);
      expect(lateQuery).toMatchObject({ status: 200, code: 'DATABASE_UNAVAILABLE' });
      expect(lateQuery.ms).toBeLessThan(BAR_MS);
      expect(lateHealth.status).toBe(503);
      expect(lateHealth.ms).toBeLessThan(BAR_MS);
      // Every load request during the freeze: DATABASE_UNAVAILABLE (or, in its first moments, a
      // result), within 5 s; requests in flight when it froze also end within 5 s.
      expect(duringFreeze.length).toBeGreaterThan(5);
      expect(
        duringFreeze.filter((s) => s.ms >= BAR_MS || s.status !== 200 || (s.code && s.code !== 'DATABASE_UNAVAILABLE')),
      ).toEqual([]);
      expect(duringFreeze.some((s) => s.code === 'DATABASE_UNAVAILABLE')).toBe(true);
      expect(
        inFlight.filter((s) => s.ms >= BAR_MS || s.status !== 200 || (s.code && s.code !== 'DATABASE_UNAVAILABLE')),
      ).toEqual([]);
      // Recovery by itself.
      expect(healthyAt).toBeDefined();
      expect(afterQuery).toMatchObject({ status: 200 });
      expect(afterQuery.code).toBeUndefined();
      expect(afterRecovery.length).toBeGreaterThanOrEqual(10);
      expect(afterRecovery.filter((s) => s.status !== 200 || s.code)).toEqual([]);
      expect(server.child.exitCode).toBeNull();
    }, 180_000);
  }
});

/** Waits until every thread of the process is in the stopped state (`T` in /proc/<pid>/task/<tid>/stat). */
async function allThreadsStopped(pid: number): Promise<void> {
  const state = (tid: string) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return stat[stat.lastIndexOf(')') + 2]; // after "pid (name) ", the name may hold parentheses
    } catch {
      return 'T'; // the thread is gone
    }
  };
  const until = performance.now() + 5_000;
  while (readdirSync(`/proc/${pid}/task`).some((tid) => state(tid) !== 'T')) {
    if (performance.now() > until) throw new Error(`Neo4j (pid ${pid}) did not stop`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
