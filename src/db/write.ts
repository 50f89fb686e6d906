/**
 * Every graph write goes through `writeTx`: one managed write transaction per call, which
 * neo4j-driver retries on transient failures, so a batch is stored whole or not at all.
 * The counterpart of read.ts.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { Database } from '../neo4j/driver.js';
import { guarded } from '../neo4j/liveness.js';

/** Server-side limit for one write transaction (a batch of 200 articles takes seconds). */
export const WRITE_TIMEOUT_MS = 60_000;

export interface Writer {
  db: Database;
}

export function createWriter(db: Database): Writer {
  return { db };
}

export function writeTx<T>(writer: Writer, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  return guarded(writer.db, () => runWrite(writer, work));
}

async function runWrite<T>(writer: Writer, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = writer.db.driver.session({ database: writer.db.database, defaultAccessMode: 'WRITE' });
  try {
    return await session.executeWrite(work, { timeout: WRITE_TIMEOUT_MS });
  } finally {
    await session.close();
  }
}

/**
 * Waits until the full-text indexes (eventually consistent, see migrations.ts) include
 * every committed write, so that search finds what a write just returned from.
 */
export async function awaitSearchIndexes(writer: Writer): Promise<void> {
  await guarded(writer.db, () => writer.db.driver.executeQuery('CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()', {}, { database: writer.db.database }));
}
