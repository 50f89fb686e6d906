/**
 * Issue 6, part 4: abuse. Complements api-limits.test.ts (depth, aliases, tokens, `first`,
 * injection in query arguments): cost limit, body size, CSRF, production mode (no
 * introspection, no GraphiQL, masked errors), the API key on mutations, injection through
 * the mutation arguments.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { keyMatches } from '../../src/schema/auth.js';
import { BODY_LIMITS, CSRF_HEADER } from '../../src/server/security.js';
import {
  EXAMPLES_DIR,
  graphCounts,
  openTestDatabase,
  resetGraph,
  startTestServer,
  type TestServer,
} from './helpers.js';

const API_KEY = 'test-key-0123456789abcdef';
const INJECTION = '"}) MATCH (n) DETACH DELETE n //';
const ARTICLE = (title: string) =>
  `---\ntitle: '${title}'\ndate: 2022-05-01\n---\n<p>　　工信部发布通知，推动中小企业数字化转型。</p>\n`;

describe('abuse', () => {
  let db: Database;
  let dev: TestServer; // NODE_ENV development, API key set
  let prod: TestServer; // NODE_ENV production, API key set
  let keyless: TestServer; // no API key configured

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [EXAMPLES_DIR])).failed).toEqual([]);
    dev = await startTestServer(db, { NEWSGRAPH_API_KEY: API_KEY });
    prod = await startTestServer(db, { NEWSGRAPH_API_KEY: API_KEY, NODE_ENV: 'production' });
    keyless = await startTestServer(db);
  });
  afterAll(async () => {
    await Promise.all([dev, prod, keyless].map((s) => s?.app.close()));
    await db?.close();
  });

  describe('cost limit', () => {
    it('refuses a query whose static cost is over the limit, though depth, aliases and tokens are within theirs', async () => {
      const inner =
        'edges { node { title paragraphs publishedAt categories mentions(first: 100) { count entity { name aliases articleCount } } } }';
      const query = `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: articles(first: 100) { ${inner} }`).join(' ')} }`;
      const res = await dev.gql(query);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors![0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors![0].message).toMatch(/Query Cost limit of 5000 exceeded/);
    });
  });

  describe('request body size', () => {
    const bigQuery = (bytes: number) => JSON.stringify({ query: `{ stats { articles } }${' '.repeat(bytes)}` });

    it(`refuses a body over ${BODY_LIMITS.anonymousBytes} bytes without the API key with 413, before parsing it`, async () => {
      const res = await fetch(dev.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bigQuery(BODY_LIMITS.anonymousBytes + 1),
      });
      expect(res.status).toBe(413);
      expect((await res.json()).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    });

    it('counts the bytes of a chunked body too (no Content-Length)', async () => {
      const { status } = await new Promise<{ status: number }>((done, fail) => {
        const req = request(
          dev.url,
          { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
          (res) => {
            res.resume();
            done({ status: res.statusCode! });
          },
        );
        req.on('error', fail);
        const body = bigQuery(3 * BODY_LIMITS.anonymousBytes);
        for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
        req.end();
      });
      expect(status).toBe(413);
    });

    it('accepts an ordinary query, and a large body with the API key (an article for ingestArticle)', async () => {
      expect((await dev.gql('{ stats { articles } }')).status).toBe(200);
      const res = await fetch(dev.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: bigQuery(2 * BODY_LIMITS.anonymousBytes),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).data.stats.articles).toBeGreaterThan(0);
    });
  });

  describe('CSRF prevention', () => {
    const query = encodeURIComponent('{ stats { articles } }');

    it('refuses a GET query without the CSRF header, and serves it with the header', async () => {
      expect((await fetch(`${dev.url}?query=${query}`)).status).toBe(403);
      const ok = await fetch(`${dev.url}?query=${query}`, { headers: { [CSRF_HEADER]: '1' } });
      expect(ok.status).toBe(200);
      expect((await ok.json()).data.stats.articles).toBeGreaterThan(0);
    });

    it.each([
      [
        'an HTML form',
        'application/x-www-form-urlencoded',
        `query=${encodeURIComponent('mutation { deleteArticle(id: "ng-01-digital-threshold") { articleId } }')}`,
      ],
      [
        'multipart/form-data',
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ stats { articles } }"}\r\n--x--\r\n',
      ],
      ['text/plain', 'text/plain', JSON.stringify({ query: '{ stats { articles } }' })],
    ])(
      'refuses a POST a browser sends cross-site without preflight (%s), even with the API key',
      async (_name, type, body) => {
        const res = await fetch(dev.url, {
          method: 'POST',
          headers: { 'content-type': type, 'x-api-key': API_KEY },
          body,
        });
        expect(res.status).toBe(403);
        const { records } = await db.driver.executeQuery(
          "MATCH (a:Article {id: 'ng-01-digital-threshold'}) RETURN count(a) AS n",
        );
        expect(records[0].get('n')).toBe(1);
      },
    );
  });

  describe('production mode', () => {
    it('refuses introspection in production and allows it in development', async () => {
      for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Article") { fields { name } } }']) {
        const res = await prod.gql(q);
        expect(res.body.data).toBeUndefined();
        expect(res.body.errors![0].message).toMatch(/introspection/i);
        expect((await dev.gql(q)).body.errors).toBeUndefined();
      }
      // __typename is not introspection of the schema
      expect((await prod.gql('{ stats { __typename } }')).body.data).toEqual({ stats: { __typename: 'Stats' } });
    });

    it('serves no GraphiQL in production', async () => {
      const html = { headers: { accept: 'text/html' } };
      expect(await (await fetch(dev.url, html)).text()).toMatch(/<html/i);
      const res = await fetch(prod.url, html);
      expect(await res.text()).not.toMatch(/<html|graphiql/i);
    });

    it('gives no field suggestions that would reveal the schema', async () => {
      const res = await prod.gql('{ articl { title } }');
      expect(res.body.errors![0].message).not.toMatch(/Did you mean/);
    });

    it('masks unexpected errors: no message, stack or internals reach the client', async () => {
      const secret = 'bolt://admin:s3cret@10.0.0.5:7687 internal failure';
      const broken: Database = {
        ...db,
        driver: new Proxy(db.driver, {
          get(target, prop) {
            if (prop === 'session' || prop === 'executeQuery')
              return () => {
                throw new Error(secret);
              };
            const v = Reflect.get(target, prop);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        }),
      };
      const server = await startTestServer(broken, { NODE_ENV: 'production' });
      try {
        const res = await server.gql('{ stats { articles } }');
        const text = JSON.stringify(res.body);
        expect(text).not.toMatch(/s3cret|10\.0\.0\.5|internal failure|at .*\.ts:\d+/);
        expect(res.body.errors![0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
        expect(res.status).toBeLessThan(600);
      } finally {
        await server.app.close();
      }
    });
  });

  describe('API key on mutations', () => {
    const ingest =
      'mutation($f: String!, $m: String!) { ingestArticle(filename: $f, markdown: $m) { created article { articleId title } } }';

    it('refuses mutations when the server has no key configured', async () => {
      const res = await keyless.gql(ingest, { f: 'x.md', m: ARTICLE('无钥匙') }, { 'x-api-key': 'anything' });
      expect(res.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      ['no key', {}],
      ['a wrong key of the same length', { 'x-api-key': API_KEY.replace(/.$/, 'X') }],
      ['a much longer key', { 'x-api-key': API_KEY.repeat(100) }],
      ['a key differing only in case', { 'x-api-key': API_KEY.toUpperCase() }],
      ['a wrong bearer token', { authorization: 'Bearer nope' }],
    ])('refuses a mutation with %s, and writes nothing', async (_name, headers) => {
      const before = await graphCounts(db);
      const res = await dev.gql(ingest, { f: 'denied.md', m: ARTICLE('不该写入') }, headers as Record<string, string>);
      expect(res.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
      const del = await dev.gql(
        'mutation { deleteArticle(id: "ng-01-digital-threshold") { articleId } }',
        undefined,
        headers as Record<string, string>,
      );
      expect(del.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
      expect(await graphCounts(db)).toEqual(before);
    });

    it('accepts the right key (x-api-key or bearer)', async () => {
      const res = await dev.gql(ingest, { f: 'keyed.md', m: ARTICLE('有钥匙') }, { 'x-api-key': API_KEY });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.ingestArticle.article).toMatchObject({ articleId: 'keyed', title: '有钥匙' });
      const del = await dev.gql('mutation { deleteArticle(id: "keyed") { articleId } }', undefined, {
        authorization: `Bearer ${API_KEY}`,
      });
      expect(del.body.errors).toBeUndefined();
    });

    it('compares keys in constant time over fixed-size digests (any lengths, no throw)', () => {
      expect(keyMatches(API_KEY, API_KEY)).toBe(true);
      expect(keyMatches('a', API_KEY)).toBe(false);
      expect(keyMatches(API_KEY.repeat(1000), API_KEY)).toBe(false);
      expect(keyMatches('密钥', API_KEY)).toBe(false);
      expect(keyMatches(undefined, API_KEY)).toBe(false);
      expect(keyMatches(API_KEY, undefined)).toBe(false);
    });
  });

  describe('Cypher injection through the mutation arguments', () => {
    it('stores an article whose file name and content are injection strings as plain data', async () => {
      const before = await graphCounts(db);
      // A file name cannot hold '/', so this one is injection without it.
      const name = `x'}) MATCH (n) DETACH DELETE n WITH 1 AS x MATCH (m {id: "\\"}) RETURN m`;
      const markdown = `${ARTICLE(`标题 ${INJECTION.replace(/'/g, '')}`)}<p>${INJECTION} ' OR 1=1 } RETURN n //</p>\n`;
      const res = await dev.gql(ingestMutation(), { f: `${name}.md`, m: markdown }, { 'x-api-key': API_KEY });
      expect(res.body.errors).toBeUndefined();
      const id = res.body.data.ingestArticle.article.articleId as string;
      expect(id).toBe(name);
      const after = await graphCounts(db);
      expect(after.nodes).toBeGreaterThan(before.nodes);
      const { records } = await db.driver.executeQuery('MATCH (a:Article {id: $id}) RETURN a.paragraphs AS ps', { id });
      expect((records[0].get('ps') as string[]).join('\n')).toContain(INJECTION);
      const del = await dev.gql(
        'mutation($id: ID!) { deleteArticle(id: $id) { articleId } }',
        { id },
        { 'x-api-key': API_KEY },
      );
      expect(del.body.errors).toBeUndefined();
      expect(await graphCounts(db)).toEqual(before);
    });

    it('rejects a path in the file name instead of writing outside', async () => {
      const res = await dev.gql(
        ingestMutation(),
        { f: '../../etc/passwd.md', m: ARTICLE('路径') },
        { 'x-api-key': API_KEY },
      );
      // Only the base name counts: the article is 'passwd', and no file is written anywhere.
      if (res.body.errors) expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      else {
        expect(res.body.data.ingestArticle.article.articleId).toBe('passwd');
        await dev.gql('mutation { deleteArticle(id: "passwd") { articleId } }', undefined, { 'x-api-key': API_KEY });
      }
    });
  });
});

function ingestMutation() {
  return 'mutation($f: String!, $m: String!) { ingestArticle(filename: $f, markdown: $m) { created article { articleId title } } }';
}
