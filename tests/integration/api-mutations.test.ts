import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const KEY = 'test-key-0123456789';
const INGEST = `mutation($markdown: String!, $filename: String!) {
  ingestArticle(markdown: $markdown, filename: $filename) {
    created
    article { articleId title }
    extracted { extractorVersion entities { type name count evidence } issued { from to evidence } }
  }
}`;
const DELETE = 'mutation($id: ID!) { deleteArticle(id: $id) { articleId } }';

describe('mutations behind the API key', () => {
  let db: Database;
  let server: TestServer;
  let keyless: TestServer;
  const sample = readFileSync(join(EXAMPLES_DIR, 'ng-03-catl-battery.md'), 'utf8');

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [join(EXAMPLES_DIR, 'ng-01-digital-threshold.md')])).failed).toEqual([]);
    server = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY });
    keyless = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.app.close();
    await keyless?.app.close();
    await db?.close();
  });

  it.each([
    ['no key', {}],
    ['a wrong x-api-key', { 'x-api-key': 'wrong' }],
    ['a wrong bearer token', { authorization: 'Bearer wrong' }],
    ['a prefix of the key', { 'x-api-key': KEY.slice(0, -1) }],
  ])('refuses mutations with %s as UNAUTHENTICATED and changes nothing', async (_, headers) => {
    const before = await graphCounts(db);
    for (const [query, variables] of [
      [INGEST, { markdown: sample, filename: 'x.md' }],
      [DELETE, { id: 'ng-01-digital-threshold' }],
    ] as const) {
      const res = await server.gql(query, variables, headers as Record<string, string>);
      expect(res.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
      expect(res.body.errors![0].message).toMatch(/x-api-key|Bearer/);
    }
    expect(await graphCounts(db)).toEqual(before);
  });

  it('refuses mutations when the server has no key configured, even with a key', async () => {
    const res = await keyless.gql(DELETE, { id: 'ng-01-digital-threshold' }, { 'x-api-key': KEY });
    expect(res.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors![0].message).toMatch(/NEWSGRAPH_API_KEY/);
  });

  it('ingests an article with the key in x-api-key and reports what was extracted', async () => {
    const res = await server.gql(INGEST, { markdown: sample, filename: 'api-catl.md' }, { 'x-api-key': KEY });
    expect(res.body.errors).toBeUndefined();
    const out = res.body.data.ingestArticle;
    expect(out.created).toBe(true);
    expect(out.article.articleId).toBe('api-catl');
    expect(out.article.title).toContain('锂电');
    const names = out.extracted.entities.map((e: any) => e.name);
    expect(names).toEqual(expect.arrayContaining(['工业和信息化部', 'sz300750']));
    expect(out.extracted.issued.length).toBeGreaterThan(0);
    expect(out.extracted.extractorVersion).toMatch(/^[0-9a-f]{16}$/);

    const read = await server.gql(
      '{ article(id: "api-catl") { mentions { entity { entityId } } } stock(code: "sz300750") { code } }',
    );
    expect(read.body.data.article.mentions.length).toBe(out.extracted.entities.length);
    expect(read.body.data.stock.code).toBe('sz300750');

    const again = await server.gql(
      INGEST,
      { markdown: sample, filename: 'api-catl.md' },
      { authorization: `Bearer ${KEY}` },
    );
    expect(again.body.data.ingestArticle.created).toBe(false);
  });

  it('returns the warnings of an article stored with a problem: a bad date costs the date, not the article', async () => {
    const markdown =
      "---\ntitle: '导出器的占位日期'\ndate: Invalid Date\n---\n<p>　　工信部表示，将推动中小企业数字化转型。</p>\n";
    const res = await server.gql(
      'mutation($markdown: String!, $filename: String!) { ingestArticle(markdown: $markdown, filename: $filename) { created warnings article { articleId publishedAt } } }',
      { markdown, filename: 'api-invalid-date.md' },
      { 'x-api-key': KEY },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.ingestArticle).toEqual({
      created: true,
      warnings: ['unparseable date "Invalid Date"; stored without a publication date'],
      article: { articleId: 'api-invalid-date', publishedAt: null },
    });
    const clean = await server.gql(
      'mutation($m: String!) { ingestArticle(markdown: $m, filename: "api-catl-2.md") { warnings } }',
      { m: sample },
      { 'x-api-key': KEY },
    );
    expect(clean.body.data.ingestArticle.warnings).toEqual([]);
    await server.gql(DELETE, { id: 'api-invalid-date' }, { 'x-api-key': KEY });
    await server.gql(DELETE, { id: 'api-catl-2' }, { 'x-api-key': KEY });
  });

  it('names the problem of an unparsable article as BAD_USER_INPUT', async () => {
    const before = await graphCounts(db);
    const noFrontMatter = await server.gql(
      INGEST,
      { markdown: '<p>只有正文</p>', filename: 'bad.md' },
      { 'x-api-key': KEY },
    );
    expect(noFrontMatter.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(noFrontMatter.body.errors![0].message).toMatch(/bad\.md.*front matter/);
    const noTitle = await server.gql(
      INGEST,
      { markdown: '---\ndate: 2022-01-01\n---\n<p>正文</p>', filename: 'bad.md' },
      { 'x-api-key': KEY },
    );
    expect(noTitle.body.errors![0].message).toMatch(/title/);
    const badName = await server.gql(INGEST, { markdown: sample, filename: 'notes.txt' }, { 'x-api-key': KEY });
    expect(badName.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filename' } });
    expect(await graphCounts(db)).toEqual(before);
  });

  it('deletes an article with the Bearer key; an unknown id is NOT_FOUND', async () => {
    const res = await server.gql(DELETE, { id: 'api-catl' }, { authorization: `Bearer ${KEY}` });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.deleteArticle.articleId).toBe('api-catl');
    const gone = await server.gql(
      '{ article(id: "api-catl") { title } stock(code: "sz300750") { code } agency(name: "工信部") { articleCount } }',
    );
    // the stock only that article mentioned went with it; the agency other articles mention stays
    expect(gone.body.data).toEqual({ article: null, stock: null, agency: { articleCount: 1 } });
    const again = await server.gql(DELETE, { id: 'api-catl' }, { 'x-api-key': KEY });
    expect(again.body.errors![0].extensions.code).toBe('NOT_FOUND');
  });
  it('refuses a GBK-encoded article sent through the mutation instead of storing mojibake', async () => {
    // The JSON body carries GBK bytes (中文 = D6 D0 CE C4) where UTF-8 is required.
    const head = Buffer.from(
      JSON.stringify({ query: INGEST, variables: { filename: 'gbk.md', markdown: '---\ntitle: X\n---\n<p>' } }).replace(
        /<p>"}}$/,
        '<p>',
      ),
    );
    const body = Buffer.concat([head, Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('</p>"}}')]);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body,
    });
    const json = (await res.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(json.errors[0].message).toMatch(/not valid UTF-8/);
    const stored = await server.gql('{ article(id: "gbk") { title } }');
    expect(stored.body.data).toEqual({ article: null });
  });
});
