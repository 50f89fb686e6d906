/** The change records (db/changes-write.ts): consecutive seqs, chunking, concurrent writers, retention. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeHead, changesAfter } from '../../src/db/changes-read.js';
import { type ChangeEvent, EVENTS_PER_RECORD, recordChanges } from '../../src/db/changes-write.js';
import { createReader } from '../../src/db/read.js';
import { createWriter, writeTx } from '../../src/db/write.js';
import type { Database } from '../../src/neo4j/driver.js';
import { openTestDatabase, resetGraph } from './helpers.js';

const event = (n: number): ChangeEvent => ({
  kind: 'entityMentioned',
  entityId: `Company:c${n}`,
  articleId: `a${n}`,
  count: 1,
  evidence: [`句子${n}`],
});

describe('change records', () => {
  let db: Database;
  const record = (events: ChangeEvent[], retention?: { ms: number; records: number }) =>
    writeTx(createWriter(db), (tx) => recordChanges(tx, events, retention));

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
  });
  afterAll(async () => {
    await resetGraph(db);
    await db?.close();
  });

  it('numbers records consecutively, splits big transactions, and records nothing for no events', async () => {
    expect(await record([])).toEqual([]);
    expect(await changeHead(createReader(db))).toEqual({ seq: 0, epoch: null });
    expect(await record([event(1)])).toEqual([1]);
    const many = Array.from({ length: EVENTS_PER_RECORD * 2 + 1 }, (_, i) => event(100 + i));
    expect(await record(many)).toEqual([2, 3, 4]);
    const read = await changesAfter(createReader(db), 1, 10);
    expect(read.map((r) => r.seq)).toEqual([2, 3, 4]);
    expect(read.flatMap((r) => r.events)).toEqual(many);
    const head = await changeHead(createReader(db));
    expect(head.seq).toBe(4);
    expect(head.epoch).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('concurrent writers get distinct, gap-free seqs', async () => {
    const seqs = (await Promise.all(Array.from({ length: 8 }, (_, i) => record([event(i)])))).flat();
    expect(seqs.sort((x, y) => x - y)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('prunes records both older than the retention time and beyond the newest N', async () => {
    // records 1..10 made old; 11 and 12 stay new
    await db.driver.executeQuery("MATCH (c:Change) WHERE c.seq <= 10 SET c.at = datetime() - duration('PT2H')");
    expect(await record([event(13)], { ms: 60 * 60_000, records: 5 })).toEqual([13]);
    // pruned: old and more than 5 behind seq 13 (seq <= 8); 9 and 10 are old but among the newest
    const left = await changesAfter(createReader(db), 0, 100);
    expect(left.map((r) => r.seq)).toEqual([9, 10, 11, 12, 13]);
  });

  it('a lost counter (GraphMeta removed) goes on after the newest record, under a new epoch', async () => {
    const before = await changeHead(createReader(db));
    await db.driver.executeQuery("MATCH (m:GraphMeta {key: 'changes'}) DELETE m");
    expect(await record([event(14)])).toEqual([14]);
    const after = await changeHead(createReader(db));
    expect(after.seq).toBe(14);
    expect(after.epoch).not.toBe(before.epoch);
  });
});
