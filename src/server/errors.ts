/**
 * Error masking: errors we raise on purpose (with an `extensions.code`) go out as they are;
 * Neo4j outages and timeouts become stable codes; anything else is logged and masked.
 *
 * Errors are recognised by shape and name, not `instanceof`: under a bundler or test runner
 * `graphql` and `neo4j-driver` can be loaded twice, and the classes then differ.
 */
import { GraphQLError } from 'graphql';
import { isBookmarkRefused, isBookmarkTimeout } from '../neo4j/bookmarks.js';
import { isDatabaseUnavailable } from '../neo4j/driver.js';
import type { ErrorCode } from '../schema/errors.js';
import { BOOKMARK_HEADER } from './bookmarks.js';

interface GraphQLErrorLike extends Error {
  originalError?: unknown;
  extensions?: Record<string, unknown>;
  nodes?: GraphQLError['nodes'];
  source?: GraphQLError['source'];
  positions?: GraphQLError['positions'];
  path?: GraphQLError['path'];
}

export function isGraphQLErrorLike(err: unknown): err is GraphQLErrorLike {
  return (
    err instanceof Error && (err instanceof GraphQLError || 'extensions' in err || 'path' in err || 'locations' in err)
  );
}

const TIMED_OUT = /TransactionTimedOut/;

/** The code for an unexpected error, or undefined when it is a genuine bug. */
export function classify(err: unknown, timeoutMs: number): { code: ErrorCode; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'PothosValidationError') return { code: 'BAD_USER_INPUT', message: err.message };
  if (isBookmarkRefused(err))
    return {
      code: 'BAD_USER_INPUT',
      message: `Neo4j does not accept the bookmark in the ${BOOKMARK_HEADER} header (it is not one, or is of another database)`,
    };
  if (isBookmarkTimeout(err))
    return {
      code: 'DATABASE_UNAVAILABLE',
      message: `the database has not caught up with the ${BOOKMARK_HEADER} bookmark yet; try again shortly`,
    };
  if (isDatabaseUnavailable(err)) {
    // starting: answering, but still bringing indexes online after a restart (neo4j/liveness.ts)
    const starting = (err as { starting?: unknown }).starting === true;
    return {
      code: 'DATABASE_UNAVAILABLE',
      message: starting
        ? 'the graph database is starting; try again shortly'
        : 'the graph database is unreachable; try again shortly',
    };
  }
  if (err.name === 'Neo4jError') {
    const code = String((err as Error & { code?: unknown }).code ?? '');
    if (TIMED_OUT.test(code)) {
      return {
        code: 'QUERY_TIMEOUT',
        message: `the query ran longer than ${timeoutMs} ms and was stopped; narrow it (smaller first, depth or date range)`,
      };
    }
  }
  return undefined;
}

export function createMaskError(timeoutMs: number) {
  return (error: unknown, message: string): Error => {
    const located = isGraphQLErrorLike(error) ? error : undefined;
    const original = located?.originalError ?? error;
    // Ours (a code), or graphql's own (validation, variables): already safe and clear.
    if (
      isGraphQLErrorLike(original) &&
      original.name !== 'PothosValidationError' &&
      (original.extensions?.code || !original.originalError)
    ) {
      return error as Error;
    }
    const known = classify(original, timeoutMs);
    return new GraphQLError(known?.message ?? message, {
      nodes: located?.nodes,
      source: located?.source,
      positions: located?.positions,
      path: located?.path,
      extensions: { code: known?.code ?? 'INTERNAL_SERVER_ERROR' },
    });
  };
}
