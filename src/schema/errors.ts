/** GraphQL errors with the stable `extensions.code`s clients can branch on. */
import { GraphQLError } from 'graphql';

/** Every `extensions.code` the API sends: the contract clients branch on (README, docs/OPERATIONS.md); nothing else builds a code. */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'DATABASE_UNAVAILABLE',
  'QUERY_TIMEOUT',
  'QUERY_TOO_COMPLEX',
  'REQUEST_ENTITY_TOO_LARGE',
  'RESPONSE_TOO_LARGE',
  'GRAPHQL_VALIDATION_FAILED',
  'INTERNAL_SERVER_ERROR',
  /** a subscriber that did not take its events fast enough: its subscription was ended (server/change-feed.ts) */
  'SLOW_CONSUMER',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** `extensions` carrying a code, for errors built elsewhere (yoga's createGraphQLError, errors with AST nodes). */
export function errorExtensions(
  code: ErrorCode,
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { code: ErrorCode } {
  return { code, ...extra };
}

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: errorExtensions(code, extra) });
}

export const badInput = (message: string, extra?: Record<string, unknown>) =>
  apiError('BAD_USER_INPUT', message, extra);
export const notFound = (message: string) => apiError('NOT_FOUND', message);
