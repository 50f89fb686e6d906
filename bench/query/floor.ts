/**
 * The "floor" of the query benchmark: the same Cypher newsgraph runs (the read functions
 * of src/db and the analysis of src/analysis, imported, not copied) behind a bare
 * node:http handler, no GraphQL. Round trips are issued as early and as parallel as the
 * data dependencies allow. Run in its own process by bench/query.ts:
 *
 *   NEO4J_URI=bolt://127.0.0.1:7687 PORT=0 npx tsx bench/query/floor.ts   (prints "READY <url>")
 *
 *   GET /policy?text=数字化门槛     policies(nameContains) + issuedBy + linkedCompanies(PARAGRAPH)
 *   GET /search?q=京东               search (entities + articles), first 20
 *   GET /articles?id=Agency:…        an entity's name and its newest 20 articles
 *   GET /neighborhood?id=Agency:…    neighborhood(depth: 2, limit: 50)
 */
import { createServer, type ServerResponse } from 'node:http';
import { neighbourhood } from '../../src/analysis/neighborhood.js';
import { articlesByIds } from '../../src/db/articles-read.js';
import { articlesMentioning, entitiesByIds } from '../../src/db/entities-read.js';
import { neighboursOf, recentMentions } from '../../src/db/graph-read.js';
import { policiesByName, policyLinkedCompanies } from '../../src/db/policies-read.js';
import { createReader, type Reader } from '../../src/db/read.js';
import { relationsOf } from '../../src/db/relations-read.js';
import { searchPage } from '../../src/db/search-read.js';
import { createDriver, type Database } from '../../src/neo4j/driver.js';

async function policy(reader: Reader, text: string) {
  const policies = await policiesByName(reader, { nameContains: text, offset: 0, limit: 21 });
  const ids = policies.map((p) => p.id);
  const [issued, co] = await Promise.all([
    relationsOf(reader, 'ISSUED', 'to', ids),
    policyLinkedCompanies(reader, ids, 'PARAGRAPH', 20),
  ]);
  return policies.slice(0, 20).map((p, i) => ({
    name: p.name,
    issuedBy: issued[i].map((r) => ({ agency: { name: r.other.name } })),
    linkedCompanies: co[i].map((l) => ({ company: { name: l.company.name }, evidence: l.evidence })),
  }));
}

async function search(reader: Reader, q: string) {
  const page = await searchPage(reader, { query: q, types: null, articles: true, offset: 0, limit: 20 });
  return page.map((h) => ({ score: h.score, type: h.kind, name: h.entity ? h.entity.name : h.article?.title }));
}

async function articles(reader: Reader, id: string) {
  const [[entity], [page]] = await Promise.all([
    entitiesByIds(reader, [id]),
    articlesMentioning(reader, [{ entityId: id, limit: 21, after: null }]),
  ]);
  return {
    name: entity?.name,
    articles: page.slice(0, 20).map((a) => ({ title: a.title, publishedAt: a.publishedAt })),
  };
}

async function neighborhood(reader: Reader, id: string) {
  const [centre] = await entitiesByIds(reader, [id]);
  if (!centre) return null;
  const view = await neighbourhood(
    {
      neighbours: (ids, perNode) => neighboursOf(reader, ids, perNode),
      recentArticles: (c, n) => recentMentions(reader, c, n),
    },
    id,
    2,
    50,
  );
  const [entities, arts] = await Promise.all([
    entitiesByIds(
      reader,
      view.nodes.filter((n) => n.kind === 'entity').map((n) => n.key),
    ),
    articlesByIds(
      reader,
      view.nodes.filter((n) => n.kind === 'article').map((n) => n.key),
    ),
  ]);
  const info = new Map<string, { name: string; type: string }>();
  for (const e of entities) if (e) info.set(e.id, { name: e.name, type: e.type.toUpperCase() });
  for (const a of arts) if (a) info.set(a.id, { name: a.title, type: 'ARTICLE' });
  return {
    nodes: view.nodes.filter((n) => info.has(n.key)).map((n) => ({ id: n.key, ...info.get(n.key)! })),
    edges: view.edges.filter((e) => info.has(e.source) && info.has(e.target)),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function main() {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is required');
  const driver = createDriver(uri, process.env.NEO4J_USER ?? 'neo4j', process.env.NEO4J_PASSWORD ?? '');
  const db: Database = { driver, uri, origin: 'NEO4J_URI', close: () => driver.close() };
  const reader = createReader(db, 10_000);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.searchParams;
    const work =
      url.pathname === '/policy'
        ? policy(reader, p.get('text') ?? '')
        : url.pathname === '/search'
          ? search(reader, p.get('q') ?? '')
          : url.pathname === '/articles'
            ? articles(reader, p.get('id') ?? '')
            : url.pathname === '/neighborhood'
              ? neighborhood(reader, p.get('id') ?? '')
              : null;
    if (!work) return send(res, 404, { error: 'not found' });
    work.then(
      (data) => send(res, 200, { data }),
      (err: Error) => send(res, 500, { error: err.message }),
    );
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(`READY http://127.0.0.1:${port}`);
  });
  const stop = () => server.close(() => void driver.close().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
