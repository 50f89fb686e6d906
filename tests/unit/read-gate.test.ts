import { describe, expect, it } from 'vitest';
import { ReadGate } from '../../src/db/read-gate.js';
import { WriteActivity, writeActivity } from '../../src/db/write.js';
import type { Database } from '../../src/neo4j/driver.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ReadGate', () => {
  it('runs at most `slots` at once, the rest in arrival order, and frees a slot on failure', async () => {
    const gate = new ReadGate(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const job = (n: number, fail = false) =>
      gate.run(
        () =>
          new Promise<number>((done, reject) => {
            started.push(n);
            release[n] = () => (fail ? reject(new Error(`job ${n}`)) : done(n));
          }),
      );
    const results = [job(0), job(1, true), job(2), job(3)];
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.queued()).toBe(2);
    release[1]();
    await expect(results[1]).rejects.toThrow('job 1');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    release[0]();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(gate.queued()).toBe(0);
    release[2]();
    release[3]();
    expect(await Promise.all([results[0], results[2], results[3]])).toEqual([0, 2, 3]);
    // all slots free again: the next one starts at once
    const late = job(4);
    await tick();
    expect(started.at(-1)).toBe(4);
    release[4]();
    expect(await late).toBe(4);
  });

  it('lets only `whileWriting` reads in while a write is in flight, and the rest in when it ends', async () => {
    const writes = new WriteActivity();
    const gate = new ReadGate(0, 1, writes);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const job = (n: number) =>
      gate.run(
        () =>
          new Promise<number>((done) => {
            started.push(n);
            release[n] = () => done(n);
          }),
      );
    // no write: no limit
    const free = [job(0), job(1), job(2)];
    await tick();
    expect(started).toEqual([0, 1, 2]);
    writes.begin();
    const held = [job(3), job(4)];
    await tick();
    expect(started).toEqual([0, 1, 2]); // three running, more than the one allowed while writing
    for (const n of [0, 1, 2]) release[n]();
    await Promise.all(free);
    await tick();
    expect(started).toEqual([0, 1, 2, 3]); // one at a time while the write lasts
    expect(gate.queued()).toBe(1);
    writes.begin(); // a second write overlapping the first
    writes.end();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    writes.end(); // the last write ends: the waiting read goes in beside the running one
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    release[3]();
    release[4]();
    expect(await Promise.all(held)).toEqual([3, 4]);
  });

  it("one activity per driver: the server's copy of the Database object sees the watcher's writes", () => {
    const db = { driver: {}, uri: 'bolt://x', origin: 'NEO4J_URI', close: async () => {} } as unknown as Database;
    const serversCopy: Database = { ...db, liveness: {} as never };
    writeActivity(db).begin();
    expect(writeActivity(serversCopy).inFlight()).toBe(1);
    writeActivity(db).end();
    expect(writeActivity(serversCopy).inFlight()).toBe(0);
    const otherDriver = { ...db, driver: {} } as unknown as Database;
    expect(writeActivity(otherDriver)).not.toBe(writeActivity(db));
  });
});
