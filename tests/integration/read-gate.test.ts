/**
 * NEWSGRAPH_READS_WHILE_WRITING, wired end to end: while this process has a write in flight
 * (counted per driver, db/write.ts), a server's API reads go into Neo4j one at a time, and waiting
 * ones show in /metrics; once the write ends they run side by side again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeActivity } from '../../src/db/write.js';
import type { Database } from '../../src/neo4j/driver.js';
import { ARTICLE_COUNT_CYPHER } from '../../src/server/metrics.js';
import { interceptRuns, serveArticles, type TestServer } from './helpers.js';

const ARTICLE = `---
title: '读写闸门测试'
date: 2024-05-01 10:00:00
---
<p>工信部表示，将进一步降低数字化门槛。京东工业品与联想参与试点，快手搭建开放平台。</p>
`;
const QUERY = '{ articles(first: 5) { edges { node { articleId title mentions { count entity { name } } } } } }';

describe('reads while writing', () => {
  let db: Database;
  let server: TestServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, server, close } = await serveArticles({ 'gate.md': ARTICLE }, { NEWSGRAPH_RESPONSE_CACHE_MB: '0' }));
  });
  afterAll(() => close?.());

  const readsWaiting = async () =>
    Number(
      /^newsgraph_reads_waiting (\d+)$/m.exec(
        await (await fetch(server.url.replace(/graphql$/, 'metrics'))).text(),
      )?.[1],
    );

  /** Sends `n` queries at once; the most reads Neo4j had from them at one time, and the most /metrics saw waiting. */
  async function peakReads(n: number): Promise<{ peak: number; waiting: number }> {
    let running = 0;
    let peak = 0;
    let waiting = 0;
    const restore = interceptRuns(db, (run, args) => {
      const result = run(...args);
      // not API reads: the graph version's (db/graph-version.ts) and the /metrics scrape's
      if (args[0] === 'RETURN 1' || args[0] === ARTICLE_COUNT_CYPHER) return result;
      peak = Math.max(peak, ++running);
      result.summary().then(
        () => running--,
        () => running--,
      );
      return result;
    });
    try {
      let done = false;
      const answering = Promise.all(Array.from({ length: n }, () => server.gql(QUERY))).finally(() => {
        done = true;
      });
      while (!done) waiting = Math.max(waiting, await readsWaiting());
      for (const a of await answering) expect(a.body.errors).toBeUndefined();
    } finally {
      restore();
    }
    return { peak, waiting };
  }

  it('lets one read in at a time while a write is in flight, and reports the others waiting', async () => {
    const activity = writeActivity(db);
    activity.begin();
    try {
      const { peak, waiting } = await peakReads(8);
      expect(peak).toBe(1);
      expect(waiting).toBeGreaterThan(0);
    } finally {
      activity.end();
    }
    expect(await readsWaiting()).toBe(0);
  });

  it('lets them in side by side when no write is in flight', async () => {
    expect((await peakReads(8)).peak).toBeGreaterThan(1);
  });
});
