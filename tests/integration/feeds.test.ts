/**
 * Issue 15: pages of every feed are stored (title-only ones too) with their feed and language, and
 * a refused stock link leaves no Stock and no Company behind.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feeds');

describe('feeds in the graph', () => {
  let db: Database;
  let server: TestServer;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    const summary = await ingestPaths(db, [FIXTURES]);
    expect(summary.failed).toEqual([]);
    expect(summary.new).toBe(10);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  it('stores each article with its source and language, a title-only post included', async () => {
    const { records } = await db.driver.executeQuery(
      'MATCH (a:Article) RETURN a.id AS id, a.source AS source, a.language AS language ORDER BY id',
    );
    const got = Object.fromEntries(records.map((r) => [r.get('id'), `${r.get('source')}/${r.get('language')}`]));
    expect(got).toMatchObject({
      'cls-title-only': 'cls/zh',
      'finviz-english': 'finviz/en',
      'generic-ascii-quotes': 'generic/zh',
      'sina-stock-inside-word': 'sina/zh',
      'stcn-split-links': 'stcn/zh',
    });
    const res = await server.gql('{ articles(first: 20) { edges { node { articleId source language } } } }');
    const nodes = res.body.data.articles.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toContainEqual({ articleId: 'finviz-english', source: 'finviz', language: 'en' });
  });

  it('keeps no Stock or Company from a refused link', async () => {
    const { records } = await db.driver.executeQuery(
      'MATCH (e:Entity) WHERE e:Stock OR e:Company RETURN e.name AS name',
    );
    const names = records.map((r) => r.get('name'));
    for (const refused of ['sz002724', 'sh601099', 'sh601988', '海洋王', '太平洋', '中国银行', '太钢不锈'])
      expect(names).not.toContain(refused);
    expect(names).toContain('sz000825');
  });
});
