/**
 * Whole-response cache for queries (graphql-yoga's response-cache plugin), made safe by the
 * graph version: every cache key carries the bookmark of a read that started after the request
 * arrived (db/graph-version.ts), so an answer computed before any later write, by this server or
 * by another process, is never served again. Mutations and answers with errors are not cached.
 *
 * With several replicas on one Neo4j cluster, each keeps its own cache under the same rule: a write
 * through another replica changes the version this one reads for its next request (as soon as the
 * follower it reads from has applied it, at once for a request carrying the writer's bookmarks,
 * server/bookmarks.ts), and the request's own reads then wait for that version, so an answer
 * computed on a lagging follower is never stored under a newer version.
 *
 * One exception to "never stale": the full-text indexes are eventually consistent (Neo4j updates
 * them just after a commit), so a `search` answered in that moment could miss the newest write;
 * answers that use `search` therefore live at most SEARCH_TTL_MS.
 *
 * Subscriptions (event streams, server/change-feed.ts) are left alone: no key, no version read.
 */
import { defaultBuildResponseCacheKey } from '@envelop/response-cache';
import { type Cache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { type ExecutionResult, getOperationAST, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { type GraphVersion, versionBookmarks } from '../db/graph-version.js';
import type { Bookmarks } from '../neo4j/bookmarks.js';
import { bookmarkFailure } from './bookmarks.js';
import { LIMITS } from './limits.js';

export const SEARCH_TTL_MS = 5_000;
/** Bounds memory together with the byte budget; entries are unreachable anyway once the graph changes. */
const TTL_MS = 10 * 60_000;

export interface ResponseCacheOptions {
  /** byte budget for cached answers (their JSON size); 0 turns the cache off */
  maxBytes: number;
  /** add `extensions.responseCache` ({ hit }) to answers */
  reportHits: boolean;
}

export function responseCachePlugins(
  version: GraphVersion,
  options: ResponseCacheOptions,
  bookmarksFor: (request: Request) => Bookmarks,
): Plugin[] {
  if (options.maxBytes <= 0) return [];
  const cache = createVersionedCache(options.maxBytes);
  // requests whose version read failed (Neo4j down): answered without the cache, so they fail the ordinary way
  const uncached = new WeakSet<Request>();
  // Mutations: never cached (and so no cache metadata in their replies). The plugin would cache
  // them when invalidateViaMutation is off; this marks them before its onExecute asks `enabled`.
  const mutations = new WeakSet<object>();
  const markMutations: Plugin = {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName ?? undefined)?.operation === 'mutation')
        mutations.add(args.contextValue as object);
    },
  };
  return [
    markMutations,
    useResponseCache({
      session: () => null, // queries are public: one cache for everyone
      cache,
      ttl: TTL_MS,
      ttlPerSchemaCoordinate: { 'Query.search': SEARCH_TTL_MS },
      invalidateViaMutation: false, // every write changes the version, and with it every key
      includeExtensionMetadata: options.reportHits,
      enabled: (request, context) => !uncached.has(request) && !mutations.has(context as object),
      shouldCacheResult: ({ result }) => !result.errors?.length,
      async buildResponseCacheKey({ request, ...params }) {
        // subscriptions: never cached, and no version read for them
        if (isSubscription(params.documentString, params.operationName)) {
          uncached.add(request);
          return `uncached:${Math.random()}`;
        }
        let graph: string;
        const bookmarks = bookmarksFor(request);
        const clientBookmarks = bookmarks.current().length > 0;
        try {
          // a client's bookmarks: a version read of its own, after its write (graph-version.ts)
          graph = await version.current(clientBookmarks ? bookmarks.manager : undefined);
          // the answer, if computed now, must come from this version or later (a cluster follower can lag)
          await bookmarks.add(versionBookmarks(graph));
        } catch (err) {
          // the client's bookmark was refused or not reached: say so now, rather than run the
          // query into the same wait again (Neo4j waits up to 30 s for a bookmark)
          const failure = clientBookmarks ? bookmarkFailure(err) : undefined;
          if (failure) throw failure;
          uncached.add(request);
          return `uncached:${Math.random()}`;
        }
        cache.observe(graph);
        return defaultBuildResponseCacheKey({ ...params, sessionId: graph });
      },
    }) as Plugin,
  ];
}

/** A subscription operation (a document that does not parse is left to yoga to refuse). */
function isSubscription(document: string, operationName?: string | null): boolean {
  if (!document.includes('subscription')) return false;
  try {
    // with the token limit yoga parses with (limits.ts): no unbounded parse before it refuses the request
    const ast = parse(document, { maxTokens: LIMITS.maxTokens });
    return getOperationAST(ast, operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false;
  }
}

/** An LRU of answers bounded by their JSON size, emptied when a new graph version is seen. */
function createVersionedCache(maxBytes: number): Cache & { observe(graph: string): void } {
  const answers = new LRUCache<string, ExecutionResult>({ maxSize: maxBytes });
  let lastGraph: string | undefined;
  return {
    get: (key) => answers.get(key),
    set(key, result, _entities, ttl) {
      const stored = withoutRevalidation(result);
      const size = Math.max(1, JSON.stringify(stored).length);
      if (size > maxBytes / 4) return; // one huge answer must not evict everything else
      answers.set(key, stored, { ttl: Number.isFinite(ttl) ? ttl : TTL_MS, size });
    },
    invalidate: () => {},
    observe(graph) {
      // entries of older versions can never be hit again: free their memory now
      if (lastGraph !== undefined && graph !== lastGraph) answers.clear();
      lastGraph = graph;
    },
  };
}

/**
 * The plugin marks cached answers with ETag and Last-Modified headers and answers a request whose
 * If-None-Match names an entry still in memory with 304, without asking whether the graph changed
 * since: a revalidating client could be told an answer from before a write is still current.
 * Stored without those headers, an entry never produces a 304; revalidation runs the ordinary way.
 */
function withoutRevalidation(result: ExecutionResult): ExecutionResult {
  const { http, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
  if (!http) return result;
  return { ...result, extensions: Object.keys(extensions).length ? extensions : undefined };
}
