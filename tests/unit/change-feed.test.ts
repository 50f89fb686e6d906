/** The change feed's subscriber queues (no database: events are handed to the feed directly). */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/db/changes-write.js';
import type { Reader } from '../../src/db/read.js';
import { createBookmarks } from '../../src/neo4j/bookmarks.js';
import { ChangeFeed, topicOf } from '../../src/server/change-feed.js';

const article = (id: string, categories: string[] = []): ChangeEvent => ({
  kind: 'articleIngested',
  articleId: id,
  created: true,
  title: id,
  publishedAt: null,
  categories,
  entityIds: [],
});

/** A feed that is never started (no polls): `publish` and `drain` are driven by the test. */
function feed(queueSize: number) {
  const f = new ChangeFeed({} as Reader, createBookmarks(), pino({ level: 'silent' }), { pollMs: 1000, queueSize });
  const internal = f as unknown as {
    publish(e: ChangeEvent, b: string[]): void;
    drain(): Promise<void>;
  };
  return { f, publish: (e: ChangeEvent) => internal.publish(e, ['bm']), drain: () => internal.drain() };
}

describe('change feed subscribers', () => {
  it('routes events by topic and filter, in order, with the poll’s bookmarks', async () => {
    const { f, publish } = feed(10);
    const all = f.subscribe('articleIngested', undefined, () => true);
    const finance = f.subscribe(
      'articleIngested',
      undefined,
      (e) => e.kind === 'articleIngested' && e.categories.includes('金融'),
    );
    const policy = f.subscribe('policyLinked', 'Policy:x', () => true);
    publish(article('a'));
    publish(article('b', ['金融']));
    publish({
      kind: 'policyLinked',
      policyId: 'Policy:y',
      companyId: 'Company:c',
      scope: 'article',
      evidence: [],
      articleIds: [],
    });
    expect((await all.next()).value).toEqual({ event: article('a'), bookmarks: ['bm'] });
    expect(((await all.next()).value as any).event.articleId).toBe('b');
    expect(((await finance.next()).value as any).event.articleId).toBe('b');
    expect(f.stats()).toMatchObject({ subscribers: 3, delivered: 3, dropped: 0 });
    await policy.return!();
    expect(f.stats().subscribers).toBe(2);
    await f.stop();
    expect(await all.next()).toEqual({ value: undefined, done: true });
    expect(await finance.next()).toEqual({ value: undefined, done: true });
    expect(topicOf({ kind: 'issued', agencyId: 'Agency:a', policyId: 'Policy:p', evidence: [], articleIds: [] })).toBe(
      'issued:Agency:a',
    );
  });

  it('ends a subscriber whose queue overflows with one overflow item, and drops what it held', async () => {
    const { f, publish } = feed(3);
    const slow = f.subscribe('articleIngested', undefined, () => true);
    for (const id of ['a', 'b', 'c', 'd', 'e']) publish(article(id));
    expect(await slow.next()).toEqual({ value: { overflow: true, limit: 3 }, done: false });
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(f.stats()).toMatchObject({ subscribers: 0, dropped: 1, delivered: 0 });
    await f.stop();
  });

  it('waits for a backlog to drain before the next record, and drops one that does not drain', async () => {
    const { f, publish, drain } = feed(4);
    const reading = f.subscribe('articleIngested', undefined, () => true);
    const stuck = f.subscribe('articleIngested', undefined, () => true);
    for (const id of ['a', 'b', 'c']) publish(article(id)); // 3 of 4: more than half full
    setTimeout(() => {
      void reading.next();
      void reading.next();
    }, 50);
    const started = Date.now();
    await drain();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited for `stuck`, in vain
    expect(await stuck.next()).toEqual({ value: { overflow: true, limit: 4 }, done: false });
    expect(((await reading.next()).value as any).event.articleId).toBe('c');
    expect(f.stats()).toMatchObject({ subscribers: 1, dropped: 1 });
    await f.stop();
  });
});
