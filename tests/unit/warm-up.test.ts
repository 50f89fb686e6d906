/** The warm-up's operations (src/server/warm-up.ts) are valid against the schema, and the heartbeat runs it after a recovery only. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Liveness } from '../../src/neo4j/liveness.js';
import { WARM_UP_OPERATIONS } from '../../src/server/warm-up.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('warm-up', () => {
  it('runs only valid operations', () => {
    // the exported SDL (npm run schema:check keeps it equal to the code's schema)
    const schema = buildSchema(readFileSync(join(import.meta.dirname, '..', '..', 'schema.graphql'), 'utf8'));
    for (const q of WARM_UP_OPERATIONS)
      expect(
        validate(schema, parse(q)).map((e) => e.message),
        q,
      ).toEqual([]);
  });

  it('does not run after a freeze (silence, no failed connection): the database is as warm as before', async () => {
    let frozen = false;
    const waiting: (() => void)[] = [];
    let warmUps = 0;
    const live = new Liveness(
      () =>
        new Promise((resolve) =>
          frozen ? waiting.push(() => resolve({ notOnline: [] })) : resolve({ notOnline: [] }),
        ),
      { intervalMs: 20, deadlineMs: 60, warmUp: async () => void warmUps++ },
    );
    live.start();
    try {
      await sleep(50);
      frozen = true;
      await sleep(200);
      expect(live.state().up).toBe(false);
      frozen = false;
      for (const thaw of waiting) thaw(); // SIGCONT: the outstanding heartbeat is answered
      await sleep(50);
      expect(live.state()).toMatchObject({ up: true, warm: true });
    } finally {
      live.stop();
    }
    expect(warmUps).toBe(0);
  });

  it('runs after a recovery, and the state is not warm until it is done', async () => {
    let answering = true;
    let warmUps = 0;
    let finish!: () => void;
    const live = new Liveness(
      async () => {
        if (!answering) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ServiceUnavailable' });
        return { notOnline: [] };
      },
      {
        intervalMs: 20,
        deadlineMs: 60,
        warmUp: () => {
          warmUps++;
          return new Promise<void>((r) => (finish = r));
        },
      },
    );
    live.start();
    try {
      await sleep(50);
      expect(live.state()).toMatchObject({ up: true, warm: true });
      expect(warmUps).toBe(0); // not at start
      answering = false;
      await sleep(50);
      expect(live.state().up).toBe(false);
      answering = true;
      await sleep(50);
      expect(live.state()).toMatchObject({ up: true, warm: false });
      expect(warmUps).toBe(1);
      finish();
      await sleep(10);
      expect(live.state()).toMatchObject({ up: true, warm: true });
    } finally {
      live.stop();
    }
  });
});
