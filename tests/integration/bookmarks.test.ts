/**
 * Bookmarks (src/server/bookmarks.ts, docs/DEPLOY.md): mutations answer with the Neo4j bookmark of
 * their write in `x-newsgraph-bookmark`; a request carrying it reads only once Neo4j has applied
 * that transaction (checked for real with a bookmark of a transaction that has not committed yet);
 * reads run in READ sessions, writes in WRITE sessions (the routing a cluster relies on).
 * Several replicas as processes: replicas.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionConfig } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { BOOKMARK_HEADER, parseBookmarkHeader } from '../../src/server/bookmarks.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

const KEY = 'test-key-bookmarks-0123456789';
const INGEST =
  'mutation($m: String!, $f: String!) { ingestArticle(markdown: $m, filename: $f) { created article { articleId } } }';
const TITLES = '{ articles(first: 100) { edges { node { articleId } } } }';
const article = (title: string) =>
  `---\ntitle: '${title}'\ndate: 2023-03-02\n---\n<p>　　工信部发布通知，推动中小企业数字化转型。</p>\n`;
const ids = (body: any): string[] => body.data.articles.edges.map((e: any) => e.node.articleId);

/**
 * The bookmark of the transaction after the one `bookmark` names. Test-only knowledge of Neo4j 5's
 * format (`FB:` + base64 of PackStream: a one-item list [database uuid bytes], the transaction id,
 * an empty list), used to ask for a transaction that has not committed yet.
 */
function nextBookmark(bookmark: string): string {
  const bytes = Buffer.from(bookmark.slice(3), 'base64');
  if (
    !bookmark.startsWith('FB:') ||
    bytes[0] !== 0x91 ||
    bytes[1] !== 0xcc ||
    bytes[2] !== 0x10 ||
    bytes.at(-1) !== 0x90
  )
    throw new Error(`unknown bookmark format: ${bookmark}`);
  const head = bytes.subarray(0, 19);
  const tx = bytes.subarray(19, -1);
  const m = tx[0];
  const id =
    m < 0x80
      ? m
      : m === 0xc8
        ? tx.readInt8(1)
        : m === 0xc9
          ? tx.readInt16BE(1)
          : m === 0xca
            ? tx.readInt32BE(1)
            : Number(tx.readBigInt64BE(1));
  const next = id + 1;
  let enc: Buffer;
  if (next < 0x80) enc = Buffer.from([next]);
  else if (next < 0x8000) (enc = Buffer.alloc(3, 0xc9)).writeInt16BE(next, 1);
  else (enc = Buffer.alloc(5, 0xca)).writeInt32BE(next, 1);
  return `FB:${Buffer.concat([head, enc, Buffer.from([0x90])]).toString('base64')}`;
}

