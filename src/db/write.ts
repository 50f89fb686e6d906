/**
 * Every graph write goes through `writeTx`: one managed write transaction per call, which
 * neo4j-driver retries on transient failures, so a batch is stored whole or not at all.
 * The counterpart of read.ts.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { Database } from '../neo4j/driver.js';

export interface Writer {
  db: Database;
}

export function createWriter(db: Database): Writer {
  return { db };
}

export async function writeTx<T>(writer: Writer, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = writer.db.driver.session({ database: writer.db.database, defaultAccessMode: 'WRITE' });
  try {
    return await session.executeWrite(work);
  } finally {
    await session.close();
  }
}

/**
 * Waits until the full-text indexes (eventually consistent, see migrations.ts) include
 * every committed write, so that search finds what a write just returned from.
 */
export async function awaitSearchIndexes(writer: Writer): Promise<void> {
  await writer.db.driver.executeQuery('CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()', {}, { database: writer.db.database });
}
