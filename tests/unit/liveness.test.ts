/**
 * The heartbeat's rules (src/neo4j/liveness.ts) with a probe the test controls; the behaviour
 * against a real frozen Neo4j is tests/faults/frozen-db.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/neo4j/driver.js';
import { type HeartbeatAnswer, Liveness, WARM_UP_MS } from '../../src/neo4j/liveness.js';
import { classify } from '../../src/server/errors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A probe that hangs until `answer` or `fail` is called, like a query on a frozen server. */
function controllableProbe() {
  const calls: { answer(a?: HeartbeatAnswer): void; fail(e: Error): void }[] = [];
  let mode: 'answer' | 'hang' | { notOnline: string[] } = 'answer';
  const probe = () =>
    new Promise<HeartbeatAnswer>((resolve, reject) => {
      calls.push({ answer: (a = { notOnline: [] }) => resolve(a), fail: reject });
      if (mode === 'answer') resolve({ notOnline: [] });
      else if (typeof mode === 'object') resolve(mode);
    });
  return { probe, calls, set: (m: typeof mode) => (mode = m) };
}

describe('Liveness', () => {
  let live: Liveness | undefined;
  afterEach(() => live?.stop());

  it('releases waiting work and refuses new work when a heartbeat goes unanswered, and recovers when it is answered', async () => {
    const p = controllableProbe();
    live = new Liveness(p.probe, { intervalMs: 20, deadlineMs: 60 });
    live.start();
    await sleep(30);
    expect(live.state().up).toBe(true);
    expect(await live.guard(async () => 42)).toBe(42);

    p.set('hang');
    const waiting = live.guard(() => new Promise(() => {})); // a query on a frozen server: never settles
    const t = performance.now();
    await expect(waiting).rejects.toMatchObject({ name: 'DatabaseUnavailableError' });
    expect(performance.now() - t).toBeLessThan(500);
    expect(live.state()).toMatchObject({ up: false, reachable: false });
    // refused at once, and mapped to DATABASE_UNAVAILABLE by the API's error classifier
    const refused = await live.guard(async () => 1).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(classify(refused, 1000)).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(/unreachable/),
    });

    // one heartbeat outstanding at a time: no pile of probes on a frozen server
    const sent = p.calls.length;
    await sleep(200);
    expect(p.calls.length).toBe(sent);

    p.set('answer');
    p.calls.at(-1)!.answer(); // the server wakes up: the outstanding heartbeat is answered
    await sleep(10);
    expect(live.state().up).toBe(true);
    expect(await live.guard(async () => 'ok')).toBe('ok');
  });

  it('counts a failing heartbeat (connection refused) as unavailable', async () => {
    live = new Liveness(
      () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ServiceUnavailable' })),
      { intervalMs: 20, deadlineMs: 60 },
    );
    live.start();
    await sleep(30);
    expect(live.state()).toMatchObject({ up: false, reachable: false });
  });

  it('does not judge a slow first heartbeat (a cold Neo4j plans it once)', async () => {
    const p = controllableProbe();
    p.set('hang');
    live = new Liveness(p.probe, { intervalMs: 20, deadlineMs: 60 });
    live.start();
    await sleep(200);
    expect(live.state().up).toBe(true);
    p.calls[0].answer();
    await sleep(10);
    p.calls.at(-1)!.answer(); // from now on, lateness counts
    await sleep(200);
    expect(live.state().up).toBe(false);
  });

  it('does not count a heartbeat failing for another reason (a bug, a permission) as an outage', async () => {
    live = new Liveness(() => Promise.reject(new Error('internal failure')), { intervalMs: 20, deadlineMs: 60 });
    live.start();
    await sleep(50);
    expect(live.state().up).toBe(true);
  });

  it('does not count a slow heartbeat as an outage while other work still gets answers (busy, not frozen)', async () => {
    const p = controllableProbe();
    live = new Liveness(p.probe, { intervalMs: 20, deadlineMs: 100 });
    live.start();
    await sleep(30);
    p.set('hang');
    const until = performance.now() + 400;
    while (performance.now() < until) {
      await live.guard(() => sleep(20)); // answered work: Neo4j is alive
      expect(live.state().up).toBe(true);
    }
    // once nothing answers for the deadline, it is an outage
    await sleep(250);
    expect(live.state().up).toBe(false);
  });

  it('treats indexes that are not online as starting: DATABASE_UNAVAILABLE, not a timeout', async () => {
    const p = controllableProbe();
    p.set({ notOnline: ['entity_names'] });
    live = new Liveness(p.probe, { intervalMs: 20, deadlineMs: 60 });
    live.start();
    await sleep(30);
    expect(live.state()).toMatchObject({ up: false, reachable: true });
    const err = await live.guard(async () => 1).catch((e: unknown) => e);
    expect(classify(err, 1000)).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(/starting/),
    });
    p.set('answer');
    await sleep(40);
    expect(live.state().up).toBe(true);
    // Just after coming back, a query that times out is the cold database, not the query's size.
    const timedOut = Object.assign(new Error('timed out'), {
      name: 'Neo4jError',
      code: 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
    });
    const cold = await live.guard(() => Promise.reject(timedOut)).catch((e: unknown) => e);
    expect(classify(cold, 1000)).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(WARM_UP_MS).toBeGreaterThan(10_000);
  });

  it('leaves a timeout a timeout when the database has been available all along', async () => {
    live = new Liveness(async () => ({ notOnline: [] }), { intervalMs: 20, deadlineMs: 60 });
    live.start();
    await sleep(30);
    const timedOut = Object.assign(new Error('timed out'), {
      name: 'Neo4jError',
      code: 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
    });
    const err = await live.guard(() => Promise.reject(timedOut)).catch((e: unknown) => e);
    expect(classify(err, 1000)).toMatchObject({ code: 'QUERY_TIMEOUT' });
  });
});
