/**
 * The graph's version, as Neo4j itself reports it: the bookmark a read returns names the last
 * transaction committed to the database, so it changes with every write from any process (this
 * server's mutations, a CLI ingest, a Cypher shell) and with nothing else.
 *
 * Reads are shared between concurrent callers, but a caller only gets the answer of a read
 * that started after it asked: a write committed before `current()` was called is always
 * reflected in what it returns.
 *
 * In a cluster (neo4j:// routing) the read goes to a follower, which reports what it has applied:
 * a caller with bookmarks (a client that wrote through another replica) passes them, and gets its
 * own read that waits for them, so the version it gets is never older than its write.
 */
import neo4j, { type BookmarkManager } from 'neo4j-driver';
import type { Database } from '../neo4j/driver.js';
import { guarded } from '../neo4j/liveness.js';

export interface GraphVersion {
  /**
   * An opaque token, equal for two calls exactly when no write committed between their reads: the
   * bookmarks of the read, joined by commas (`versionBookmarks` splits them back).
   * `after`: read after these bookmarks (not shared with other callers); the read's bookmark is left there.
   */
  current(after?: BookmarkManager): Promise<string>;
}

/** The bookmarks a version token is made of: waiting for them means seeing at least that version. */
export function versionBookmarks(token: string): string[] {
  return token.split(',').filter(Boolean);
}

export function createGraphVersion(db: Database): GraphVersion {
  let inFlight: Promise<string> | undefined;
  let next: Promise<string> | undefined;

  // guarded: during an outage the version read fails at once, and the request runs uncached (and fails the same way)
  const read = (after?: BookmarkManager): Promise<string> =>
    guarded(db, async () => {
      const session = db.driver.session({
        database: db.database,
        defaultAccessMode: neo4j.session.READ,
        bookmarkManager: after,
      });
      try {
        await session.run('RETURN 1');
        return session.lastBookmarks().join(',');
      } finally {
        await session.close();
      }
    });
  const start = (): Promise<string> => {
    const p = read().finally(() => {
      if (inFlight === p) inFlight = undefined;
    });
    inFlight = p;
    return p;
  };

  return {
    current(after) {
      if (after) return read(after);
      if (!inFlight) return start();
      // a read is under way, but it may have started before a write this caller must see:
      // wait for it, then share the one read that starts after it
      next ??= inFlight
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return start();
        });
      return next;
    },
  };
}
