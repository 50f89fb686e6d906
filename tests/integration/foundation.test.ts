import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrations.js';
import { ENTITY_TYPES } from '../../src/graph/vocabulary.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import {
  EXAMPLES_DIR,
  graphCounts,
  openTestDatabase,
  resetGraph,
  startTestServer,
  type TestServer,
} from './helpers.js';

const exampleCount = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.md') && f !== 'README.md').length;

describe('walking skeleton on a real Neo4j', () => {
  let db: Database;
  let server: TestServer;
  let workDir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    server = await startTestServer(db);
    workDir = mkdtempSync(join(tmpdir(), 'newsgraph-foundation-'));
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('applies migrations idempotently, including the cjk full-text indexes', async () => {
    await migrate(db.driver);
    await migrate(db.driver);
    const { records: constraints } = await db.driver.executeQuery(
      'SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names',
    );
    expect(constraints[0].get('names')).toEqual(
      expect.arrayContaining([
        'article_id',
        'company_id',
        'agency_id',
        'person_id',
        'policy_id',
        'stock_id',
        'alias_key',
      ]),
    );
    const { records: ft } = await db.driver.executeQuery(
      "SHOW FULLTEXT INDEXES YIELD name, options RETURN name, options.indexConfig['fulltext.analyzer'] AS analyzer ORDER BY name",
    );
    expect(ft.map((r) => [r.get('name'), r.get('analyzer')])).toEqual([
      ['article_text', 'cjk'],
      ['entity_names', 'cjk'],
    ]);
  });

  it('rebuilds the entity name index when the vocabulary has a type it does not cover', async () => {
    // as a graph made before the last entity type was added
    await db.driver.executeQuery('DROP INDEX entity_names IF EXISTS');
    await db.driver.executeQuery(
      `CREATE FULLTEXT INDEX entity_names FOR (n:${ENTITY_TYPES.slice(0, -1).join('|')}) ON EACH [n.name, n.aliasText]
       OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'cjk', \`fulltext.eventually_consistent\`: true } }`,
    );
    await migrate(db.driver);
    const { records } = await db.driver.executeQuery(
      "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes WHERE name = 'entity_names' RETURN labelsOrTypes",
    );
    expect([...(records[0].get('labelsOrTypes') as string[])].sort()).toEqual([...ENTITY_TYPES].sort());
  });

  it('ingests the sample articles, and re-ingesting them changes nothing', async () => {
    const first = await ingestPaths(db, [EXAMPLES_DIR]);
    expect(first.failed).toEqual([]);
    expect(first.new).toBe(exampleCount);
    const before = await graphCounts(db);

    const again = await ingestPaths(db, [EXAMPLES_DIR]);
    expect(again).toMatchObject({ new: 0, updated: 0, unchanged: exampleCount, failed: [] });
    expect(await graphCounts(db)).toEqual(before);
  });

  it('keeps one node per entity across articles, with each alias once', async () => {
    const { records } = await db.driver.executeQuery(
      "MATCH (a:Agency)<-[:ALIAS_OF]-(al:Alias {key: 'Agency:工信部'}) MATCH (a)<-[:MENTIONS]-(art:Article) RETURN a.aliases AS aliases, count(art) AS articles",
    );
    expect(records).toHaveLength(1);
    expect(records[0].get('aliases')).toEqual(['工信部']);
    expect(records[0].get('articles')).toBeGreaterThanOrEqual(3);
    const { records: dups } = await db.driver.executeQuery(
      'MATCH (e:Entity) WHERE size(e.aliases) <> size(reduce(acc = [], n IN e.aliases | CASE WHEN n IN acc THEN acc ELSE acc + n END)) RETURN e.id',
    );
    expect(dups).toEqual([]);
  });

  it('stores front matter and cleaned paragraphs on the Article node', async () => {
    const { records } = await db.driver.executeQuery(
      "MATCH (a:Article {id: 'ng-01-digital-threshold'}) RETURN a.title AS title, toString(a.publishedAt) AS date, a.categories AS cats, a.paragraphs AS ps",
    );
    expect(records).toHaveLength(1);
    const row = records[0];
    expect(row.get('title')).toContain('数字化');
    expect(row.get('date')).toMatch(/^2022-/);
    expect(row.get('cats')).toContain('金融');
    const ps = row.get('ps') as string[];
    expect(ps.length).toBeGreaterThan(3);
    expect(ps.join('')).not.toMatch(/<|appendQr|新浪财经APP|责任编辑/);
  });

  it('replaces an article when its file changes', async () => {
    const src = join(EXAMPLES_DIR, 'ng-01-digital-threshold.md');
    const copy = join(workDir, 'ng-01-digital-threshold.md');
    cpSync(src, copy);
    const changed = readFileSync(copy, 'utf8').replace(/^title: .*$/m, "title: '改过的标题'");
    writeFileSync(copy, changed);
    const res = await ingestPaths(db, [copy]);
    expect(res).toMatchObject({ new: 0, updated: 1, failed: [] });
    const { records } = await db.driver.executeQuery(
      "MATCH (a:Article {id: 'ng-01-digital-threshold'}) RETURN a.title AS t",
    );
    expect(records.map((r) => r.get('t'))).toEqual(['改过的标题']);
    // and back again
    expect((await ingestPaths(db, [src])).updated).toBe(1);
  });

  it('reports a bad file with its path and reason and still ingests the rest', async () => {
    const dir = join(workDir, 'mixed');
    cpSync(join(EXAMPLES_DIR, 'ng-02-pboc-small-business.md'), join(dir, 'good.md'), { recursive: true });
    writeFileSync(join(dir, 'no-front-matter.md'), '<p>只有正文</p>');
    const res = await ingestPaths(db, [dir]);
    expect(res.new).toBe(1);
    expect(res.failed).toEqual([
      { path: join(dir, 'no-front-matter.md'), reason: expect.stringContaining('front matter') },
    ]);
  });

  it('serves articles over GraphQL with cursor pagination', async () => {
    const page1 = await server.gql(
      '{ articles(first: 5) { edges { cursor node { id articleId title publishedAt } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(page1.status).toBe(200);
    expect(page1.body.errors).toBeUndefined();
    const edges = page1.body.data.articles.edges;
    expect(edges).toHaveLength(5);
    const dates = edges.map((e: any) => e.node.publishedAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(page1.body.data.articles.pageInfo.hasNextPage).toBe(true);

    const page2 = await server.gql(
      'query($after: String) { articles(first: 100, after: $after) { edges { node { articleId } } pageInfo { hasNextPage } } }',
      {
        after: page1.body.data.articles.pageInfo.endCursor,
      },
    );
    const seen = [
      ...edges.map((e: any) => e.node.articleId),
      ...page2.body.data.articles.edges.map((e: any) => e.node.articleId),
    ];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(exampleCount + 1); // the examples plus good.md from the batch test
    expect(page2.body.data.articles.pageInfo.hasNextPage).toBe(false);

    const one = await server.gql('query($id: ID!) { article(id: $id) { title paragraphs } }', {
      id: 'ng-01-digital-threshold',
    });
    expect(one.body.data.article.title).toContain('数字化');
    const none = await server.gql('{ article(id: "no-such-article") { title } }');
    expect(none.body.data.article).toBeNull();
  });

  it('reports Neo4j reachability on GET /health', async () => {
    const res = await fetch(server.url.replace('/graphql', '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', neo4j: { reachable: true } });
  });
});
