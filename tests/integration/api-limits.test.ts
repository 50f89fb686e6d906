import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { createDriver, type Database } from '../../src/neo4j/driver.js';
import {
  EXAMPLES_DIR,
  graphCounts,
  openTestDatabase,
  resetGraph,
  startTestServer,
  type TestServer,
} from './helpers.js';

const INJECTION = '"}) MATCH (n) DETACH DELETE n //';

describe('limits, hostile input and error codes', () => {
  let db: Database;
  let server: TestServer;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [EXAMPLES_DIR])).failed).toEqual([]);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  it('refuses a query nested 20 levels deep', async () => {
    // agency > issued > policy > issuedBy > agency > issued > ... : two levels per step
    let selection = 'name';
    for (let i = 0; i < 9; i++)
      selection = i % 2 === 0 ? `issued { policy { ${selection} } }` : `issuedBy { agency { ${selection} } }`;
    const query = `{ agency(name: "工信部") { issued { policy { issuedBy { agency { ${selection} } } } } } }`;
    expect((query.match(/{/g) ?? []).length).toBeGreaterThanOrEqual(20);
    const res = await server.gql(query);
    expect(res.body.data).toBeUndefined();
    // it is also too costly; every refusal carries the code, and one names the depth
    for (const e of res.body.errors!) expect(e.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors!.map((e) => e.message).join('\n')).toMatch(/depth limit of 10 exceeded, found 2\d/);
  });

  it('refuses a query with 100 aliases', async () => {
    const query = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: stats { articles }`).join(' ')} }`;
    const res = await server.gql(query);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors![0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0].message).toMatch(/Aliases limit of 15 exceeded/);
  });

  it('refuses a query of too many tokens', async () => {
    const fields = Array.from({ length: 2100 }, () => 'articles').join(' ');
    const res = await server.gql(`{ stats { ${fields} } }`);
    expect(res.body.errors![0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0].message).toMatch(/Token limit/);
  });

  it.each([
    ['articles', '{ articles(first: 100000) { edges { cursor } } }'],
    ['search', '{ search(query: "工信部", first: 100000) { edges { cursor } } }'],
    ['policies', '{ policies(first: 100000) { edges { cursor } } }'],
    ['linkedCompanies', '{ policies(first: 1) { edges { node { linkedCompanies(first: 100000) { score } } } } }'],
    ['coMentions', '{ coMentions(id: "Agency:工业和信息化部", first: 100000) { weight } }'],
    ['topEntities', '{ topEntities(first: 100000) { articles } }'],
    ['Entity.articles', '{ agency(name: "工信部") { articles(first: 100000) { edges { cursor } } } }'],
    ['Entity.coMentioned', '{ agency(name: "工信部") { coMentioned(first: 100000) { weight } } }'],
    ['Article.mentions', '{ articles(first: 1) { edges { node { mentions(first: 100000) { count } } } } }'],
    ['articles last', '{ articles(last: 100000) { edges { cursor } } }'],
  ])('refuses first: 100000 on %s with a clear error', async (_, query) => {
    const res = await server.gql(query);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0].message).toMatch(/must be between 0 and 100, got 100000/);
  });

  it('accepts first: 100, the maximum', async () => {
    const res = await server.gql('{ articles(first: 100) { edges { cursor } } }');
    expect(res.body.errors).toBeUndefined();
  });

  it('treats an injection string in every string argument as plain data and deletes nothing', async () => {
    const before = await graphCounts(db);
    const queries = [
      'query($s: ID!) { article(id: $s) { title } }',
      'query($s: ID!) { entity(id: $s) { name } }',
      'query($s: String!) { company(name: $s) { name } agency(name: $s) { name } policy(name: $s) { name } person(name: $s) { name } stock(code: $s) { code } }',
      'query($s: String!) { search(query: $s) { edges { node { score } } } }',
      'query($s: String!) { policies(nameContains: $s) { edges { node { name } } } }',
      'query($s: String!) { articles(filter: { category: $s }) { edges { cursor } } }',
      'query($s: ID!) { articles(filter: { mentions: [$s] }) { edges { cursor } } }',
      'query($s: String!) { articles(after: $s) { edges { cursor } } }',
      'query($s: ID!) { coMentions(id: $s) { weight } }',
      'query($s: ID!) { path(fromId: $s, toId: $s) { length } }',
      'query($s: ID!) { neighborhood(id: $s) { nodes { id } } }',
      'query($s: ID!) { timeline(id: $s) { start } }',
      'query($s: ID!) { node(id: $s) { id } }',
    ];
    const stored = `Company:${INJECTION}`;
    for (const query of queries) {
      for (const s of [INJECTION, stored]) {
        const res = await server.gql(query, { s });
        expect(res.status, query).toBeLessThan(500);
        for (const e of res.body.errors ?? [])
          expect(['BAD_USER_INPUT', 'NOT_FOUND'], `${query}: ${e.message}`).toContain(e.extensions.code);
      }
    }
    const search = await server.gql('query($s: String!) { search(query: $s) { edges { node { score } } } }', {
      s: INJECTION,
    });
    expect(search.body.errors).toBeUndefined();
    expect(await graphCounts(db)).toEqual(before);
    expect(before.nodes).toBeGreaterThan(50);
  });

  it('reports an unreachable Neo4j as DATABASE_UNAVAILABLE', async () => {
    const driver = createDriver('bolt://127.0.0.1:1', 'neo4j', 'x');
    const down: Database = { driver, uri: 'bolt://127.0.0.1:1', origin: 'NEO4J_URI', close: () => driver.close() };
    const offline = await startTestServer(down);
    try {
      const res = await offline.gql('{ stats { articles } }');
      expect(res.body.errors![0].extensions.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.body.errors![0].message).toMatch(/unreachable/);
    } finally {
      await offline.app.close();
      await driver.close();
    }
  });

  it('masks unexpected errors but keeps the code', async () => {
    const res = await server.gql('{ nope }');
    expect(res.body.errors![0].message).toMatch(/Cannot query field "nope"/);
  });
});
