/** The x-newsgraph-bookmark header (src/server/bookmarks.ts): what is accepted, and how bookmark failures are answered. */
import { describe, expect, it } from 'vitest';
import { createBookmarks } from '../../src/neo4j/bookmarks.js';
import { bookmarkFailure, parseBookmarkHeader } from '../../src/server/bookmarks.js';

const neo4jError = (code: string) => Object.assign(new Error('x'), { name: 'Neo4jError', code });

describe('bookmark header', () => {
  it('takes comma-separated bookmarks as sent, without duplicates; none for no header', () => {
    expect(parseBookmarkHeader(null)).toEqual([]);
    expect(parseBookmarkHeader('')).toEqual([]);
    expect(parseBookmarkHeader('FB:kcwQpDnltAIxR4+JKTAE0j+uQQeQ')).toEqual(['FB:kcwQpDnltAIxR4+JKTAE0j+uQQeQ']);
    expect(parseBookmarkHeader(' FB:a/b=, FB:c ,FB:a/b=')).toEqual(['FB:a/b=', 'FB:c']);
  });

  it('refuses what cannot be a bookmark, and more than 16', () => {
    for (const bad of [
      'FB:a b',
      'FB:"x"',
      'FB:a;DROP',
      'x'.repeat(513),
      Array.from({ length: 17 }, (_, i) => `FB:${i}`).join(','),
    ]) {
      expect(() => parseBookmarkHeader(bad)).toThrow(/x-newsgraph-bookmark/);
    }
  });

  it('answers refused bookmarks as BAD_USER_INPUT, unreached ones as DATABASE_UNAVAILABLE, and nothing else', () => {
    expect(bookmarkFailure(neo4jError('Neo.ClientError.Transaction.InvalidBookmark'))?.extensions.code).toBe(
      'BAD_USER_INPUT',
    );
    expect(bookmarkFailure(neo4jError('Neo.ClientError.Transaction.InvalidBookmarkMixture'))?.extensions.code).toBe(
      'BAD_USER_INPUT',
    );
    expect(bookmarkFailure(neo4jError('Neo.TransientError.Transaction.BookmarkTimeout'))?.extensions.code).toBe(
      'DATABASE_UNAVAILABLE',
    );
    expect(
      bookmarkFailure(neo4jError('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration'))?.extensions
        .code,
    ).toBe('DATABASE_UNAVAILABLE');
    expect(bookmarkFailure(neo4jError('ServiceUnavailable'))).toBeUndefined();
    expect(bookmarkFailure(new Error('boom'))).toBeUndefined();
  });

  it('keeps the latest bookmarks of a request at hand, synchronously', async () => {
    const b = createBookmarks(['FB:one']);
    expect(b.current()).toEqual(['FB:one']);
    await b.manager.updateBookmarks(['FB:one'], ['FB:two']);
    expect(b.current()).toEqual(['FB:two']);
    await b.add(['FB:three']);
    expect(b.current()).toEqual(['FB:two', 'FB:three']);
  });
});
