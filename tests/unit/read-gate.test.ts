import { describe, expect, it } from 'vitest';
import { ReadGate } from '../../src/db/read-gate.js';

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
});
