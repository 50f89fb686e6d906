/**
 * The change feed's write side: what a write transaction made new, recorded in that same
 * transaction as `(:Change {seq, at, events})` nodes, so a change record exists exactly when its
 * writes committed. Every server process polls them (server/change-feed.ts), whichever process or
 * replica wrote: the one source of the GraphQL subscriptions.
 *
 * Ordering: `seq` comes from one counter node, `(:GraphMeta {key: 'changes'})`, write-locked and
 * incremented as the transaction's last statement but the record itself. The lock is held until
 * commit, so a transaction with a lower seq has committed (or rolled back, taking its seq with it)
 * before one with a higher seq can commit: seqs commit in order and without gaps, and a reader of
 * `seq > last` never misses a lower seq committed later. Taken last, the lock serialises writers
 * only between their last statement and their commit, and no other lock is requested after it (no
 * deadlock through it). A transaction that made nothing new takes no seq and no lock.
 *
 * Retention: each recording deletes up to PRUNE_PER_WRITE records that are both older than
 * RETENTION.ms and more than RETENTION.records seqs behind (while holding the counter lock, so
 * writers never prune the same records at once). A server that falls further behind than that
 * logs the gap (change-feed.ts).
 */
import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { TxLike } from './derived-write.js';

/** Link scopes as stored (derived-model.ts `Scope`). */
export type ChangeScope = 'article' | 'paragraph' | 'sentence';

/** One thing a transaction made new. Evidence lists are the capped lists the graph stores. */
export type ChangeEvent =
  | {
      /** an article stored for the first time, or with new content (or a new extractor) */
      kind: 'articleIngested';
      articleId: string;
      created: boolean;
      title: string;
      publishedAt: string | null;
      categories: string[];
      /** the entities it mentions now (for the subscription's `mentions` filter) */
      entityIds: string[];
    }
  | {
      /** an article mentions an entity it did not mention before this transaction */
      kind: 'entityMentioned';
      entityId: string;
      articleId: string;
      count: number;
      evidence: string[];
    }
  | {
      /** a company linked to a policy at a scope where they were not linked before this transaction */
      kind: 'policyLinked';
      policyId: string;
      companyId: string;
      scope: ChangeScope;
      /** the link's evidence at that scope (at most 10 sentences) */
      evidence: string[];
      /** the articles of this transaction that link them at that scope */
      articleIds: string[];
    }
  | {
      /** an ISSUED edge that did not exist before this transaction */
      kind: 'issued';
      agencyId: string;
      policyId: string;
      evidence: string[];
      articleIds: string[];
    };

/** Events per change record: a 200-article batch makes thousands; one record stays a few hundred KB. */
export const EVENTS_PER_RECORD = 200;
export const RETENTION = { ms: 60 * 60_000, records: 10_000 } as const;
const PRUNE_PER_WRITE = 100;

/**
 * A new counter (first write, or after the graph or its GraphMeta was wiped) goes on from the
 * newest record left, if any: seqs stay unique; its new epoch tells pollers to re-synchronise.
 */
const LOCK_COUNTER = `WITH head(COLLECT { MATCH (c:Change) WHERE c.seq IS NOT NULL RETURN c.seq ORDER BY c.seq DESC LIMIT 1 }) AS top
MERGE (m:GraphMeta {key: 'changes'})
  ON CREATE SET m.seq = coalesce(top, 0), m.epoch = $epoch
SET m.changeLock = true
REMOVE m.changeLock`;

/** A separate statement after the lock: the increment reads the value under the lock (no lost update). */
const NEXT_SEQ = `MATCH (m:GraphMeta {key: 'changes'})
SET m.seq = m.seq + $n
RETURN m.seq AS last, m.epoch AS epoch`;

const CREATE_RECORDS = `UNWIND $records AS r
CREATE (:Change {seq: r.seq, epoch: $epoch, at: datetime(), events: r.events})`;

const PRUNE = `MATCH (c:Change) WHERE c.seq <= $below
WITH c ORDER BY c.seq LIMIT $limit
WITH c WHERE c.at < datetime() - duration({milliseconds: $ms})
DETACH DELETE c`;

/** Records the events of the transaction `tx` (nothing, and no lock, when there are none); returns their seqs. */
export async function recordChanges(
  tx: TxLike,
  events: ChangeEvent[],
  retention: { ms: number; records: number } = RETENTION,
): Promise<number[]> {
  if (!events.length) return [];
  const chunks: string[] = [];
  for (let i = 0; i < events.length; i += EVENTS_PER_RECORD)
    chunks.push(JSON.stringify(events.slice(i, i + EVENTS_PER_RECORD)));
  await tx.run(LOCK_COUNTER, { epoch: randomUUID() });
  const res = await tx.run(NEXT_SEQ, { n: neo4j.int(chunks.length) });
  const last = Number(res.records[0].get('last'));
  const epoch = res.records[0].get('epoch') as string;
  const seqs = chunks.map((_, i) => last - chunks.length + 1 + i);
  await tx.run(CREATE_RECORDS, {
    epoch,
    records: chunks.map((events, i) => ({ seq: neo4j.int(seqs[i]), events })),
  });
  await tx.run(PRUNE, {
    below: neo4j.int(last - retention.records),
    limit: neo4j.int(PRUNE_PER_WRITE),
    ms: neo4j.int(retention.ms),
  });
  return seqs;
}
