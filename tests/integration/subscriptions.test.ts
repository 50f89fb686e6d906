/**
 * Subscriptions over server-sent events, on the real Neo4j, with a real GraphQL-over-SSE client
 * (graphql-sse, distinct connections: POST with `accept: text/event-stream`, as yoga serves it).
 * Events come only from the change records written in each write's transaction, read by each
 * server's change feed: a write through this server's mutation, the store, or another server
 * process all arrive the same way, once.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { watchArticles } from '../../src/ingest/watch.js';
import type { Database } from '../../src/neo4j/driver.js';
import { type ServerProcess, startServerProcess } from '../faults/server.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

const KEY = 'test-key-subscriptions-0123456789';
const AUTH = { 'x-api-key': KEY };
const INGEST =
  'mutation($m: String!, $f: String!) { ingestArticle(markdown: $m, filename: $f) { created article { articleId } } }';
const DELETE = 'mutation($id: ID!) { deleteArticle(id: $id) { articleId } }';
const THRESHOLD = readFileSync(join(EXAMPLES_DIR, 'ng-01-digital-threshold.md'), 'utf8');
const CATL = readFileSync(join(EXAMPLES_DIR, 'ng-03-catl-battery.md'), 'utf8');
const POLICY_LINKED = `subscription($p: ID!) { policyLinked(policyId: $p) {
  policyId policy { name } company { name } companyId scope evidence articleIds } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sub {
  events: any[];
  error: unknown;
  ended: boolean;
  dispose(): void;
  /** resolves once `n` events arrived (or the stream ended or failed) */
  waitFor(n: number, ms?: number): Promise<any[]>;
}

/** A subscription through graphql-sse's client; every result (data or errors) is collected. */
function subscribe(url: string, query: string, variables: Record<string, unknown> = {}, headers = AUTH): Sub {
  const client = createClient({ url, singleConnection: false, retryAttempts: 0, headers });
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const sub: Sub = {
    events: [],
    error: undefined,
    ended: false,
    dispose: () => {
      stop();
      client.dispose();
    },
    async waitFor(n, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (sub.events.length < n && !sub.ended && Date.now() < deadline)
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      return sub.events;
    },
  };
  const stop = client.subscribe(
    { query, variables },
    {
      next: (r) => {
        sub.events.push(r);
        wake();
      },
      error: (e) => {
        sub.error = e;
        sub.ended = true;
        wake();
      },
      complete: () => {
        sub.ended = true;
        wake();
      },
    },
  );
  return sub;
}

/** Waits until the server counts `n` open subscriptions (their subscribe ran: events from now on reach them). */
async function subscribers(url: string, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const m = /^newsgraph_subscriptions (\d+)/m.exec(await (await fetch(url.replace(/graphql$/, 'metrics'))).text());
    if (Number(m?.[1]) === n) return;
    if (Date.now() > deadline) throw new Error(`expected ${n} subscriptions, /metrics says ${m?.[1]}`);
    await sleep(50);
  }
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url.replace(/graphql$/, 'metrics'))).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, headers = AUTH) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as any;
}

