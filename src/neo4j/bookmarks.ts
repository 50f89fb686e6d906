/**
 * Causal consistency across processes. A Neo4j bookmark names a committed transaction; a session
 * started with bookmarks only runs once the server (in a cluster: the member it was routed to)
 * has applied them. One `Bookmarks` per GraphQL request (server/bookmarks.ts) is shared by that
 * request's reads and writes, so its reads wait for what the client says it wrote (through any
 * replica), and its writes leave their bookmarks for the response header.
 */
import neo4j, { type BookmarkManager } from 'neo4j-driver';

export interface Bookmarks {
  /** for sessions (`bookmarkManager`): they wait for what it holds and leave their own there */
  manager: BookmarkManager;
  /** the bookmarks held now: after a session using `manager` committed, its bookmark */
  current(): string[];
  /** also wait for these from now on (e.g. the graph version a cached answer is keyed by) */
  add(bookmarks: Iterable<string>): Promise<void>;
}

export function createBookmarks(initial: Iterable<string> = []): Bookmarks {
  let held = [...initial];
  const manager = neo4j.bookmarkManager({
    initialBookmarks: held,
    // told of every change, synchronously inside the driver's update: `current()` needs no await
    bookmarksConsumer: async (bookmarks) => {
      held = [...bookmarks];
    },
  });
  return { manager, current: () => held, add: (bookmarks) => manager.updateBookmarks([], bookmarks) };
}

/** Neo4j refused the bookmarks themselves (malformed, or of another database): the client's mistake. */
export function isBookmarkRefused(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  return (
    code === 'Neo.ClientError.Transaction.InvalidBookmark' ||
    code === 'Neo.ClientError.Transaction.InvalidBookmarkMixture'
  );
}

/** A cluster member did not catch up with the bookmarks within `db.transaction.bookmark_ready_timeout`. */
export function isBookmarkTimeout(err: unknown): boolean {
  return String((err as { code?: unknown } | null)?.code ?? '') === 'Neo.TransientError.Transaction.BookmarkTimeout';
}
