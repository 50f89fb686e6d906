/**
 * Article lists sort by instant (not by the text of a date), and undated articles come after the
 * dated ones in either order, also across pages and in an entity's article list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveArticles, type TestServer } from './helpers.js';

/** id → date line of the front matter (none: no date line). */
const ARTICLES: Record<string, string | null> = {
  'order-a': '2022-01-01T00:00:00Z',
  'order-b': '2022-01-01T00:00:00.500Z', // half a second later: as text it sorts before order-a
  'order-c': '2021-12-31T23:00:00-02:00', // later than both, in another zone
  'order-d': '2022-01-01T08:00:00+08:00', // the instant of order-a: the id decides
  'order-u1': null,
  'order-u2': 'Invalid Date',
};
const NEWEST = ['order-c', 'order-b', 'order-d', 'order-a', 'order-u2', 'order-u1'];
const OLDEST = ['order-a', 'order-d', 'order-b', 'order-c', 'order-u1', 'order-u2'];

describe('article order', () => {
  let server: TestServer;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const files = Object.entries(ARTICLES).map(([id, date]) => {
      const dateLine = date === null ? '' : `date: ${date}\n`;
      return [`${id}.md`, `---\ntitle: '排序测试 ${id}'\n${dateLine}---\n<p>工业和信息化部发布了新的通知。</p>\n`];
    });
    ({ server, close } = await serveArticles(Object.fromEntries(files), { NEWSGRAPH_RESPONSE_CACHE_MB: '0' }));
  });
  afterAll(() => close?.());

  const ids = (conn: any): string[] => conn.edges.map((e: any) => e.node.articleId);

  it.each([
    ['NEWEST_FIRST', NEWEST],
    ['OLDEST_FIRST', OLDEST],
  ])('%s: by instant, undated last, whole and page by page both ways', async (order, expected) => {
    const all = await server.gql(`{ articles(first: 10, orderBy: ${order}) { edges { node { articleId } } } }`);
    expect(ids(all.body.data.articles)).toEqual(expected);

    const forward: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await server.gql(
        `query($after: String) { articles(first: 2, after: $after, orderBy: ${order}) { edges { node { articleId } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      forward.push(...ids(page.body.data.articles));
      after = page.body.data.articles.pageInfo.hasNextPage ? page.body.data.articles.pageInfo.endCursor : null;
    } while (after);
    expect(forward).toEqual(expected);

    const backward: string[] = [];
    let before: string | null = null;
    do {
      const page: any = await server.gql(
        `query($before: String) { articles(last: 2, before: $before, orderBy: ${order}) { edges { node { articleId } } pageInfo { hasPreviousPage startCursor } } }`,
        { before },
      );
      backward.unshift(...ids(page.body.data.articles));
      before = page.body.data.articles.pageInfo.hasPreviousPage ? page.body.data.articles.pageInfo.startCursor : null;
    } while (before);
    expect(backward).toEqual(expected);
  });

  it.each([1, 2, 4])("an entity's articles: newest first, undated last, across pages of %i", async (size) => {
    const q = `query($after: String) { agency(name: "工业和信息化部") { articles(first: ${size}, after: $after) { edges { node { articleId } } pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await server.gql(q, { after });
      const conn = page.body.data.agency.articles;
      seen.push(...ids(conn));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(NEWEST);
  });

  it("a neighbourhood's article nodes: newest first, undated last", async () => {
    const res: any = await server.gql(`{ neighborhood(id: "Agency:工业和信息化部", depth: 1) { nodes { key type } } }`);
    const articles = res.body.data.neighborhood.nodes.filter((n: any) => n.type === 'ARTICLE').map((n: any) => n.key);
    expect(articles).toEqual(NEWEST);
  });
});
