/**
 * Read-your-writes across newsgraph replicas (docs/DEPLOY.md). A mutation answers with the Neo4j
 * bookmarks of its writes in the `x-newsgraph-bookmark` response header; a request that sends the
 * header back, to any replica, reads only once the Neo4j member serving it has applied them (and
 * the response cache keys it by a graph version read after them, response-cache.ts). Without the
 * header a request reads whatever the member it is routed to has applied (the driver's default).
 *
 * The header holds comma-separated bookmarks, opaque strings the client copies as they are.
 */
import { type GraphQLError, getOperationAST } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { type Bookmarks, createBookmarks, isBookmarkRefused, isBookmarkTimeout } from '../neo4j/bookmarks.js';
import { errorExtensions } from '../schema/errors.js';

export const BOOKMARK_HEADER = 'x-newsgraph-bookmark';

/** Neo4j 5 bookmarks are `FB:` + base64 (~30 characters); these bounds leave room and refuse junk before Neo4j sees it. */
const MAX_BOOKMARKS = 16;
const BOOKMARK = /^[A-Za-z0-9+/=:_-]{1,512}$/;

export class BookmarkHeaderError extends Error {
  override name = 'BookmarkHeaderError';
}

/** The bookmarks a header value names ([] for none); throws BookmarkHeaderError on a malformed one. */
export function parseBookmarkHeader(value: string | null): string[] {
  if (value == null) return [];
  const bookmarks = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (bookmarks.length > MAX_BOOKMARKS)
    throw new BookmarkHeaderError(
      `the ${BOOKMARK_HEADER} header holds ${bookmarks.length} bookmarks, at most ${MAX_BOOKMARKS} are accepted`,
    );
  const bad = bookmarks.find((b) => !BOOKMARK.test(b));
  if (bad !== undefined)
    throw new BookmarkHeaderError(
      `the ${BOOKMARK_HEADER} header holds something that is not a bookmark: send back exactly what a mutation answered`,
    );
  return [...new Set(bookmarks)];
}

/**
 * The error to answer when a read that waited for the client's bookmarks failed because of them:
 * Neo4j refused them, or did not reach them within its wait (a cluster says BookmarkTimeout; one
 * server ends the transaction as timed out, and a `RETURN 1` has nothing else to time out on).
 */
export function bookmarkFailure(err: unknown): GraphQLError | undefined {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (isBookmarkRefused(err)) {
    return createGraphQLError(
      `Neo4j does not accept the bookmark in the ${BOOKMARK_HEADER} header (it is not one, or is of another database)`,
      { extensions: errorExtensions('BAD_USER_INPUT') },
    );
  }
  if (isBookmarkTimeout(err) || /TransactionTimedOut/.test(code)) {
    return createGraphQLError(
      `the database has not caught up with the ${BOOKMARK_HEADER} bookmark; try again shortly`,
      { extensions: errorExtensions('DATABASE_UNAVAILABLE') },
    );
  }
  return undefined;
}

export interface RequestBookmarks {
  /** the request's bookmarks: made on first use from its header (validated by `plugin` beforehand) */
  forRequest(request: Request): Bookmarks;
  /** refuses a malformed header with 400 BAD_USER_INPUT; puts the bookmarks of a mutation's writes in its response */
  plugin: Plugin;
}

export function requestBookmarks(): RequestBookmarks {
  const byRequest = new WeakMap<Request, Bookmarks>();
  const mutations = new WeakSet<Request>();
  const forRequest = (request: Request): Bookmarks => {
    let bookmarks = byRequest.get(request);
    if (!bookmarks) {
      bookmarks = createBookmarks(parseBookmarkHeader(request.headers.get(BOOKMARK_HEADER)));
      byRequest.set(request, bookmarks);
    }
    return bookmarks;
  };
  const plugin: Plugin = {
    onRequestParse({ request }) {
      try {
        parseBookmarkHeader(request.headers.get(BOOKMARK_HEADER));
      } catch (err) {
        if (!(err instanceof BookmarkHeaderError)) throw err;
        throw createGraphQLError(err.message, {
          extensions: errorExtensions('BAD_USER_INPUT', { http: { status: 400 } }),
        });
      }
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request && getOperationAST(args.document, args.operationName ?? undefined)?.operation === 'mutation')
        mutations.add(request);
    },
    onResponse({ request, response }) {
      // after a mutation, what its last transaction left: its write, or a read that waited for it
      const held = mutations.has(request) ? byRequest.get(request)?.current() : undefined;
      if (held?.length) response.headers.set(BOOKMARK_HEADER, held.join(','));
    },
  };
  return { forRequest, plugin };
}