describe('subscriptions over SSE', () => {
  const neo4j = inject('neo4j');
  let db: Database;
  let server: TestServer;
  let policyId: string;
  /** the PARAGRAPH links of the 数字化门槛 policy, as the query API reports them */
  let expected: { company: { name: string }; evidence: string[] }[];

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    server = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY });
    // learn the policy's id and links, then remove the article: the links are gone until it comes back
    expect((await gql(server.url, INGEST, { m: THRESHOLD, f: 'ng-01.md' })).errors).toBeUndefined();
    const q = await gql(
      server.url,
      '{ policy(name: "降低数字化门槛") { id name linkedCompanies(scope: PARAGRAPH) { company { name } evidence } } }',
    );
    policyId = q.data.policy.id;
    expected = q.data.policy.linkedCompanies;
    expect(expected.map((l) => l.company.name)).toEqual(expect.arrayContaining(['京东工业品', '快手', '联想']));
    expect((await gql(server.url, DELETE, { id: 'ng-01' })).data.deleteArticle).toEqual({ articleId: 'ng-01' });
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  it('policyLinked: a subscriber gets each newly linked company with its scope and evidence, once; nothing for an unchanged re-ingest', async () => {
    const sub = subscribe(server.url, POLICY_LINKED, { p: policyId });
    const paragraphOnly = subscribe(
      server.url,
      'subscription($p: ID!) { policyLinked(policyId: $p, scope: PARAGRAPH) { company { name } scope } }',
      { p: policyId },
    );
    await subscribers(server.url, 2);
    const write = await gql(server.url, INGEST, { m: THRESHOLD, f: 'ng-01.md' });
    expect(write.data.ingestArticle.created).toBe(true);

    // every scope a company is linked at is one event; the PARAGRAPH ones are what linkedCompanies shows
    const links = (
      await gql(
        server.url,
        `query($n: String!) { a: policy(name: $n) { linkedCompanies(scope: ARTICLE, first: 100) { company { name } } }
        p: policy(name: $n) { linkedCompanies(scope: PARAGRAPH, first: 100) { company { name } } }
        s: policy(name: $n) { linkedCompanies(scope: SENTENCE, first: 100) { company { name } } } }`,
        { n: '降低数字化门槛' },
      )
    ).data;
    const total = links.a.linkedCompanies.length + links.p.linkedCompanies.length + links.s.linkedCompanies.length;
    expect(total).toBeGreaterThan(expected.length);
    const events = await sub.waitFor(total);
    await sleep(1_500); // several polls more: nothing further may come
    expect(sub.error).toBeUndefined();
    expect(events).toHaveLength(total);
    const got = events.map((e) => e.data.policyLinked);
    for (const e of got) {
      expect(e.policyId).toBe('Policy:降低数字化门槛');
      expect(e.policy.name).toBe('降低数字化门槛');
      expect(e.articleIds).toEqual(['ng-01']);
    }
    // one event per (company, scope)
    expect(new Set(got.map((e) => `${e.companyId} ${e.scope}`)).size).toBe(total);
    const paragraph = got.filter((e) => e.scope === 'PARAGRAPH');
    expect(
      paragraph
        .map((e) => ({ company: e.company, evidence: e.evidence }))
        .sort((x, y) => (x.company.name < y.company.name ? -1 : 1)),
    ).toEqual([...expected].sort((x, y) => (x.company.name < y.company.name ? -1 : 1)));
    const jd = paragraph.find((e) => e.company.name === '京东工业品');
    expect(jd.evidence.join('')).toContain('京东工业品依托自身供应链数据');
    expect(jd.evidence.join('')).toContain('降低数字化门槛');

    // the scope filter: only PARAGRAPH events
    await paragraphOnly.waitFor(expected.length);
    expect(paragraphOnly.events.map((e) => e.data.policyLinked.scope)).toEqual(expected.map(() => 'PARAGRAPH'));

    // the same article again: stored again, nothing new, no event
    const again = await gql(server.url, INGEST, { m: THRESHOLD, f: 'ng-01.md' });
    expect(again.data.ingestArticle.created).toBe(false);
    await sleep(1_500);
    expect(sub.events).toHaveLength(total);
    expect(paragraphOnly.events).toHaveLength(expected.length);
    sub.dispose();
    paragraphOnly.dispose();
    await subscribers(server.url, 0);
  });

  it('a file written to a watched folder reaches a policyLinked subscriber with the company and its evidence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-watch-live-'));
    const watcher = await watchArticles(db, dir, { log: () => {} });
    const sentence = '国家发展改革委印发《氢能产业发展中长期规划》，宁德时代和比亚迪表示将积极参与氢能示范项目。';
    const sub = subscribe(
      server.url,
      'subscription($p: ID!) { policyLinked(policyId: $p, scope: SENTENCE) { policy { name } company { name } scope evidence articleIds } }',
      { p: 'Policy:氢能产业发展中长期规划' },
    );
    try {
      await watcher.idle();
      await subscribers(server.url, 1);
      const written = Date.now();
      writeFileSync(
        join(dir, 'watch-live.md'),
        `---\ntitle: '氢能试点扩围'\ndate: 2022-05-10T08:00:00+08:00\n---\n<div>\n<p>　　${sentence}</p>\n</div>\n`,
      );
      const events = await sub.waitFor(2, 30_000);
      console.log(`[figures] watched file to policyLinked event: ${Date.now() - written} ms (both companies)`);
      expect(sub.error).toBeUndefined();
      const got = events.map((e) => e.data.policyLinked);
      expect(got.map((e) => e.company.name).sort()).toEqual(['宁德时代', '比亚迪']);
      for (const e of got) {
        expect(e).toMatchObject({
          policy: { name: '氢能产业发展中长期规划' },
          scope: 'SENTENCE',
          articleIds: ['watch-live'],
        });
        expect(e.evidence).toEqual([sentence]);
      }
    } finally {
      sub.dispose();
      await watcher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a write by a second server process reaches this server’s subscribers, exactly once', async () => {
    const other: ServerProcess = await startServerProcess(neo4j.uri, {
      NEO4J_USER: neo4j.user,
      NEO4J_PASSWORD: neo4j.password,
      NEWSGRAPH_API_KEY: KEY,
    });
    try {
      const articles = subscribe(
        server.url,
        'subscription { articleIngested { articleId created title article { articleId } } }',
      );
      const catl = subscribe(
        server.url,
        'subscription { entityMentioned(id: "Company:宁德时代") { entity { name } articleId count evidence } }',
      );
      const filtered = subscribe(
        server.url,
        'subscription { articleIngested(filter: { category: "no such category" }) { articleId } }',
      );
      await subscribers(server.url, 3);
      const write = await gql(other.url, INGEST, { m: CATL, f: 'via-other.md' });
      expect(write.errors).toBeUndefined();
      expect(write.data.ingestArticle.created).toBe(true);

      await articles.waitFor(1);
      await catl.waitFor(1);
      await sleep(1_500);
      expect(articles.events.map((e) => e.data.articleIngested)).toEqual([
        {
          articleId: 'via-other',
          created: true,
          title: expect.stringContaining('宁德时代'),
          article: { articleId: 'via-other' },
        },
      ]);
      expect(catl.events).toHaveLength(1);
      const mention = catl.events[0].data.entityMentioned;
      expect(mention).toMatchObject({ entity: { name: '宁德时代' }, articleId: 'via-other' });
      expect(mention.count).toBeGreaterThan(0);
      expect(mention.evidence.join('')).toContain('宁德时代');
      expect(filtered.events).toEqual([]);

      // changed content through the other process: articleIngested again (not created); 宁德时代 was mentioned already
      const changed = await gql(other.url, INGEST, {
        m: CATL.replace(/^title: .*$/m, "title: '宁德时代 更新'"),
        f: 'via-other.md',
      });
      expect(changed.data.ingestArticle.created).toBe(false);
      await articles.waitFor(2);
      await sleep(1_000);
      expect(articles.events.map((e) => e.data.articleIngested)).toEqual([
        expect.objectContaining({ articleId: 'via-other', created: true }),
        expect.objectContaining({ articleId: 'via-other', created: false, title: '宁德时代 更新' }),
      ]);
      expect(catl.events).toHaveLength(1);
      for (const s of [articles, catl, filtered]) s.dispose();
    } finally {
      await other.stop();
    }
  });

  it('a write by the store (CLI ingest path) reaches subscribers: issued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-subs-'));
    let issued: Sub | undefined;
    try {
      const agency = await gql(server.url, '{ agency(name: "工信部") { id name } }');
      const agencyName = agency.data.agency.name as string;
      issued = subscribe(
        server.url,
        'subscription($a: ID!) { issued(agencyId: $a) { agency { name } policy { name } evidence articleIds } }',
        { a: agency.data.agency.id },
      );
      await subscribers(server.url, 1);
      // the policy's ISSUED edge exists (ng-01): an article reporting only that again is not new
      writeFileSync(join(dir, 'ng-04.md'), readFileSync(join(EXAMPLES_DIR, 'ng-04-zhejiang-smes.md'), 'utf8'));
      writeFileSync(join(dir, 'ng-06.md'), readFileSync(join(EXAMPLES_DIR, 'ng-06-tencent-smes.md'), 'utf8'));
      expect((await ingestPaths(db, [dir])).failed).toEqual([]);
      const { records } = await db.driver.executeQuery(
        `MATCH (:Alias {key: 'Agency:工信部'})-[:ALIAS_OF]->(a:Agency)-[r:ISSUED]->(p:Policy)
         WHERE any(x IN r.articleIds WHERE x IN ['ng-04', 'ng-06']) AND NOT 'ng-01' IN r.articleIds
         RETURN p.name AS name ORDER BY name`,
      );
      const fresh = records.map((r) => r.get('name') as string);
      expect(fresh.length).toBeGreaterThan(0);
      await issued.waitFor(fresh.length, 5_000);
      await sleep(1_000);
      expect(issued.events.map((e) => e.data.issued.policy.name).sort()).toEqual(fresh);
      for (const e of issued.events) {
        expect(e.data.issued.agency.name).toBe(agencyName);
        expect(e.data.issued.evidence.length).toBeGreaterThan(0);
      }
    } finally {
      issued?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a subscription over the depth limit, or without the API key, with the codes', async () => {
    await subscribers(server.url, 0);
    const deep = subscribe(
      server.url,
      `subscription { issued(agencyId: "Agency:工信部") { policy { issuedBy { policy { issuedBy { policy {
        issuedBy { policy { issuedBy { policy { issuedBy { policy { name } } } } } } } } } } } } }`,
    );
    const noKey = subscribe(server.url, POLICY_LINKED, { p: policyId }, {} as typeof AUTH);
    const wrongType = subscribe(server.url, 'subscription { issued(agencyId: "Company:宁德时代") { policyId } }');
    const aliases = subscribe(
      server.url,
      `subscription { articleIngested { ${Array.from({ length: 16 }, (_, i) => `a${i}: articleId`).join(' ')} } }`,
    );
    for (const s of [deep, noKey, wrongType, aliases]) await s.waitFor(1, 5_000);
    const codeOf = (s: Sub) =>
      (s.events[0]?.errors ?? (s.error as any)?.errors ?? [])[0]?.extensions?.code ?? String(s.error);
    expect(codeOf(deep)).toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(noKey)).toBe('UNAUTHENTICATED');
    expect(codeOf(wrongType)).toBe('BAD_USER_INPUT');
    expect(codeOf(aliases)).toBe('QUERY_TOO_COMPLEX');
    for (const s of [deep, noKey, wrongType, aliases]) s.dispose();
    // CORS as for queries: no NEWSGRAPH_CORS_ORIGINS, so a page of another origin may not read the stream
    const controller = new AbortController();
    const cross = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        origin: 'https://elsewhere.example',
        ...AUTH,
      },
      body: JSON.stringify({ query: 'subscription { articleIngested { articleId } }' }),
      signal: controller.signal,
    });
    expect(cross.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(cross.headers.get('access-control-allow-origin')).toBeNull();
    controller.abort();
    await subscribers(server.url, 0);
  });
});

