/**
 * Every graph write goes through `writeTx`: one managed write transaction per call, which
 * neo4j-driver retries on transient failures, so a batch is stored whole or not at all.
 * The counterpart of read.ts.
 */
import type { BookmarkManager, ManagedTransaction } from 'neo4j-driver';
import type { Database } from '../neo4j/driver.js';
import { guarded } from '../neo4j/liveness.js';

/** Server-side limit for one write transaction (a batch of 200 articles takes seconds). */
export const WRITE_TIMEOUT_MS = 60_000;

export interface Writer {
  db: Database;
  /** the request's bookmarks (neo4j/bookmarks.ts): writes start after them and leave theirs there */
  bookmarks?: BookmarkManager;
}

export function createWriter(db: Database, bookmarks?: BookmarkManager): Writer {
  return { db, bookmarks };
}

export function writeTx<T>(writer: Writer, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const activity = writeActivity(writer.db);
  activity.begin();
  return guarded(writer.db, () => runWrite(writer, work)).finally(() => activity.end());
}

/** Counts this process's write transactions in flight, and says when the last one ends. */
export class WriteActivity {
  private count = 0;
  private readonly idle = new Set<() => void>();

  inFlight(): number {
    return this.count;
  }

  begin(): void {
    this.count++;
  }

  end(): void {
    if (--this.count === 0) for (const listener of this.idle) listener();
  }

  /** Calls `listener` each time the last write in flight ends; returns what stops it. */
  onIdle(listener: () => void): () => void {
    this.idle.add(listener);
    return () => this.idle.delete(listener);
  }
}

// by driver: the server works on a copy of the Database object (with its heartbeat), the watcher on the original
const activities = new WeakMap<Database['driver'], WriteActivity>();

/** This process's writes to `db` (read-gate.ts lets fewer reads in while one is in flight). */
export function writeActivity(db: Database): WriteActivity {
  let activity = activities.get(db.driver);
  if (!activity) activities.set(db.driver, (activity = new WriteActivity()));
  return activity;
}

async function runWrite<T>(writer: Writer, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  // WRITE: with a routing URI (neo4j://) this goes to the cluster leader
  const session = writer.db.driver.session({
    database: writer.db.database,
    defaultAccessMode: 'WRITE',
    bookmarkManager: writer.bookmarks,
  });
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
  // routed to the writer (executeQuery's default), where the write just committed; undefined
  // bookmarks: the driver's own manager, which also orders it after this process's earlier executeQuery calls
  await guarded(writer.db, () =>
    writer.db.driver.executeQuery(
      'CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()',
      {},
      { database: writer.db.database, bookmarkManager: writer.bookmarks },
    ),
  );
}
