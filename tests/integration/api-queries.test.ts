import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { EXAMPLE_QUERY } from '../../src/server/examples.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

describe('analyst queries over HTTP on the sample articles', () => {
  let db: Database;
  let server: TestServer;
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const res = await server.gql(query, variables);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const failure = async (query: string, variables?: Record<string, unknown>) => {
    const res = await server.gql(query, variables);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    return res.body.errors![0];
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    const summary = await ingestPaths(db, [EXAMPLES_DIR]);
    expect(summary.failed).toEqual([]);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  it('answers the 数字化门槛 example: 京东工业品, 快手 and 联想 with evidence, issued by 工信部', async () => {
    const data = await ok(EXAMPLE_QUERY);
    const policies = data.policies.edges.map((e: any) => e.node);
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(p.name).toContain('数字化门槛');
    const issuers = policies.flatMap((p: any) => p.issuedBy.map((i: any) => i.agency.name));
    expect(issuers).toContain('工信部');
    const linked = policies.flatMap((p: any) => p.linkedCompanies);
    for (const company of ['京东工业品', '快手', '联想']) {
      const link = linked.find((l: any) => l.company.name === company);
      expect(link, company).toBeDefined();
      expect(
        link.evidence.some((s: string) => s.includes('数字化门槛')),
        company,
      ).toBe(true);
    }
  });

  it('opens GraphiQL with the example query in its default tab', async () => {
    const res = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('policies(nameContains: \\"数字化门槛\\")');
    expect(html).toContain('linkedCompanies(scope: PARAGRAPH)');
  });

  it('finds entities by any of their names, and shows the name the articles use', async () => {
    const data = await ok(`{
      short: agency(name: "工信部") { entityId name canonicalName aliases mentionCount articleCount }
      full: agency(name: "工业和信息化部") { entityId }
      lenovo: company(name: "联想") { name canonicalName }
      nobody: person(name: "查无此人") { name }
      stock(code: "SZ300750") { code exchange name listedBy { company { name } } }
    }`);
    expect(data.short.entityId).toBe(data.full.entityId);
    expect(data.short.name).toBe('工信部');
    expect([data.short.canonicalName, ...data.short.aliases]).toEqual(
      expect.arrayContaining(['工信部', '工业和信息化部']),
    );
    expect(data.short.articleCount).toBeGreaterThanOrEqual(4);
    expect(data.short.mentionCount).toBeGreaterThanOrEqual(data.short.articleCount);
    expect(data.lenovo.name).toBe('联想');
    expect(data.nobody).toBeNull();
    expect(data.stock).toMatchObject({ code: 'sz300750', exchange: 'SHENZHEN' });
  });

  it('resolves entities and articles by global ID through node() and entity()', async () => {
    const { agency } = await ok('{ agency(name: "工信部") { id entityId } }');
    const data = await ok(
      'query($id: ID!, $raw: ID!) { node(id: $id) { __typename id ... on Agency { name } } byGlobal: entity(id: $id) { entityId } byStored: entity(id: $raw) { entityId } }',
      {
        id: agency.id,
        raw: agency.entityId,
      },
    );
    expect(data.node).toMatchObject({ __typename: 'Agency', id: agency.id, name: '工信部' });
    expect(data.byGlobal.entityId).toBe(agency.entityId);
    expect(data.byStored.entityId).toBe(agency.entityId);

    const { article } = await ok('{ article(id: "ng-03-catl-battery") { id title } }');
    const again = await ok('query($id: ID!) { node(id: $id) { ... on Article { title } } }', { id: article.id });
    expect(again.node.title).toBe(article.title);
  });

  it('returns null for unknown ids and names, and BAD_USER_INPUT for malformed ones', async () => {
    const data = await ok(
      '{ article(id: "no-such") { title } entity(id: "Company:不存在的公司") { name } policy(name: "不存在的政策") { name } stock(code: "sz999999") { code } }',
    );
    expect(data).toEqual({ article: null, entity: null, policy: null, stock: null });
    expect((await failure('{ entity(id: "not-a-global-id") { name } }')).extensions.code).toBe('BAD_USER_INPUT');
    expect((await failure('{ node(id: "bm9wZQ") { id } }')).extensions.code).toBe('BAD_USER_INPUT');
    expect((await failure('{ coMentions(id: "Company:不存在的公司") { weight } }')).extensions.code).toBe('NOT_FOUND');
    expect((await failure('{ timeline(id: "Agency:不存在") { start } }')).extensions.code).toBe('NOT_FOUND');
    expect((await failure('{ articles(after: "garbage") { edges { cursor } } }')).extensions.code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('pages through articles: first/after, the last page, an empty page, and filters', async () => {
    const all = await ok(
      '{ articles(first: 100) { edges { node { articleId publishedAt } } pageInfo { hasNextPage } } }',
    );
    const ids = all.articles.edges.map((e: any) => e.node.articleId);
    expect(ids).toHaveLength(8);
    expect(all.articles.pageInfo.hasNextPage).toBe(false);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = await ok(
        'query($after: String) { articles(first: 3, after: $after) { edges { node { articleId } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      seen.push(...page.articles.edges.map((e: any) => e.node.articleId));
      after = page.articles.pageInfo.hasNextPage ? page.articles.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    const oldest = await ok('{ articles(first: 100, orderBy: OLDEST_FIRST) { edges { node { articleId } } } }');
    expect(oldest.articles.edges.map((e: any) => e.node.articleId)).toEqual([...ids].reverse());

    const empty = await ok('{ articles(first: 0) { edges { cursor } pageInfo { hasNextPage } } }');
    expect(empty.articles.edges).toEqual([]);
    const none = await ok(
      '{ articles(filter: { from: "2030-01-01T00:00:00Z" }) { edges { cursor } pageInfo { hasNextPage } } }',
    );
    expect(none.articles).toEqual({ edges: [], pageInfo: { hasNextPage: false } });

    const mentioning = await ok(
      '{ articles(first: 100, filter: { mentions: ["Agency:工业和信息化部", "Company:京东工业品"] }) { edges { node { articleId } } } }',
    );
    const withBoth = mentioning.articles.edges.map((e: any) => e.node.articleId);
    expect(withBoth).toEqual(expect.arrayContaining(['ng-01-digital-threshold', 'ng-06-tencent-smes']));
    expect(withBoth).not.toContain('ng-05-moutai-consumption');

    const march = await ok(
      '{ articles(first: 100, filter: { from: "2022-03-18T00:00:00Z", to: "2022-03-18T23:59:59Z", category: "金融" }) { edges { node { articleId publishedAt categories } } } }',
    );
    for (const { node } of march.articles.edges) {
      expect(node.publishedAt.slice(0, 10)).toBe('2022-03-18');
      expect(node.categories).toContain('金融');
    }
    expect(march.articles.edges.map((e: any) => e.node.articleId)).toContain('ng-01-digital-threshold');
  });

  it('pages through the articles of an entity', async () => {
    const first = await ok(
      '{ agency(name: "工信部") { articleCount articles(first: 2) { edges { node { articleId } } pageInfo { hasNextPage endCursor } } } }',
    );
    const rest = await ok(
      'query($after: String) { agency(name: "工信部") { articles(first: 100, after: $after) { edges { node { articleId } } pageInfo { hasNextPage } } } }',
      {
        after: first.agency.articles.pageInfo.endCursor,
      },
    );
    const ids = [...first.agency.articles.edges, ...rest.agency.articles.edges].map((e: any) => e.node.articleId);
    expect(new Set(ids).size).toBe(first.agency.articleCount);
    expect(first.agency.articles.pageInfo.hasNextPage).toBe(true);
    expect(rest.agency.articles.pageInfo.hasNextPage).toBe(false);
  });

  it('searches names, aliases and titles with the cjk index, best first', async () => {
    const data = await ok(
      '{ search(query: "工信部", first: 10) { edges { node { score type entity { entityId } article { articleId } } } } }',
    );
    const hits = data.search.edges.map((e: any) => e.node);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((h: any) => h.score)).toEqual([...hits.map((h: any) => h.score)].sort((a, b) => b - a));
    expect(hits.some((h: any) => h.entity?.entityId === 'Agency:工业和信息化部')).toBe(true);

    const onlyCompanies = await ok(
      '{ search(query: "宁德时代", types: [COMPANY]) { edges { node { type entity { name } } } } }',
    );
    expect(onlyCompanies.search.edges.length).toBeGreaterThan(0);
    for (const e of onlyCompanies.search.edges) expect(e.node.type).toBe('COMPANY');

    const titles = await ok(
      '{ search(query: "养老金", types: [ARTICLE]) { edges { node { article { articleId } } } } }',
    );
    expect(titles.search.edges.map((e: any) => e.node.article.articleId)).toContain('ng-07-csrc-pension');

    const page2 = await ok('{ search(query: "中小企业", first: 2) { pageInfo { hasNextPage endCursor } } }');
    const next = await ok(
      'query($a: String) { search(query: "中小企业", first: 2, after: $a) { edges { node { score } } } }',
      { a: page2.search.pageInfo.endCursor },
    );
    expect(next.search.edges.length).toBeGreaterThan(0);
    expect((await failure('{ search(query: "   ") { edges { cursor } } }')).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('lists policies by name with issuers and linked companies at each scope', async () => {
    const data = await ok(`{ policies(nameContains: "专项行动", first: 5) {
      edges { node { name issuedBy { agency { name } evidence articles { articleId } }
        article: linkedCompanies(scope: ARTICLE) { company { name } score articles { articleId } }
        sentence: linkedCompanies(scope: SENTENCE) { company { name } score evidence } } } } }`);
    const policies = data.policies.edges.map((e: any) => e.node);
    expect(policies.length).toBeGreaterThan(0);
    const issued = policies.flatMap((p: any) => p.issuedBy);
    expect(issued.some((i: any) => i.agency.name === '工信部' && i.evidence.length > 0 && i.articles.length > 0)).toBe(
      true,
    );
    for (const p of policies) {
      for (const l of p.article) expect(l.score).toBe(l.articles.length);
      // a sentence-level link is also an article-level link
      for (const l of p.sentence) expect(p.article.map((a: any) => a.company.name)).toContain(l.company.name);
    }
    const none = await ok('{ policies(nameContains: "没有这样的政策") { edges { cursor } pageInfo { hasNextPage } } }');
    expect(none.policies).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
  });

  it('weights co-mentions and walks relations of the loaded entities', async () => {
    const data = await ok(
      '{ coMentions(id: "Agency:工业和信息化部", type: COMPANY, first: 5) { entity { type name } weight mentions articles { articleId } } }',
    );
    const list = data.coMentions;
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(5);
    for (const c of list) {
      expect(c.entity.type).toBe('COMPANY');
      expect(c.articles.length).toBe(Math.min(5, c.weight));
    }
    expect(list.map((c: any) => c.weight)).toEqual([...list.map((c: any) => c.weight)].sort((a, b) => b - a));
    expect(list.map((c: any) => c.entity.name)).toContain('京东工业品');

    const tencent = await ok(
      '{ stock(code: "hk00700") { name listedBy { company { name stocks { stock { code } } } } } }',
    );
    expect(tencent.stock.listedBy[0].company.stocks.map((s: any) => s.stock.code)).toContain('hk00700');
  });

  it('finds the shortest path between two entities with the articles on each hop', async () => {
    const data = await ok(
      '{ path(fromId: "Company:京东工业品", toId: "Agency:中国人民银行", maxHops: 4) { length entities { entityId } hops { from { entityId } to { entityId } type articles { articleId } } } }',
    );
    const path = data.path;
    expect(path.length).toBeGreaterThan(0);
    expect(path.entities[0].entityId).toBe('Company:京东工业品');
    expect(path.entities.at(-1).entityId).toBe('Agency:中国人民银行');
    expect(path.hops).toHaveLength(path.length);
    for (const hop of path.hops) expect(hop.articles.length).toBeGreaterThan(0);
    // a co-mention hop shows the pair's most recent shared articles (newest first, undated last), at most 5
    for (const hop of path.hops.filter((h: any) => h.type === 'CO_MENTION')) {
      const { records } = await db.driver.executeQuery(
        `MATCH (:Entity {id: $x})<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(:Entity {id: $y})
         RETURN a.id AS id ORDER BY a.publishedAt IS NULL, a.publishedAt DESC, a.id LIMIT 5`,
        { x: hop.from.entityId, y: hop.to.entityId },
      );
      expect(hop.articles.map((a: any) => a.articleId)).toEqual(records.map((r) => r.get('id')));
    }
    path.hops.forEach((hop: any, i: number) => {
      expect(hop.from.entityId).toBe(path.entities[i].entityId);
      expect(hop.to.entityId).toBe(path.entities[i + 1].entityId);
    });
    const same = await ok('{ path(fromId: "Company:京东工业品", toId: "Company:京东工业品") { length } }');
    expect(same.path.length).toBe(0);
    expect(
      (await failure('{ path(fromId: "Company:京东工业品", toId: "Agency:中国人民银行", maxHops: 7) { length } }'))
        .extensions.code,
    ).toBe('BAD_USER_INPUT');
    expect(
      (await failure('{ path(fromId: "Company:京东工业品", toId: "Agency:不存在") { length } }')).extensions.code,
    ).toBe('NOT_FOUND');
  });

  it('returns a neighbourhood ready for a graph view', async () => {
    const data = await ok(
      '{ neighborhood(id: "Agency:工业和信息化部", depth: 1, limit: 25) { nodes { id key type name } edges { id source target type weight label } } }',
    );
    const { nodes, edges } = data.neighborhood;
    expect(nodes.length).toBeGreaterThan(3);
    expect(nodes.length).toBeLessThanOrEqual(25);
    const ids = new Set(nodes.map((n: any) => n.id));
    expect(ids.size).toBe(nodes.length);
    for (const e of edges) {
      expect(ids.has(e.source)).toBe(true);
      expect(ids.has(e.target)).toBe(true);
      expect(e.weight).toBeGreaterThan(0);
    }
    const types = new Set(edges.map((e: any) => e.type));
    for (const t of ['ISSUED', 'CO_MENTION', 'MENTIONS']) expect(types.has(t)).toBe(true);
    expect(nodes.find((n: any) => n.key === 'Agency:工业和信息化部').name).toBe('工信部');
    expect(nodes.some((n: any) => n.type === 'ARTICLE')).toBe(true);

    const wider = await ok('{ neighborhood(id: "Agency:工业和信息化部", depth: 2, limit: 60) { nodes { id } } }');
    expect(wider.neighborhood.nodes.length).toBeGreaterThan(nodes.length);
    expect(
      (await failure('{ neighborhood(id: "Agency:工业和信息化部", depth: 3) { nodes { id } } }')).extensions.code,
    ).toBe('BAD_USER_INPUT');
  });

  it('counts mentions over time, ranks entities, and reports graph stats', async () => {
    const data = await ok(`{
      timeline(id: "Agency:工业和信息化部", interval: MONTH) { start articles mentions }
      days: timeline(id: "Agency:工业和信息化部", interval: DAY) { start articles }
      topEntities(type: AGENCY, first: 3) { entity { name } articles mentions }
      stats { articles entities labels { name count } edgeTypes { name count } }
      agency(name: "工信部") { articleCount }
    }`);
    const total = data.timeline.reduce((s: number, b: any) => s + b.articles, 0);
    expect(total).toBe(data.agency.articleCount);
    expect(data.timeline.map((b: any) => b.start)).toEqual([...data.timeline.map((b: any) => b.start)].sort());
    for (const b of data.timeline) expect(b.start).toMatch(/^\d{4}-\d{2}-01T00:00/);
    expect(data.days.length).toBeGreaterThanOrEqual(data.timeline.length);
    expect(data.topEntities[0].entity.name).toBe('工信部');
    expect(data.topEntities.length).toBe(3);
    expect(data.stats.articles).toBe(8);
    const label = (n: string) => data.stats.labels.find((l: any) => l.name === n).count;
    expect(data.stats.entities).toBe(
      ['Company', 'Agency', 'Person', 'Policy', 'Stock'].reduce((s, n) => s + label(n), 0),
    );
    expect(data.stats.edgeTypes.find((e: any) => e.name === 'MENTIONS').count).toBeGreaterThan(20);
  });
});