/** a small queue, so that a few large events fill it; batches of 20 articles fit it (the feed waits for it to drain below half between change records) */
const QUEUE = 40;

describe('a slow subscriber', () => {
  let db: Database;
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    server = await startTestServer(db, { NEWSGRAPH_SUBSCRIPTION_QUEUE: String(QUEUE) });
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-slow-'));
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is dropped with SLOW_CONSUMER, not buffered; other subscribers and the server carry on', async () => {
    // each event asks for its article's text 15 times (~4 MB): a client that reads nothing fills
    // the socket buffers within a few events, then half its queue, and it is dropped
    const fields = Array.from({ length: 15 }, (_, i) => `t${i}: text`).join(' ');
    const url = new URL(server.url);
    const body = JSON.stringify({ query: `subscription { articleIngested { article { ${fields} } } }` });
    let received = '';
    const slow = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        },
        (res) => {
          res.pause();
          resolve(res);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(slow.headers['content-type']).toMatch(/text\/event-stream/);
    const reader = subscribe(server.url, 'subscription { articleIngested { articleId } }', {}, {} as typeof AUTH);
    await subscribers(server.url, 2);

    const paragraph = `<p>${'市场运行总体平稳，消费需求稳步恢复。'.repeat(500)}</p>`;
    const n = 60;
    for (let i = 0; i < n; i++)
      writeFileSync(
        join(dir, `big-${i}.md`),
        `---\ntitle: '长文 ${i}'\ndate: 2022-03-18\n---\n${paragraph.repeat(10)}\n`,
      );
    expect((await ingestPaths(db, [dir], { batchSize: 20 })).failed).toEqual([]);

    const deadline = Date.now() + 30_000;
    while ((await metric(server.url, 'newsgraph_subscriptions_dropped_total')) < 1) {
      if (Date.now() > deadline) throw new Error('the slow subscriber was not dropped');
      await sleep(100);
    }
    // the client reads again (within the grace before its connection is cut): the stream ends with the code
    const ended = new Promise<void>((done) => {
      slow.on('data', (c: Buffer) => {
        received += c.toString('utf8');
      });
      slow.on('end', () => done());
      slow.on('error', () => done());
      slow.on('close', () => done());
    });
    slow.resume();
    await ended;
    const last = received
      .split('\n\n')
      .filter((e) => e.startsWith('event: next'))
      .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)))
      .at(-1);
    expect(last.errors[0].extensions.code).toBe('SLOW_CONSUMER');
    expect(received).toContain('event: complete');

    // the reading subscriber got every article, once
    await reader.waitFor(n, 30_000);
    await sleep(1_000);
    expect(reader.events.map((e) => e.data.articleIngested.articleId).sort()).toEqual(
      Array.from({ length: n }, (_, i) => `big-${i}`).sort(),
    );
    reader.dispose();
    await subscribers(server.url, 0);
    const health = await fetch(server.url.replace(/graphql$/, 'health'));
    expect(health.status).toBe(200);
    expect((await gql(server.url, '{ stats { articles } }', {}, {} as typeof AUTH)).data.stats.articles).toBe(n);
  }, 120_000);
});
