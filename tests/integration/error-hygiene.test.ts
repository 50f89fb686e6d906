/**
 * Production error hygiene (issue 12, defect 8 and minors): no enum "Did you mean" in production,
 * codes on unknown node ids and invalid variables, no cache metadata on mutation replies, and
 * bad input logged as such (info, no stack) rather than as a server error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { createDriver, type Database } from '../../src/neo4j/driver.js';
import { createApp } from '../../src/server/app.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer, testConfig } from './helpers.js';

const KEY = 'hygiene-key-0123456789';
const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');
const SEARCH =
  'query($types: [SearchType!]) { search(query: "工信部", types: $types) { edges { node { __typename } } } }';

describe('error hygiene', () => {
  let db: Database;
  let prod: TestServer;
  let dev: TestServer;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [EXAMPLES_DIR])).failed).toEqual([]);
    prod = await startTestServer(db, { NODE_ENV: 'production', NEWSGRAPH_API_KEY: KEY });
    dev = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY });
  });
  afterAll(async () => {
    await prod?.app.close();
    await dev?.app.close();
    await db?.close();
  });

  it('sends no enum "Did you mean" in production, in the query or through variables', async () => {
    const literal = await prod.gql('{ search(query: "x", types: [COMPANYY]) { edges { node { __typename } } } }');
    const variable = await prod.gql(SEARCH, { types: ['COMPANYY'] });
    for (const res of [literal, variable]) {
      const message: string = res.body.errors![0].message;
      expect(message).toContain('COMPANYY');
      expect(message).not.toMatch(/did you mean/i);
      expect(message).not.toContain('"COMPANY"');
    }
    // development keeps the hint
    expect((await dev.gql(SEARCH, { types: ['COMPANYY'] })).body.errors![0].message).toMatch(/Did you mean/);
  });

  it('answers node(id) of a type that has no nodes with a code, in production too', async () => {
    for (const server of [prod, dev]) {
      for (const id of [globalId('Foo', '1'), globalId('Query', 'x')]) {
        const res = await server.gql('query($id: ID!) { node(id: $id) { id } }', { id });
        expect(res.body.errors, id).toHaveLength(1);
        expect(['NOT_FOUND', 'BAD_USER_INPUT'], id).toContain(res.body.errors![0].extensions.code);
        expect(res.body.errors![0].message, id).not.toMatch(/has not been implemented/);
      }
    }
  });

  it('gives invalid variables the code BAD_USER_INPUT', async () => {
    const cases: [string, Record<string, unknown> | undefined][] = [
      ['query($n: Int) { topEntities(type: COMPANY, first: $n) { __typename } }', { n: 'many' }],
      [SEARCH, { types: ['COMPANYY'] }],
      ['query($id: ID!) { node(id: $id) { id } }', {}],
      ['query($id: ID!) { node(id: $id) { id } }', { id: null }],
    ];
    for (const [query, variables] of cases) {
      const res = await prod.gql(query, variables);
      expect(res.body.errors?.[0]?.message, JSON.stringify(variables)).toMatch(/^Variable "\$/);
      expect(res.body.errors![0].extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
  });

  it('says nothing about caching in mutation replies (and does not cache them)', async () => {
    const markdown = readFileSync(join(EXAMPLES_DIR, 'ng-03-catl-battery.md'), 'utf8');
    const mutation =
      'mutation($markdown: String!) { ingestArticle(markdown: $markdown, filename: "hygiene.md") { created } }';
    for (let i = 0; i < 2; i++) {
      const res = await dev.gql(mutation, { markdown }, { 'x-api-key': KEY });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.ingestArticle.created).toBe(i === 0); // the second really ran
      expect(res.body.extensions?.responseCache).toBeUndefined();
    }
    // a query still reports its cache status outside production
    expect((await dev.gql('{ stats { articles } }')).body.extensions?.responseCache).toBeDefined();
  });

  it('logs bad input at info without a stack, and real failures still at error', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = testConfig({ NODE_ENV: 'production' });
    const app = createApp(db, config, pino({ level: 'info' }, sink));
    const url = await app.listen(0, '127.0.0.1');
    try {
      const post = (query: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        }).then((r) => r.json());
      // a cursor Pothos cannot read (a PothosValidationError, masked to BAD_USER_INPUT)
      const bad = await post('{ policies(first: 1, after: "garbage") { edges { node { name } } } }');
      expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const logged = lines.filter((l) => JSON.stringify(l).includes(bad.errors[0].message));
      expect(logged.length).toBeGreaterThan(0);
      for (const line of logged) {
        expect(line.level, JSON.stringify(line)).toBeLessThanOrEqual(40); // info (30) or warn (40), not error (50)
        expect(JSON.stringify(line)).not.toMatch(/\\n\s+at /); // no stack (JSON-escaped newlines)
      }
    } finally {
      await app.close();
    }
    // a real failure (Neo4j unreachable) is still an error, with its stack
    const driver = createDriver('bolt://127.0.0.1:1', 'neo4j', 'x');
    const down: Database = { driver, uri: 'bolt://127.0.0.1:1', origin: 'NEO4J_URI', close: () => driver.close() };
    const downApp = createApp(down, config, pino({ level: 'info' }, sink));
    const downUrl = await downApp.listen(0, '127.0.0.1');
    try {
      lines.length = 0;
      const res = await fetch(downUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ stats { articles } }' }),
      }).then((r) => r.json());
      expect(res.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
      const errorLines = lines.filter((l) => l.level === 50);
      expect(errorLines.length).toBeGreaterThan(0);
      expect(JSON.stringify(errorLines)).toMatch(/\\n\s+at /);
    } finally {
      await downApp.close();
      await down.close();
    }
  });
});
