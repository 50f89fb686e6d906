import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveArticles, type TestServer } from './helpers.js';

/** ~1 MiB of body text: the charge per body field is 3 bytes per character. */
function bigArticle(): string {
  const sentence = '本报讯，某市推进中小企业数字化改造，覆盖制造、物流与零售等多个行业。';
  const paragraphs = Array.from({ length: 1000 }, (_, i) => `<p>第${i}段。${sentence.repeat(10)}</p>`);
  return `---\ntitle: 一篇很长的文章\ndate: 2024-05-01 10:00:00\n---\n${paragraphs.join('\n')}\n`;
}

describe('bytes served per request', () => {
  let server: TestServer;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ server, close } = await serveArticles({ 'long.md': bigArticle() }, { NEWSGRAPH_MAX_TEXT_MB: '4' }));
  }, 120_000);
  afterAll(() => close?.());

  it('serves one article whole within the budget', async () => {
    const res = await server.gql('{ article(id: "long") { text paragraphs sentences } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.article.paragraphs).toHaveLength(1000);
  });

  it('refuses aliases that repeat a large body past the budget, with RESPONSE_TOO_LARGE, and stays small', async () => {
    const aliases = Array.from(
      { length: 15 },
      (_, i) => `a${i}: article(id: "long") { text paragraphs sentences }`,
    ).join(' ');
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    const raw = await res.text();
    // 45 body fields of ~1 MiB were asked for; the budget lets about 4 MiB through
    expect(raw.length).toBeLessThan(6 * 1024 * 1024);
    const body = JSON.parse(raw);
    const codes = new Set(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code));
    expect([...codes]).toEqual(['RESPONSE_TOO_LARGE']);
    expect(body.errors[0].message).toMatch(/more than 4\.0 MiB of article text/);
  });
});
