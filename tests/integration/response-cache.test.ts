/**
 * The response cache (src/server/response-cache.ts) answers a repeated query from memory, and
 * never after a write: not this server's mutations, not another client's ingest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphVersion } from '../../src/db/graph-version.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { createApp } from '../../src/server/app.js';
import { SEARCH_TTL_MS } from '../../src/server/response-cache.js';
import {
  countQueries,
  EXAMPLES_DIR,
  interceptRuns,
  openTestDatabase,
  resetGraph,
  startTestServer,
  type TestServer,
  testConfig,
} from './helpers.js';

const KEY = 'test-key-cache-0123456789';
const TITLES = '{ articles(first: 100) { edges { node { articleId title } } } }';
const article = (title: string) =>
  `---\ntitle: '${title}'\ndate: 2023-03-01\n---\n<p>　　工信部发布通知，推动中小企业数字化转型。</p>\n`;
const ids = (body: any): string[] => body.data.articles.edges.map((e: any) => e.node.articleId);

describe('response cache', () => {
  let db: Database; // the server's connection
  let other: Database; // another client of the same Neo4j, as a CLI ingest would be
  let server: TestServer;
  let dir: string;
  let trips: { n: number };

  beforeAll(async () => {
    db = await openTestDatabase();
    other = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [EXAMPLES_DIR])).failed).toEqual([]);
    trips = countQueries(db);
    server = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY });
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-cache-'));
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
    await other?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated query from the cache, with one small read (the graph version) instead of the query', async () => {
    const first = await server.gql(TITLES);
    expect(first.body.extensions?.responseCache).toMatchObject({ hit: false, didCache: true });
    trips.n = 0;
    const again = await server.gql(TITLES);
    expect(again.body.extensions?.responseCache).toEqual({ hit: true });
    expect(again.body.data).toEqual(first.body.data);
    expect(trips.n).toBe(1);
    // other variables, another entry
    const other = await server.gql('query($n: Int) { articles(first: $n) { edges { node { articleId } } } }', { n: 2 });
    expect(other.body.extensions?.responseCache.hit).toBe(false);
  });

  it('never serves an answer from before another client’s write', async () => {
    const before = await server.gql(TITLES);
    expect(ids(before.body)).not.toContain('cache-cli');
    writeFileSync(join(dir, 'cache-cli.md'), article('另一个进程写入'));
    expect((await ingestPaths(other, [dir])).failed).toEqual([]);
    const after = await server.gql(TITLES);
    expect(after.body.extensions?.responseCache.hit).toBe(false);
    expect(ids(after.body)).toContain('cache-cli');
  });

  it('never answers 304 Not Modified from an entry of an older graph version', async () => {
    const post = (headers: Record<string, string> = {}) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: TITLES }),
      });
    const first = await post();
    const etag = first.headers.get('etag');
    await first.text();
    writeFileSync(join(dir, 'cache-etag.md'), article('条件请求之后的写入'));
    expect((await ingestPaths(other, [dir])).failed).toEqual([]);
    // a client revalidating what it got before the write (an ETag, if one was sent) gets the new answer
    const again = await post(etag ? { 'if-none-match': etag } : {});
    expect(again.status).toBe(200);
    expect(ids(await again.json())).toContain('cache-etag');
  });

  it('never serves an answer from before a mutation', async () => {
    await server.gql(TITLES);
    const del = await server.gql(
      'mutation($id: ID!) { deleteArticle(id: $id) { articleId } }',
      { id: 'cache-cli' },
      { 'x-api-key': KEY },
    );
    expect(del.body.errors).toBeUndefined();
    const after = await server.gql(TITLES);
    expect(after.body.extensions?.responseCache.hit).toBe(false);
    expect(ids(after.body)).not.toContain('cache-cli');
  });

  it(`keeps answers that use search at most ${SEARCH_TTL_MS / 1000} s (the full-text indexes trail commits slightly)`, async () => {
    const viaFragment =
      'query { ...S } fragment S on Query { hits: search(query: "工信部", first: 3) { edges { node { score } } } }';
    const res = await server.gql(viaFragment);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.extensions?.responseCache).toEqual({ hit: false, didCache: true, ttl: SEARCH_TTL_MS });
    const plain = await server.gql('{ articles(first: 1) { edges { node { title } } } }');
    expect(plain.body.extensions?.responseCache.ttl).toBeGreaterThan(SEARCH_TTL_MS);
  });

  it('does not cache answers with errors, nor mutations', async () => {
    const bad = 'query { article(id: "") { title } entity(id: "nope") { name } }';
    const first = await server.gql(bad);
    expect(first.body.errors?.length).toBeGreaterThan(0);
    const again = await server.gql(bad);
    expect(again.body.extensions?.responseCache?.hit).not.toBe(true);
    const del = 'mutation($id: ID!) { deleteArticle(id: $id) { articleId } }';
    const m1 = await server.gql(del, { id: 'not-there' }, { 'x-api-key': KEY });
    const m2 = await server.gql(del, { id: 'not-there' }, { 'x-api-key': KEY });
    expect(m2.body.extensions?.responseCache?.hit).not.toBe(true);
    expect(m2.body).toMatchObject({ data: m1.body.data });
  });

  it('says in the access log which answers came from the cache', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const app = createApp(db, testConfig(), pino({ level: 'info' }, sink));
    const url = await app.listen(0, '127.0.0.1');
    try {
      const ask = () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'query Titles { articles(first: 3) { edges { node { title } } } }' }),
        });
      await (await ask()).text();
      await (await ask()).text();
      await new Promise((r) => setTimeout(r, 50)); // the line is written when the response finishes
      const requests = lines.filter((l) => l.msg === 'request' && l.path === '/graphql');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({ status: 200, operation: 'Titles' });
      expect(requests[0].cache).toBeUndefined();
      expect(requests[1]).toMatchObject({ status: 200, cache: 'hit' });
    } finally {
      await app.close();
    }
  });

  it('is off with NEWSGRAPH_RESPONSE_CACHE_MB=0', async () => {
    const off = await startTestServer(db, { NEWSGRAPH_RESPONSE_CACHE_MB: '0' });
    try {
      const query = '{ articles(first: 5) { edges { node { title mentions(first: 3) { entity { name } } } } } }';
      await off.gql(query);
      trips.n = 0;
      const again = await off.gql(query);
      expect(again.body.extensions?.responseCache).toBeUndefined();
      expect(trips.n).toBe(3); // the page, its mentions, their entities: resolved again
    } finally {
      await off.app.close();
    }
  });
});

describe('graph version', () => {
  let db: Database;
  let other: Database;
  // a real change each time (a write whose changes cancel out commits nothing, and changes no version)
  const write = () => other.driver.executeQuery('MERGE (p:CacheProbe {id: 1}) SET p.n = coalesce(p.n, 0) + 1');

  beforeAll(async () => {
    db = await openTestDatabase();
    other = await openTestDatabase();
  });
  afterAll(async () => {
    await other?.driver.executeQuery('MATCH (p:CacheProbe) DELETE p');
    await db?.close();
    await other?.close();
  });

  it('changes with a write from another client and with nothing else', async () => {
    const version = createGraphVersion(db);
    const a = await version.current();
    expect(await version.current()).toBe(a);
    await write();
    const b = await version.current();
    expect(b).not.toBe(a);
    expect(await version.current()).toBe(b);
  });

  it('shares reads between concurrent callers, and each caller sees writes committed before it asked', async () => {
    const version = createGraphVersion(db);
    const trips = countQueries(db);
    const first = await Promise.all(Array.from({ length: 20 }, () => version.current()));
    expect(new Set(first).size).toBe(1);
    expect(trips.n).toBeLessThanOrEqual(2); // one read, and at most one shared read after it

    // The next read is answered by Neo4j, then held back until the gate opens: it is in flight
    // while a write commits. A caller asking after the write must not take that read's answer.
    const v0 = await version.current();
    let executed!: () => void;
    const wasExecuted = new Promise<void>((r) => (executed = r));
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    const restore = interceptRuns(db, (run, args) => {
      const result = run(...args);
      const held = result.then(async (r) => {
        executed();
        await gate;
        return r;
      });
      return Object.assign(held, { summary: result.summary }) as unknown as typeof result;
    });
    try {
      const early = version.current();
      await wasExecuted;
      await write();
      const late = version.current();
      openGate();
      expect(await early).toBe(v0);
      expect(await late).not.toBe(v0);
    } finally {
      restore();
    }
  });
});
