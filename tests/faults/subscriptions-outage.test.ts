/**
 * The change feed across a Neo4j outage: a subscriber stays connected while Neo4j is killed and
 * restarted; an article written right after the restart (possibly before this server's heartbeat
 * has seen Neo4j again, so while its polls are still refused) arrives once, and nothing twice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { startTestServer, type TestServer } from '../integration/helpers.js';
import { type OwnNeo4j, startOwnNeo4j } from './neo4j.js';

const article = (title: string) =>
  `---\ntitle: '${title}'\ndate: 2022-03-20\n---\n<p>${title}：市场运行总体平稳。</p>\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('subscriptions through a Neo4j outage', () => {
  let neo4j: OwnNeo4j;
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    neo4j = await startOwnNeo4j('subs-outage');
    server = await startTestServer(neo4j.db);
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-subs-outage-'));
  });
  afterAll(async () => {
    await server?.app.close();
    await neo4j?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers what was written before and after the outage, each once', async () => {
    const events: string[] = [];
    let failure: unknown;
    const client = createClient({ url: server.url, singleConnection: false, retryAttempts: 0 });
    const stop = client.subscribe(
      { query: 'subscription { articleIngested { articleId created } }' },
      {
        next: (r) => events.push((r.data as any)?.articleIngested?.articleId ?? JSON.stringify(r)),
        error: (e) => (failure = e),
        complete: () => {},
      },
    );
    const waitFor = async (n: number, ms: number) => {
      const until = Date.now() + ms;
      while (events.length < n && Date.now() < until) await sleep(100);
    };
    try {
      await sleep(500);
      writeFileSync(join(dir, 'before.md'), article('停机之前'));
      expect((await ingestPaths(neo4j.db, [dir])).failed).toEqual([]);
      await waitFor(1, 10_000);
      expect(events).toEqual(['before']);

      await neo4j.kill();
      // the heartbeat notices (the feed's polls are refused from then on)
      const health = server.url.replace(/graphql$/, 'health');
      const until = Date.now() + 15_000;
      while ((await fetch(health)).status === 200 && Date.now() < until) await sleep(200);
      expect((await fetch(health)).status).toBe(503);
      await neo4j.restart();
      // written at once: this server may not have seen Neo4j come back yet
      writeFileSync(join(dir, 'after.md'), article('恢复之后'));
      expect((await ingestPaths(neo4j.db, [dir])).new).toBe(1);

      await waitFor(2, 30_000);
      await sleep(1_500);
      expect(failure).toBeUndefined();
      expect(events).toEqual(['before', 'after']);
    } finally {
      stop();
      client.dispose();
    }
  });
});
