/**
 * API-key check for mutations. Keys are compared as SHA-256 digests with timingSafeEqual:
 * equal-length buffers whatever the input, and no early exit that leaks how much matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from './context.js';
import { apiError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The key a request carries: `x-api-key`, or `Authorization: Bearer <key>`. */
export function presentedKey(headers: { get(name: string): string | null }): string | undefined {
  const direct = headers.get('x-api-key');
  if (direct) return direct.trim();
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '');
  return bearer?.[1].trim();
}

export function keyMatches(presented: string | undefined, expected: string | undefined): boolean {
  if (!expected || !presented) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

export function requireApiKey(ctx: Context): void {
  if (!ctx.config.server.apiKey) {
    throw apiError('UNAUTHENTICATED', 'mutations are disabled on this server: it has no NEWSGRAPH_API_KEY configured');
  }
  if (!ctx.authorized) {
    throw apiError(
      'UNAUTHENTICATED',
      'this mutation needs an API key: send it in the `x-api-key` header or as `Authorization: Bearer <key>`',
    );
  }
}
