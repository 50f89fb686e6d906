/**
 * Issue 6, part 2b: Neo4j stops while `newsgraph serve` is under query load. Requests must
 * fail fast (< 5 s) with DATABASE_UNAVAILABLE, /health must say so, the server must not
 * crash or hang; when Neo4j comes back on the same port, the server recovers by itself
 * within 10 s.
 */
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { EXAMPLES_DIR } from '../support/corpus.js';
import { type OwnNeo4j, startOwnNeo4j } from './neo4j.js';
import { listeners, MIXED_QUERIES, once, runLoad, type ServerProcess, startServerProcess, warmUp } from './server.js';

describe('Neo4j outage under query load', () => {
  let neo4j: OwnNeo4j;
  let server: ServerProcess;

  beforeAll(async () => {
    neo4j = await startOwnNeo4j('outage');
    const res = await ingestPaths(neo4j.db, [EXAMPLES_DIR]);
    expect(res.failed).toEqual([]);
    server = await startServerProcess(neo4j.handle.uri);
    await warmUp(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await neo4j?.dispose();
  });

  it('the embedded Neo4j listens on 127.0.0.1 only', async () => {
    const port = Number(new URL(neo4j.handle.uri).port);
    const listening = listeners(port);
    expect(listening.length).toBeGreaterThan(0);
    expect(listening.every((addr) => addr === '127.0.0.1' || addr === '::1')).toBe(true);
    // And it cannot be reached through this machine's other addresses.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const address of others) {
      const error = await new Promise<string | undefined>((done) => {
        const sock = connect({ host: address, port, timeout: 2_000 }, () => {
          sock.destroy();
          done(undefined);
        });
        sock.on('error', (e: NodeJS.ErrnoException) => done(e.code));
        sock.on('timeout', () => {
          sock.destroy();
          done('TIMEOUT');
        });
      });
      expect(error, address).toBeDefined();
    }
    // The GraphQL server too listens on loopback only (HOST defaults to 127.0.0.1).
    const http = listeners(Number(new URL(server.url).port));
    expect(http.length).toBeGreaterThan(0);
    expect(http.every((addr) => addr === '127.0.0.1')).toBe(true);
  });

  it('fails fast with DATABASE_UNAVAILABLE while Neo4j is down, and recovers by itself', async () => {
    const health = async () => {
      const t = performance.now();
      const res = await fetch(server.url.replace('/graphql', '/health'), { signal: AbortSignal.timeout(15_000) });
      return {
        status: res.status,
        body: (await res.json()) as { status: string; neo4j: { reachable: boolean } },
        ms: performance.now() - t,
      };
    };
    expect((await health()).status).toBe(200);

    const load = runLoad(server.url, 8);
    const waitFor = async (enough: () => boolean, maxMs: number) => {
      const until = performance.now() + maxMs;
      while (!enough() && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor(() => load.samples.length >= 20, 15_000); // some good traffic first
    const stoppedAt = performance.now();
    await neo4j.kill();
    const downAt = performance.now();
    await new Promise((r) => setTimeout(r, 6_000));
    const downHealth = await health();
    const restartAt = performance.now();
    await neo4j.restart(); // same data dir, same port
    const upAt = performance.now();
    // Keep the load on until every loop has had an answer after the restart, for at most 10 s.
    let recoveredAt: number | undefined;
    while (performance.now() - upAt < 10_000) {
      const probe = await once(server.url, MIXED_QUERIES[0], upAt);
      if (probe.status === 200 && !probe.code) {
        recoveredAt = upAt + probe.at + probe.ms;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // Load goes on until 20 more requests have been answered after the recovery.
    await waitFor(
      () => load.samples.filter((x) => recoveredAt !== undefined && x.at >= recoveredAt - load.started).length >= 20,
      15_000,
    );
    await load.stop();
    // /health says ok once the server has warmed the restarted (cold) Neo4j up: within 60 s.
    let upHealth = await health();
    while (upHealth.status !== 200 && performance.now() - upAt < 60_000) {
      await new Promise((r) => setTimeout(r, 250));
      upHealth = await health();
    }
    const healthyMs = performance.now() - upAt;

    const rel = (abs: number) => abs - load.started; // sample times are relative to the load's start
    const before = load.samples.filter((s) => s.at + s.ms < rel(stoppedAt));
    const during = load.samples.filter((s) => s.at >= rel(downAt) && s.at + s.ms < rel(restartAt));
    const after = load.samples.filter((s) => s.at >= rel(recoveredAt ?? Infinity));

    // Before: all good.
    expect(before.length).toBeGreaterThanOrEqual(10);
    expect(before.filter((s) => s.status !== 200 || s.code)).toEqual([]);
    // While down: every request answered, within 5 s, with DATABASE_UNAVAILABLE (no other error, no hang).
    expect(during.length).toBeGreaterThan(10);
    expect([...new Set(during.map((s) => `${s.status} ${s.code}`))]).toEqual(['200 DATABASE_UNAVAILABLE']);
    const slowest = Math.max(...during.map((s) => s.ms));
    expect(slowest).toBeLessThan(5_000);
    // Requests caught by the kill itself (in flight at that moment) also end within 5 s.
    const inFlight = load.samples.filter((s) => s.at < rel(downAt) && s.at + s.ms >= rel(stoppedAt));
    expect(inFlight.every((s) => s.ms < 5_000 && (s.code === undefined || s.code === 'DATABASE_UNAVAILABLE'))).toBe(
      true,
    );
    // /health reports it, quickly.
    expect(downHealth.status).toBe(503);
    expect(downHealth.body).toMatchObject({ status: 'degraded', neo4j: { reachable: false } });
    expect(downHealth.ms).toBeLessThan(5_000);
    // Recovery: by itself, within 10 s of Neo4j being back; then everything is good again.
    expect(recoveredAt).toBeDefined();
    const recoveryMs = recoveredAt! - upAt;
    expect(recoveryMs).toBeLessThan(10_000);
    expect(after.length).toBeGreaterThanOrEqual(20);
    expect(after.filter((s) => s.status !== 200 || s.code)).toEqual([]);
    expect(upHealth.status).toBe(200);
    // The server process never died.
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();

    console.log(
      `[figures] outage: ${during.length} requests while Neo4j was down, all DATABASE_UNAVAILABLE, slowest ${slowest.toFixed(0)} ms; ` +
        `/health 503 in ${downHealth.ms.toFixed(0)} ms; Neo4j restart took ${((upAt - restartAt) / 1000).toFixed(1)} s; ` +
        `first good answer ${recoveryMs.toFixed(0)} ms after Neo4j was back; ${after.length} good requests after; /health 200 again ${(healthyMs / 1000).toFixed(1)} s after Neo4j was back`,
    );
  });
});
