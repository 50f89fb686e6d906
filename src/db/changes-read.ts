/** The change feed's read side (changes-write.ts): where the log ends, and the records after a seq. */
import type { ChangeEvent } from './changes-write.js';
import { type Reader, readRows } from './read.js';

export interface ChangeHead {
  /** the last seq handed out (0: none yet) */
  seq: number;
  /** changes with each counter: a wiped graph starts a new counter, whose seqs start again at 1 */
  epoch: string | null;
}

export interface ChangeRecord {
  seq: number;
  events: ChangeEvent[];
}

/** The statements every server runs every poll (tests that count a request's round trips leave them out). */
export const CHANGE_HEAD_CYPHER = `OPTIONAL MATCH (m:GraphMeta {key: 'changes'})
RETURN { seq: coalesce(m.seq, 0), epoch: m.epoch } AS row`;
export const CHANGES_AFTER_CYPHER = `MATCH (c:Change) WHERE c.seq > $after
WITH c ORDER BY c.seq LIMIT $limit
RETURN { seq: c.seq, events: c.events } AS row`;
export const FIRST_OF_EPOCH_CYPHER =
  'MATCH (c:Change) WHERE c.seq IS NOT NULL AND c.epoch = $epoch RETURN min(c.seq) AS row';

/** One index seek on GraphMeta.key. */
export async function changeHead(reader: Reader): Promise<ChangeHead> {
  const rows = await readRows<ChangeHead>(reader, CHANGE_HEAD_CYPHER, {});
  return { seq: Number(rows[0]?.seq ?? 0), epoch: rows[0]?.epoch ?? null };
}

/** The records after `after`, in seq order (a range seek on the Change.seq constraint's index). */
export async function changesAfter(reader: Reader, after: number, limit: number): Promise<ChangeRecord[]> {
  const rows = await readRows<{ seq: number; events: string }>(reader, CHANGES_AFTER_CYPHER, { after, limit });
  return rows.map((r) => ({ seq: Number(r.seq), events: JSON.parse(r.events) as ChangeEvent[] }));
}

/** The first record written under a counter `epoch` (null: none left): where a poller re-synchronises. */
export async function firstSeqOfEpoch(reader: Reader, epoch: string): Promise<number | null> {
  const rows = await readRows<number | null>(reader, FIRST_OF_EPOCH_CYPHER, { epoch });
  return rows[0] == null ? null : Number(rows[0]);
}
