/**
 * The Explorer page (/explore) on the sample articles, in headless Chromium driven by
 * playwright-core: search 工信部, see it and a Policy it ISSUED in the graph, click a
 * company and read its evidence; then the degraded states; then Follow (live subscriptions: a new
 * neighbour and its evidence arrive, Unfollow and closing the page end the stream, the API key,
 * a server restart under an open Follow). Also the static handler:
 * content types, caching, and no way out of explorer/ however the path is encoded. And GraphiQL
 * at /graphql, offline: its assets come from the server, and it runs the example query.
 *
 * The browser is /usr/bin/chromium or the one in @sparticuz/chromium (tests/support/browser.ts).
 * Screenshot: test-results/explorer.png on every run; with UPDATE_SCREENSHOT=1 also
 * docs/explorer.png (the README image). Labels use the page's own web font (Noto Sans SC,
 * served from node_modules), so they render without any font on the machine.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { createLogger } from '../../src/logger.js';
import type { Database } from '../../src/neo4j/driver.js';
import { createApp } from '../../src/server/app.js';
import { EXAMPLE_QUERY } from '../../src/server/examples.js';
import { resolveExplorePath } from '../../src/server/explore.js';
import { type Browser, launchBrowser } from '../support/browser.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer, testConfig } from './helpers.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOT = join(REPO, 'test-results', 'explorer.png');
const DOCS_SCREENSHOT = join(REPO, 'docs', 'explorer.png');

/** A raw GET: fetch() would normalise `..` away before the server could refuse it. */
function rawGet(origin: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface ShownNode {
  id: string;
  name: string;
  type: string;
  color: string;
  shape: string;
  label: string;
}
interface ShownEdge {
  source: string;
  target: string;
  type: string;
  label: string;
}

/** What cytoscape draws, read back from the page (window.explorer is exposed for this). */
async function shownGraph(page: Page): Promise<{ nodes: ShownNode[]; edges: ShownEdge[] }> {
  return page.evaluate(() => {
    const cy = (window as any).explorer.cy;
    return {
      nodes: cy.nodes().map((n: any) => ({
        id: n.id(),
        name: n.data('name'),
        type: n.data('type'),
        color: n.style('background-color'),
        shape: n.style('shape'),
        label: n.style('label'),
      })),
      edges: cy.edges().map((e: any) => ({
        source: e.data('source'),
        target: e.data('target'),
        type: e.data('type'),
        label: e.style('label'),
      })),
    };
  });
}

/** Subscriptions the server holds open now (its `newsgraph_subscriptions` gauge). */
async function subscriptionsOpen(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return Number(/^newsgraph_subscriptions (\d+)/m.exec(text)?.[1]);
}

async function untilSubscriptions(origin: string, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await subscriptionsOpen(origin)) !== n) {
    if (Date.now() > deadline)
      throw new Error(`expected ${n} open subscriptions, /metrics says ${await subscriptionsOpen(origin)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the page has no GraphQL request in flight (explorer.js counts them on <body>). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.pending === '0');
}

describe('the Explorer page', () => {
  let db: Database;
  let server: TestServer;
  let origin: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    const summary = await ingestPaths(db, [EXAMPLES_DIR]);
    expect(summary.failed).toEqual([]);
    server = await startTestServer(db);
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    await db?.close();
  });

  it('serves the page, its modules and cytoscape with content types and caching headers', async () => {
    const html = await fetch(`${origin}/explore`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await html.text()).toContain('/explore/vendor/cytoscape.min.js');
    expect((await fetch(`${origin}/explore/`)).status).toBe(200);

    for (const [path, type] of [
      ['/explore/explorer.js', 'text/javascript; charset=utf-8'],
      ['/explore/graph.js', 'text/javascript; charset=utf-8'],
      ['/explore/explorer.css', 'text/css; charset=utf-8'],
      ['/explore/vendor/cytoscape.min.js', 'text/javascript; charset=utf-8'],
      ['/explore/vendor/noto-sans-sc/400.css', 'text/css; charset=utf-8'],
      ['/explore/vendor/noto-sans-sc/700.css', 'text/css; charset=utf-8'],
      ['/explore/vendor/noto-sans-sc/files/noto-sans-sc-100-400-normal.woff2', 'font/woff2'],
    ]) {
      const res = await fetch(origin + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('cache-control'), path).toMatch(/^public, max-age=\d+$/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      const etag = res.headers.get('etag')!;
      expect(etag, path).toMatch(/^".+"$/);
      await res.arrayBuffer();
      const again = await fetch(origin + path, { headers: { 'if-none-match': etag } });
      expect(again.status, path).toBe(304);
    }

    const head = await fetch(`${origin}/explore/explorer.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    const post = await fetch(`${origin}/explore/explorer.js`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${origin}/explore/missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/explore/vendor/other.js`)).status).toBe(404);
    // The font: only its CSS by weight and its files, nothing else of the package.
    const fontCss = await (await fetch(`${origin}/explore/vendor/noto-sans-sc/400.css`)).text();
    expect(fontCss).toContain("font-family: 'Noto Sans SC'");
    expect(fontCss).toMatch(/url\(\.\/files\/noto-sans-sc-[\w-]+\.woff2\)/);
    for (const path of [
      '/explore/vendor/noto-sans-sc/package.json',
      '/explore/vendor/noto-sans-sc/100.css',
      '/explore/vendor/noto-sans-sc/files/none-400-normal.woff2',
      '/explore/vendor/noto-sans-sc/files/LICENSE',
    ]) {
      expect((await fetch(origin + path)).status, path).toBe(404);
    }
    // Not the Explorer's: falls through to the GraphQL server's 404; /graphql still answers.
    expect((await fetch(`${origin}/explorer.js`)).status).toBe(404);
    expect((await server.gql('{ stats { articles } }')).body.data.stats.articles).toBe(8);
  });

  it('never serves a file outside explorer/, however the path is written', async () => {
    const attempts = [
      '/explore/../package.json',
      '/explore/%2e%2e/package.json',
      '/explore/%2E%2E/package.json',
      '/explore/..%2fpackage.json',
      '/explore/..%2Fsrc%2Fconfig.ts',
      '/explore/.%2e/.%2e/etc/passwd',
      '/explore/%2e%2e%2f%2e%2e%2fpackage.json',
      '/explore/%252e%252e/package.json',
      '/explore/..%5cpackage.json',
      '/explore/vendor/..%2f..%2fpackage.json',
      '/explore/vendor/../../package.json',
      '/explore//etc/passwd',
      '/explore/%2fetc%2fpasswd',
      '/explore/explorer.js%00.html',
      '/explore/.gitignore',
      '/explore/%',
    ];
    for (const path of attempts) {
      const res = await rawGet(origin, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('"name": "newsgraph"');
      expect(res.body, path).not.toContain('root:');
    }
    // The resolver itself, for paths an HTTP client would not send as written.
    for (const path of [
      '/explore/../../etc/passwd',
      '/explore/a/../../package.json',
      '/explore/C:\\Windows\\win.ini',
    ]) {
      const target = resolveExplorePath(path);
      expect(target && 'status' in target ? target.status : 'served', path).toBe(404);
    }
    expect(resolveExplorePath('/graphql')).toBeNull();
    expect(resolveExplorePath('/explorer')).toBeNull();
  });

  it('finds 工信部, draws the Policies it ISSUED, and shows a clicked company’s evidence', async () => {
    await page.goto(`${origin}/explore`);
    await settled(page);
    await page.fill('#search-input', '工信部');
    await page.press('#search-input', 'Enter');
    const agencyHit = page.locator('.result[data-type="AGENCY"]', { hasText: '工信部' }).first();
    await agencyHit.waitFor();
    await agencyHit.click();
    await page.locator('#details h2', { hasText: '工信部' }).waitFor();
    await settled(page);

    const { nodes, edges } = await shownGraph(page);
    const mitt = nodes.find((n) => n.type === 'AGENCY' && n.name === '工信部');
    expect(mitt, 'the 工信部 node').toBeDefined();
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const issued = edges.filter((e) => e.type === 'ISSUED' && e.source === mitt!.id);
    expect(issued.length).toBeGreaterThan(0);
    for (const e of issued) {
      expect(byId.get(e.target)?.type).toBe('POLICY');
      expect(e.label).toBe('ISSUED');
    }
    // Labelled, and coloured and shaped by type.
    for (const n of nodes) expect(n.label.length, n.id).toBeGreaterThan(0);
    const company = nodes.find((n) => n.type === 'COMPANY')!;
    const policy = byId.get(issued[0].target)!;
    expect(new Set([mitt!.color, company.color, policy.color]).size).toBe(3);
    expect(new Set([mitt!.shape, company.shape, policy.shape]).size).toBe(3);
    for (const e of edges.filter((x) => x.type === 'CO_MENTION')) expect(e.label).toMatch(/^co×\d+$/);
    expect(edges.some((e) => e.type === 'MENTIONS' && e.label === 'MENTIONS')).toBe(true);
    // The side panel: aliases, a Policy it issued, and the timeline.
    await expect(page.locator('#details .aliases').textContent()).resolves.toContain('工业和信息化部');
    expect(await page.locator('#details .relations').textContent()).toContain(policy.name);
    expect(await page.locator('#details svg.sparkline circle').count()).toBeGreaterThan(0);

    // Click a company on the canvas: 京东工业品 (the sample's 数字化门槛 company) unless the
    // random layout put another node on top of it, then the first company nothing covers.
    const companies = nodes
      .filter((n) => n.type === 'COMPANY')
      .sort((a, b) => Number(b.name === '京东工业品') - Number(a.name === '京东工业品'));
    const clear = await page.evaluate(
      (ids) => {
        const cy = (window as any).explorer.cy;
        const box = document.getElementById('cy')!.getBoundingClientRect();
        for (const id of ids) {
          const at = cy.getElementById(id).renderedPosition();
          const covered = cy.nodes().some((n: any) => {
            if (n.id() === id) return false;
            const b = n.renderedBoundingBox({ includeLabels: false });
            return at.x >= b.x1 && at.x <= b.x2 && at.y >= b.y1 && at.y <= b.y2;
          });
          if (!covered && at.x > 0 && at.y > 0 && at.x < box.width && at.y < box.height)
            return { id, x: box.left + at.x, y: box.top + at.y };
        }
        return null;
      },
      companies.map((n) => n.id),
    );
    expect(clear, 'a company node that can be clicked').not.toBeNull();
    const target = companies.find((n) => n.id === clear!.id)!;
    await page.mouse.click(clear!.x, clear!.y);
    await page.locator('#details h2', { hasText: target.name }).waitFor();
    await settled(page);
    const evidence = await page.locator('#details .sources .evidence li').allTextContents();
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.some((s) => s.includes(target.name))).toBe(true);
    expect(await page.locator('#details .sources mark').count()).toBeGreaterThan(0);
    const sources = await page.locator('#details .sources .article-line').allTextContents();
    expect(sources.length).toBeGreaterThan(0);
    for (const line of sources) expect(line).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await page.evaluate((id) => (window as any).explorer.cy.getElementById(id).selected(), target.id)).toBe(
      true,
    );

    // The labels' CJK glyphs come from the page's own font, not from whatever the machine has.
    const uncovered = await page.evaluate(
      async (names) => {
        await document.fonts.ready;
        const ranges = [...document.fonts]
          .filter((f) => f.family.replace(/["']/g, '') === 'Noto Sans SC' && f.status === 'loaded')
          .flatMap((f) =>
            f.unicodeRange.split(',').map((r) =>
              r
                .trim()
                .replace(/^U\+/i, '')
                .split('-')
                .map((h) => parseInt(h, 16)),
            ),
          );
        const covered = (c: number) => ranges.some(([lo, hi = lo]) => c >= lo && c <= hi);
        return [...names.join('')].filter((ch) => ch.trim() && !covered(ch.codePointAt(0)!));
      },
      [target.name, '工信部'],
    );
    expect(uncovered, 'characters without a loaded Noto Sans SC glyph file').toEqual([]);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(dirname(DOCS_SCREENSHOT), { recursive: true });
      copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    }
    expect(pageErrors).toEqual([]);
  });

  it('caps a big neighbourhood and shows more on request', async () => {
    await page.goto(`${origin}/explore`);
    await settled(page);
    await page.locator('#suggestions .chip', { hasText: '工信部' }).click();
    await page.locator('#details h2', { hasText: '工信部' }).waitFor();
    await settled(page);
    await expect(page.locator('#graph-status').textContent()).resolves.toContain('capped at 40');
    const before = (await shownGraph(page)).nodes.length;
    await page.click('#show-more');
    await page.locator('#graph-status', { hasText: /capped at 80|\(all\)/ }).waitFor();
    expect((await shownGraph(page)).nodes.length).toBeGreaterThan(before);
  });

  it('finds a path between two entities and highlights it', async () => {
    await page.fill('#path-from', '京东工业品');
    await page.fill('#path-to', '中国人民银行');
    await page.click('#path-form button[type="submit"]');
    await page.locator('#path-result .path-steps li').first().waitFor();
    await settled(page);
    const text = await page.locator('#path-result').textContent();
    expect(text).toContain('京东工业品');
    expect(text).toContain('中国人民银行');
    expect(await page.evaluate(() => (window as any).explorer.cy.$('node.path').length)).toBeGreaterThanOrEqual(2);

    await page.fill('#path-to', '查无此实体');
    await page.click('#path-form button[type="submit"]');
    await page.locator('#path-result .error', { hasText: '查无此实体' }).waitFor();
  });

  it('says so for an empty search, no results and a server error', async () => {
    await page.fill('#search-input', '   ');
    await page.press('#search-input', 'Enter');
    await page.locator('#results', { hasText: 'Type a name' }).waitFor();

    await page.fill('#search-input', 'zzzqqq不存在的词');
    await page.press('#search-input', 'Enter');
    await page.locator('#no-results').waitFor();

    await page.route('**/graphql', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    try {
      await page.fill('#search-input', '工信部');
      await page.press('#search-input', 'Enter');
      await page.locator('#results .error', { hasText: 'HTTP 502' }).waitFor();
      await page.locator('#suggestions .chip').count(); // the page stays usable
    } finally {
      await page.unroute('**/graphql');
    }
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    try {
      await page.press('#search-input', 'Enter');
      await page.locator('#results .error', { hasText: 'Cannot reach' }).waitFor();
    } finally {
      await page.unroute('**/graphql');
    }
    expect(pageErrors).toEqual([]);
  });

  it('follows an entity: a new neighbour and its evidence arrive live; Unfollow closes the stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-explorer-follow-'));
    try {
      await page.goto('about:blank'); // a new load, not a jump to a fragment of the page shown
      await page.goto(`${origin}/explore#entity=${encodeURIComponent('Company:京东工业品')}`);
      await page.locator('#details h2', { hasText: '京东工业品' }).waitFor();
      await settled(page);
      const names = async () => (await shownGraph(page)).nodes.map((n) => n.name);
      expect(await names()).toContain('京东工业品');
      expect(await names()).not.toContain('格力电器');
      const toggle = page.locator('#follow-toggle');
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      expect(await subscriptionsOpen(origin)).toBe(0);

      await toggle.click();
      await page.locator('#follow[data-phase="live"]').waitFor();
      await untilSubscriptions(origin, 1); // the server counts it: events from now on reach it
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('#follow-count').textContent()).toBe('0');

      const evidence = '京东工业品与格力电器签署数字化采购合作协议，双方将共建工业品供应链平台。';
      writeFileSync(
        join(dir, 'ng-follow-1.md'),
        `---\ntitle: '京东工业品牵手格力电器'\ndate: 2022-08-01T08:00:00+08:00\n---\n<div><p>${evidence}</p></div>\n`,
      );
      expect((await ingestPaths(db, [dir])).failed).toEqual([]);
      // The new neighbour is drawn, highlighted, with the article that links them.
      await page.waitForFunction(
        () => (window as any).explorer.cy.nodes().some((n: any) => n.data('name') === '格力电器' && n.hasClass('live')),
        undefined,
        { timeout: 10_000 },
      );
      const after = await shownGraph(page);
      const gree = after.nodes.find((n) => n.name === '格力电器')!;
      const jd = after.nodes.find((n) => n.name === '京东工业品')!;
      const article = after.nodes.find((n) => n.type === 'ARTICLE' && n.name === '京东工业品牵手格力电器');
      expect(article, 'the new article node').toBeDefined();
      expect(gree.type).toBe('COMPANY');
      expect(
        after.edges.some(
          (e) => e.type === 'CO_MENTION' && [e.source, e.target].sort().join() === [gree.id, jd.id].sort().join(),
        ),
      ).toBe(true);
      expect(after.edges.some((e) => e.type === 'MENTIONS' && e.source === article!.id && e.target === jd.id)).toBe(
        true,
      );
      // Its evidence in the live list, as text; the counter on the toggle.
      const items = await page.locator('#live-list .live-item').allTextContents();
      expect(items).toHaveLength(1);
      expect(items[0]).toContain('京东工业品牵手格力电器');
      expect(items[0]).toContain('签署数字化采购合作协议');
      expect(items[0]).toContain('格力电器');
      expect(await page.locator('#live-list mark', { hasText: '京东工业品' }).count()).toBeGreaterThan(0);
      expect(await page.locator('#follow-count').textContent()).toBe('1');

      // Unfollow: the stream is closed (the server's gauge), and a further mention adds nothing.
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      await untilSubscriptions(origin, 0);
      rmSync(join(dir, 'ng-follow-1.md'));
      writeFileSync(
        join(dir, 'ng-follow-2.md'),
        "---\ntitle: '京东工业品与美的集团合作'\ndate: 2022-08-02T08:00:00+08:00\n---\n<div><p>京东工业品与美的集团达成合作。</p></div>\n",
      );
      expect((await ingestPaths(db, [dir])).failed).toEqual([]);
      await new Promise((r) => setTimeout(r, 1_500)); // several change-feed polls
      const unfollowed = await shownGraph(page);
      expect(unfollowed.nodes.length).toBe(after.nodes.length);
      expect(unfollowed.nodes.some((n) => n.name === '京东工业品与美的集团合作')).toBe(false);
      expect(await page.locator('#live-list').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with NEWSGRAPH_API_KEY set: Follow says it needs the key, follows once given it; closing the page ends it', async () => {
    const KEY = 'test-key-explorer-follow-0123456789';
    const keyed = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY });
    const keyedOrigin = new URL(keyed.url).origin;
    const other = await browser.context.newPage();
    other.setDefaultTimeout(20_000);
    const errors: string[] = [];
    other.on('pageerror', (err) => errors.push(err.message));
    try {
      await other.goto(`${keyedOrigin}/explore#entity=${encodeURIComponent('Policy:降低数字化门槛')}`);
      await other.locator('#details h2', { hasText: '数字化门槛' }).waitFor();
      await settled(other);
      await other.click('#follow-toggle');
      await other.locator('#follow[data-phase="refused"]').waitFor();
      expect(await other.locator('#follow-status').textContent()).toContain('needs its API key');
      expect(await subscriptionsOpen(keyedOrigin)).toBe(0);

      await other.fill('#follow-key', KEY);
      await other.press('#follow-key', 'Enter');
      await other.locator('#follow[data-phase="live"]').waitFor();
      await untilSubscriptions(keyedOrigin, 2); // a Policy: entityMentioned and policyLinked

      // Through the mutation: one article, mentioning the policy and linking a new company (at several scopes).
      const markdown =
        "---\ntitle: '比亚迪响应降低数字化门槛'\ndate: 2022-03-20\n---\n<p>比亚迪表示，将积极落实降低数字化门槛的要求，为上下游中小企业提供数字化工具。</p>\n";
      const ingested = await keyed.gql(
        'mutation($m: String!, $f: String!) { ingestArticle(markdown: $m, filename: $f) { created } }',
        { m: markdown, f: 'follow-byd.md' },
        { 'x-api-key': KEY },
      );
      expect(ingested.body.errors).toBeUndefined();
      await other.locator('#live-list .live-item', { hasText: 'Linked company: 比亚迪' }).waitFor({ timeout: 10_000 });
      await other
        .locator('#live-list .live-item strong', { hasText: /^比亚迪响应降低数字化门槛$/ })
        .waitFor({ timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 1_000)); // the link's other scopes: the same link, not shown again
      expect(await other.locator('#live-list .live-item').count()).toBe(2);
      expect(await other.locator('#follow-count').textContent()).toBe('2');
      expect(
        await other.evaluate(() =>
          (window as any).explorer.cy.nodes().some((n: any) => n.data('name') === '比亚迪' && n.hasClass('live')),
        ),
      ).toBe(true);
      expect(errors).toEqual([]);

      await other.close();
      await untilSubscriptions(keyedOrigin, 0);
    } finally {
      if (!other.isClosed()) await other.close();
      await keyed.app.close();
    }
  });

  it('Follow survives a lost connection: it says so, reconnects, catches up, and shows nothing twice', async () => {
    // A server of its own, stopped and started again on the same port under an open Follow.
    const config = testConfig();
    let app = createApp(db, config, createLogger(config));
    const url = await app.listen(0, '127.0.0.1');
    const { origin: liveOrigin, port } = new URL(url);
    const other = await browser.context.newPage();
    other.setDefaultTimeout(20_000);
    const errors: string[] = [];
    other.on('pageerror', (err) => errors.push(err.message));
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-explorer-reconnect-'));
    const article = (name: string, title: string, body: string) =>
      writeFileSync(
        join(dir, `${name}.md`),
        `---\ntitle: '${title}'\ndate: 2026-11-01T08:00:00+08:00\n---\n<div><p>${body}</p></div>\n`,
      );
    const liveNode = (name: string) =>
      other.waitForFunction(
        (n) => (window as any).explorer.cy.nodes().some((x: any) => x.data('name') === n && x.hasClass('live')),
        name,
        { timeout: 15_000 },
      );
    try {
      await other.goto(`${liveOrigin}/explore#entity=${encodeURIComponent('Company:京东工业品')}`);
      await other.locator('#details h2', { hasText: '京东工业品' }).waitFor();
      await settled(other);
      await other.click('#follow-toggle');
      await other.locator('#follow[data-phase="live"]').waitFor();
      await untilSubscriptions(liveOrigin, 1);
      await settled(other); // Follow's first query: the articles it already knows

      await app.close(); // its streams end, its port closes
      await other.locator('#follow[data-phase="retrying"]').waitFor();
      expect(await other.locator('#follow-status').textContent()).toMatch(
        /closed the live connection|Lost the connection/,
      );
      expect(await other.locator('#follow-status').textContent()).toContain('Reconnecting in');
      // written while the page is cut off: no stream will carry it
      article('ng-reconnect-1', '京东工业品与比亚迪合作', '京东工业品与比亚迪签署战略合作协议，共建数字化供应链。');
      expect((await ingestPaths(db, [dir])).failed).toEqual([]);

      app = createApp(db, config, createLogger(config));
      await app.listen(Number(port), '127.0.0.1');
      await other.locator('#follow[data-phase="live"]').waitFor({ timeout: 40_000 });
      await untilSubscriptions(liveOrigin, 1);
      await liveNode('比亚迪'); // caught up by a query after reconnecting
      rmSync(join(dir, 'ng-reconnect-1.md'));
      article('ng-reconnect-2', '京东工业品携手格力电器', '京东工业品与格力电器达成工业品采购合作。');
      expect((await ingestPaths(db, [dir])).failed).toEqual([]);
      await liveNode('格力电器');
      await new Promise((r) => setTimeout(r, 1_000));
      const items = await other.locator('#live-list .live-item').allTextContents();
      expect(items).toHaveLength(2);
      expect(items[0]).toContain('京东工业品携手格力电器');
      expect(items[1]).toContain('京东工业品与比亚迪合作');
      expect(await other.locator('#follow-count').textContent()).toBe('2');
      expect(errors).toEqual([]);
    } finally {
      await other.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows article text from the data as text, never as markup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-explorer-xss-'));
    try {
      const title = '<img src=x onerror="window.__xss=1">可疑标题工信部';
      writeFileSync(
        join(dir, 'ng-xss.md'),
        `---\ntitle: '${title}'\ndate: 2022-07-01T08:00:00+08:00\nsource: 'javascript:window.__xss=2'\n---\n<div><p>工信部发布《测试&lt;b&gt;政策》，京东工业品表示支持。</p></div>\n`,
      );
      expect((await ingestPaths(db, [dir])).failed).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.fill('#search-input', '可疑标题');
    await page.press('#search-input', 'Enter');
    const hit = page.locator('.result[data-type="ARTICLE"]').first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain('<img src=x');
    await hit.click();
    await page.locator('#details h2', { hasText: '可疑标题' }).waitFor();
    await settled(page);
    expect(await page.locator('#details h2').textContent()).toContain('<img');
    expect(await page.locator('#results img, #details img').count()).toBe(0);
    expect(await page.locator('#details a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });
});

describe('GraphiQL at /graphql', () => {
  let db: Database;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [EXAMPLES_DIR])).failed).toEqual([]);
    server = await startTestServer(db);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    await db?.close();
  });

  it('loads with no internet (nothing fetched from another host) and runs the example query', async () => {
    const origin = new URL(server.url).origin;
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    const elsewhere: string[] = [];
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // As if offline: anything not from this server fails (a CDN asset would show up here).
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      elsewhere.push(url);
      return route.abort('internetdisconnected');
    });
    try {
      const expected = await server.gql(EXAMPLE_QUERY);
      const policy: string = expected.body.data.policies.edges[0].node.name;
      expect(policy).toContain('数字化门槛');

      await page.goto(server.url, { waitUntil: 'load' });
      const run = page.locator('.graphiql-execute-button');
      await run.waitFor();
      // the default tab holds the example query
      await page.locator('.graphiql-query-editor', { hasText: 'linkedCompanies' }).waitFor();
      const answered = page.waitForResponse(
        (res) =>
          res.url() === server.url &&
          res.request().method() === 'POST' &&
          (res.request().postData() ?? '').includes('linkedCompanies'),
      );
      await run.click();
      const answer = await (await answered).json();
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual(expected.body.data);
      await page.locator('.graphiql-response', { hasText: policy }).waitFor();
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('runs a subscription: policyLinked events appear as an article is ingested', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-graphiql-'));
    try {
      const subscription =
        'subscription { policyLinked(policyId: "Policy:降低数字化门槛", scope: PARAGRAPH) { company { name } evidence } }';
      await page.goto(`${server.url}?query=${encodeURIComponent(subscription)}`, { waitUntil: 'load' });
      await page.locator('.graphiql-query-editor', { hasText: 'policyLinked' }).waitFor();
      // GraphiQL subscribes over SSE (a GET with accept: text/event-stream and the CSRF header)
      const stream = page.waitForResponse(
        (res) => res.url().startsWith(`${server.url}?`) && res.request().headers().accept === 'text/event-stream',
      );
      await page.locator('.graphiql-execute-button').click();
      expect((await stream).status()).toBe(200);
      writeFileSync(
        join(dir, 'graphiql-live.md'),
        "---\ntitle: '比亚迪响应降低数字化门槛'\ndate: 2022-03-20\n---\n<p>比亚迪表示，将积极落实降低数字化门槛的要求，为上下游中小企业提供数字化工具。</p>\n",
      );
      expect((await ingestPaths(db, [dir])).failed).toEqual([]);
      await page.locator('.graphiql-response', { hasText: '比亚迪表示，将积极落实降低数字化门槛的要求' }).waitFor();
    } finally {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
