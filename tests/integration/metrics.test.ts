/** GET /metrics: Prometheus text whose counters move with the requests, errors and writes made. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, type Database } from '../../src/neo4j/driver.js';
import { MAX_OPERATION_NAMES } from '../../src/server/metrics.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

const KEY = 'metrics-key-0123456789';
const INGEST =
  'mutation($markdown: String!, $filename: String!) { stored: ingestArticle(markdown: $markdown, filename: $filename) { created } }';

/** The sum of the samples (`name{labels} value`) whose labels include `labels`; 0 when none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

async function scrape(server: TestServer): Promise<string> {
  const res = await fetch(new URL('/metrics', server.url));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('GET /metrics', () => {
  let db: Database;
  let server: TestServer;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    server = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY });
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  it('counts requests and latency by operation, errors by code, writes by outcome, and reports Neo4j and the article count', async () => {
    const before = await scrape(server);
    expect(sample(before, 'newsgraph_neo4j_up')).toBe(1);
    expect(sample(before, 'newsgraph_graph_articles')).toBe(0);

    for (let i = 0; i < 3; i++)
      expect((await server.gql('query MetricsStats { stats { articles } }')).body.errors).toBeUndefined();
    // an error with a code, one per class
    expect(
      (await server.gql('query TooMany { search(query: "x", first: 100000) { __typename } }')).body.errors![0]
        .extensions.code,
    ).toBe('BAD_USER_INPUT');
    expect((await server.gql('{ nope }')).body.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const markdown = readFileSync(join(EXAMPLES_DIR, 'ng-03-catl-battery.md'), 'utf8');
    expect((await server.gql(INGEST, { markdown, filename: 'metrics-a.md' })).body.errors![0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await server.gql(INGEST, { markdown, filename: 'metrics-a.md' }, { 'x-api-key': KEY })).body.data.stored.created,
    ).toBe(true);
    expect(
      (
        await server.gql('mutation { deleteArticle(id: "no-such-article") { articleId } }', undefined, {
          'x-api-key': KEY,
        })
      ).body.errors![0].extensions.code,
    ).toBe('NOT_FOUND');

    const after = await scrape(server);
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    // GraphQL operations executed, by name, with their latency
    expect(
      delta('graphql_envelop_request', { operationName: 'MetricsStats', operationType: 'query' }),
    ).toBeGreaterThanOrEqual(1);
    expect(delta('graphql_envelop_request_duration_count', { operationName: 'MetricsStats' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      sample(after, 'graphql_envelop_request_duration_bucket', { operationName: 'MetricsStats', le: '+Inf' }),
    ).toBeGreaterThanOrEqual(1);
    // the repeats of MetricsStats came from the response cache: counted there, not executed
    expect(
      delta('graphql_envelop_request', { operationName: 'MetricsStats' }) +
        delta('newsgraph_response_cache_hits_total'),
    ).toBe(3);
    // HTTP requests by method, status and operation, with their latency
    expect(
      delta('graphql_yoga_http_duration_count', { method: 'POST', operationName: 'MetricsStats', statusCode: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(delta('graphql_yoga_http_duration_count', { method: 'POST', operationType: 'mutation' })).toBe(3);
    // errors by the code the client saw
    expect(delta('newsgraph_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta('newsgraph_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta('newsgraph_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('newsgraph_graphql_errors_total', { code: 'NOT_FOUND' })).toBe(1);
    // writes by outcome (the alias `stored` is followed back to ingestArticle)
    expect(delta('newsgraph_ingest_mutations_total', { mutation: 'ingestArticle', outcome: 'ok' })).toBe(1);
    expect(delta('newsgraph_ingest_mutations_total', { mutation: 'ingestArticle', outcome: 'UNAUTHENTICATED' })).toBe(
      1,
    );
    expect(delta('newsgraph_ingest_mutations_total', { mutation: 'deleteArticle', outcome: 'NOT_FOUND' })).toBe(1);
    expect(sample(after, 'newsgraph_graph_articles')).toBe(1);
    expect(sample(after, 'newsgraph_neo4j_up')).toBe(1);
    expect(after).toMatch(/^newsgraph_process_resident_memory_bytes \d+/m);
  });

  it('bounds the operation label: names past the first MAX_OPERATION_NAMES count as `other`', async () => {
    const fresh = await startTestServer(db);
    try {
      for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++)
        expect((await fresh.gql(`query Op${i} { __typename }`)).status).toBe(200);
      const text = await scrape(fresh);
      const names = new Set(
        [...text.matchAll(/^graphql_envelop_request\{[^}]*operationName="([^"]*)"/gm)].map((m) => m[1]),
      );
      expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 1);
      expect(sample(text, 'graphql_envelop_request', { operationName: 'other' })).toBe(5);
    } finally {
      await fresh.app.close();
    }
  });

  it('reports Neo4j down as newsgraph_neo4j_up 0, still with 200', async () => {
    const driver = createDriver('bolt://127.0.0.1:1', 'neo4j', 'x');
    const down: Database = { driver, uri: 'bolt://127.0.0.1:1', origin: 'NEO4J_URI', close: () => driver.close() };
    const downServer = await startTestServer(down);
    try {
      const text = await scrape(downServer);
      expect(sample(text, 'newsgraph_neo4j_up')).toBe(0);
      expect(text).toContain('# TYPE newsgraph_neo4j_up gauge');
    } finally {
      await downServer.app.close();
      await down.close();
    }
  });
});