describe('bookmarks: read your writes through any replica', () => {
  let db: Database;
  let server: TestServer;
  let other: Database; // another client of the same Neo4j
  const post = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });

  beforeAll(async () => {
    db = await openTestDatabase();
    other = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [join(EXAMPLES_DIR, 'ng-01-digital-threshold.md')])).failed).toEqual([]);
    server = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY });
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
    await other?.close();
  });

  it('a mutation answers with its bookmark; a query carrying it sees the write, also from the cache', async () => {
    const before = await (await post(TITLES)).json();
    expect(ids(before)).not.toContain('bm-a');
    const res = await post(INGEST, { m: article('书签甲'), f: 'bm-a.md' }, { 'x-api-key': KEY });
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    const bookmark = res.headers.get(BOOKMARK_HEADER);
    expect(bookmark).toMatch(/^FB:[A-Za-z0-9+/=]+$/);
    expect(parseBookmarkHeader(bookmark)).toEqual([bookmark]);

    const after = await post(TITLES, {}, { [BOOKMARK_HEADER]: bookmark! });
    expect(after.status).toBe(200);
    const afterBody = await after.json();
    expect(ids(afterBody)).toContain('bm-a');
    expect(after.headers.get(BOOKMARK_HEADER)).toBeNull(); // only mutations answer with one
    const cached = await (await post(TITLES, {}, { [BOOKMARK_HEADER]: bookmark! })).json();
    expect(cached.extensions.responseCache.hit).toBe(true);
    expect(ids(cached)).toContain('bm-a');

    const del = await post('mutation { deleteArticle(id: "bm-a") { articleId } }', {}, { 'x-api-key': KEY });
    const delBookmark = del.headers.get(BOOKMARK_HEADER);
    expect((await del.json()).errors).toBeUndefined();
    expect(delBookmark).toBeTruthy();
    expect(delBookmark).not.toBe(bookmark);
    expect(ids(await (await post(TITLES, {}, { [BOOKMARK_HEADER]: delBookmark! })).json())).not.toContain('bm-a');
  });

  it('a query with a bookmark of a transaction not yet committed waits for it, and then sees it', async () => {
    const session = other.driver.session({ defaultAccessMode: 'WRITE' });
    let now: string;
    try {
      await session.executeWrite((tx) => tx.run('MERGE (p:BookmarkProbe {id: 1}) SET p.n = 0'));
      now = session.lastBookmarks()[0];
    } finally {
      await session.close();
    }
    // the next transaction on this database: the article the other client is about to write
    const ahead = nextBookmark(now);
    const started = performance.now();
    const waiting = post(TITLES, {}, { [BOOKMARK_HEADER]: ahead }).then(async (r) => ({
      body: await r.json(),
      at: performance.now() - started,
    }));
    await new Promise((r) => setTimeout(r, 1_500));
    // a copy of a stored article under another id: no new label or property name, whose creation
    // would be a transaction of its own; one batch is one transaction
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-bookmarks-'));
    writeFileSync(join(dir, 'bm-wait.md'), readFileSync(join(EXAMPLES_DIR, 'ng-01-digital-threshold.md')));
    const ingest = await ingestPaths(other, [dir]);
    rmSync(dir, { recursive: true, force: true });
    expect(ingest.failed).toEqual([]);
    const { body, at } = await waiting;
    expect(at).toBeGreaterThan(1_400); // it did wait for the write...
    expect(ids(body)).toContain('bm-wait'); // ...and its answer has it
    await other.driver.executeQuery('MATCH (p:BookmarkProbe) DELETE p');
  });

  it('refuses a malformed header with 400 BAD_USER_INPUT, and a bookmark Neo4j does not know with BAD_USER_INPUT', async () => {
    for (const value of [
      'not a bookmark!',
      'x'.repeat(600),
      Array.from({ length: 17 }, (_, i) => `FB:a${i}`).join(','),
    ]) {
      const res = await post(TITLES, {}, { [BOOKMARK_HEADER]: value });
      expect(res.status).toBe(400);
      expect((await res.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    const res = await post(TITLES, {}, { [BOOKMARK_HEADER]: 'FB:kcwQAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain(BOOKMARK_HEADER);
  });

  it('reads run in READ sessions (routable to cluster followers), writes in WRITE sessions', async () => {
    const modes: string[] = [];
    const open = db.driver.session;
    db.driver.session = ((config: SessionConfig = {}) => {
      modes.push(config.defaultAccessMode ?? 'WRITE');
      return open.call(db.driver, config);
    }) as typeof open;
    try {
      const query = `{ articles(first: 5) { edges { node { title mentions { entity { name } } } } }
        policies(first: 5) { edges { node { name issuedBy { agency { name } } linkedCompanies(scope: PARAGRAPH) { company { name } } } } }
        search(query: "工信部", first: 3) { edges { node { __typename } } } stats { articles } topEntities(first: 3) { __typename }
        agency(name: "工信部") { name issued { policy { name } } } }`;
      const read = await post(query);
      expect((await read.json()).errors).toBeUndefined();
      expect(modes.length).toBeGreaterThan(3);
      expect(new Set(modes)).toEqual(new Set(['READ']));
      modes.length = 0;
      const write = await post(INGEST, { m: article('书签乙'), f: 'bm-b.md' }, { 'x-api-key': KEY });
      expect((await write.json()).errors).toBeUndefined();
      expect(modes).toContain('WRITE');
      expect(modes.filter((m) => m === 'WRITE')).toHaveLength(1); // the one write transaction
    } finally {
      db.driver.session = open;
    }
  });
});
