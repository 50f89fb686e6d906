/**
 * Query benchmark: four analyst queries against a graph of the N-article synthetic corpus,
 * each served three ways, side by side on the same database, under autocannon load:
 *   floor      the same Cypher (src/db read functions) behind a bare node:http handler
 *   peer       @neo4j/graphql v7 over the same labels (bench/query/peer.ts), graphql-yoga
 *   newsgraph  the real server: `node bin/newsgraph.js serve` with NEO4J_URI (response cache on, as shipped)
 *   newsgraph-nocache  the same with NEWSGRAPH_RESPONSE_CACHE_MB=0: every request goes to Neo4j
 * Each server runs in its own process; this process runs Neo4j (embedded) and the load.
 *
 *   npm run bench:query                         # 10,000 articles, 10 s per cell, c=1 and c=16
 *   npm run bench:query -- --data DIR           # reuse (or create) the ingested graph in DIR
 *   npm run bench:query -- --duration 5 --queries policy,search --no-write
 *   npm run bench:query -- --mix 100             # varied: each request takes the next of 100 parameters
 *                                                # per query read from the graph (seeded), every system
 *
 * Prints a markdown table and (unless --no-write) replaces the "Query benchmark" section
 * of BENCHMARKS.md ("Query benchmark: varied parameters" with --mix). Stops by itself: every load run is time-bounded.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import neo4j from 'neo4j-driver';
import type { Database } from '../src/neo4j/driver.js';
import { freePort } from '../src/neo4j/embedded.js';
import { mulberry32 } from '../src/prng.js';
import { PEER_ROOTS } from './query/peer.js';
import { defaultDataDir, openBenchGraph } from './query-graph.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    articles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '42' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '1,16' },
    queries: { type: 'string', default: 'policy,search,articles,neighborhood' },
    systems: { type: 'string', default: 'floor,peer,newsgraph,newsgraph-nocache' },
    'no-write': { type: 'boolean', default: false },
    mix: {
      type: 'string',
      default: '0',
      description: 'N > 0: each request takes the next of N parameters per query read from the graph (seeded shuffle)',
    },
    'mix-seed': { type: 'string', default: '1' },
    'max-load': { type: 'string', default: '2.5' },
    'load-wait': {
      type: 'string',
      default: '0',
      description: 'seconds to wait for the 1-minute load to fall below --max-load',
    },
  },
});

type System = 'floor' | 'peer' | 'newsgraph' | 'newsgraph-nocache';
/** newsgraph as shipped (response cache on), and with NEWSGRAPH_RESPONSE_CACHE_MB=0 */
const isNewsgraph = (s: System) => s === 'newsgraph' || s === 'newsgraph-nocache';
type QueryName = 'policy' | 'search' | 'articles' | 'neighborhood';

const CENTRE = 'Agency:工业和信息化部';

/** One request's parameters: a policy name fragment, a search term, or an entity (id and type). */
type Param = { text: string } | { q: string } | { id: string; type: string };
const entity = (p: Param) => p as { id: string; type: string };
const GQL_ROOT = (p: Param) => PEER_ROOTS[entity(p).type];

/** What each system is asked, per query and parameters. GraphQL bodies are POSTed; the floor takes GETs. */
export const QUERIES: Record<
  QueryName,
  {
    /** the row title in the varied mix, and in the repeated-query table (`fixed` named) */
    title: string;
    fixedTitle: string;
    /** the repeated-query benchmark's one parameter */
    fixed: Param;
    newsgraph: string;
    peer: (p: Param) => string;
    floor: (p: Param) => string;
  }
> = {
  policy: {
    title: 'policy → linked companies',
    fixedTitle: 'policy "数字化门槛" → linked companies',
    fixed: { text: '数字化门槛' },
    newsgraph: `query($text: String!) { policies(nameContains: $text) { edges { node { name issuedBy { agency { name } } linkedCompanies(scope: PARAGRAPH) { company { name } score evidence } } } } }`,
    peer: () =>
      `query($text: String!) { policies(where: { name: { contains: $text } }) { name issuedBy { name } linkedCompanies(limit: 20) { name score evidence } } }`,
    floor: (p) => `/policy?text=${encodeURIComponent((p as { text: string }).text)}`,
  },
  search: {
    title: 'search (first 20)',
    fixedTitle: 'search "京东" (first 20)',
    fixed: { q: '京东' },
    newsgraph: `query($q: String!) { search(query: $q, first: 20) { edges { node { score type entity { name } article { title } } } } }`,
    peer: () => `query($q: String!) { articlesByText(phrase: $q, first: 20) { edges { score node { title } } }
      companiesByName(phrase: $q, first: 20) { edges { score node { name } } }
      agenciesByName(phrase: $q, first: 20) { edges { score node { name } } }
      policiesByName(phrase: $q, first: 20) { edges { score node { name } } }
      peopleByName(phrase: $q, first: 20) { edges { score node { name } } }
      stocksByName(phrase: $q, first: 20) { edges { score node { name } } } }`,
    floor: (p) => `/search?q=${encodeURIComponent((p as { q: string }).q)}`,
  },
  articles: {
    title: 'an entity: first 20 articles',
    fixedTitle: '工信部: first 20 articles',
    fixed: { id: CENTRE, type: 'Agency' },
    newsgraph: `query($id: ID!) { entity(id: $id) { name articles(first: 20) { edges { node { title publishedAt } } } } }`,
    peer: (p) =>
      `query($id: ID!) { ${GQL_ROOT(p)}(where: { id: { eq: $id } }) { name articles(limit: 20, sort: [{ publishedAt: DESC }, { id: DESC }]) { title date } } }`,
    floor: (p) => `/articles?id=${encodeURIComponent(entity(p).id)}`,
  },
  neighborhood: {
    title: 'an entity: neighborhood(depth: 2)',
    fixedTitle: '工信部: neighborhood(depth: 2)',
    fixed: { id: CENTRE, type: 'Agency' },
    newsgraph: `query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id key type name } edges { id source target type weight label } } }`,
    peer: (
      p,
    ) => `query($id: ID!) { ${GQL_ROOT(p)}(where: { id: { eq: $id } }) { id name relations { id name type weight }
      coMentioned(limit: 40) { id name type weight } coMentioned2(limit: 40) { id name type weight }
      articles(limit: 10, sort: [{ publishedAt: DESC }]) { id title } } }`,
    floor: (p) => `/neighborhood?id=${encodeURIComponent(entity(p).id)}`,
  },
};

/** Lucene syntax the peer's full-text root fields would read as operators (newsgraph escapes it). */
const LUCENE_SYNTAX = /[+\-&|!(){}[\]^"~*?:\\/\s]/;

/**
 * The varied mix: per query, `n` parameters read from the graph, shuffled with a seed. Policies and
 * entities are the most-mentioned ones (what analysts ask about, and the heaviest); search terms are
 * entity names of every type.
 */
async function mixParams(db: Database, n: number, seed: number): Promise<Record<QueryName, Param[]>> {
  const rand = mulberry32(seed);
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  const rows = async (cypher: string) =>
    (await db.driver.executeQuery(cypher, { n: neo4j.int(n) })).records.map((r) => r.toObject());
  const policies = await rows(
    'MATCH (p:Policy) RETURN p.name AS text ORDER BY COUNT { (p)<-[:MENTIONS]-() } DESC, p.id LIMIT $n',
  );
  const entities = await rows(
    'MATCH (e:Entity) RETURN e.id AS id, e.type AS type ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC, e.id LIMIT $n',
  );
  const names = await rows(
    'MATCH (e:Entity) WITH DISTINCT e.name AS q, COUNT { (e)<-[:MENTIONS]-() } AS m ORDER BY m DESC, q LIMIT $n * 2 RETURN q',
  );
  return {
    policy: shuffle(policies as Param[]),
    search: shuffle((names as { q: string }[]).filter((r) => !LUCENE_SYNTAX.test(r.q)).slice(0, n)),
    articles: shuffle(entities.map((e) => ({ id: e.id, type: e.type })) as Param[]),
    neighborhood: shuffle(entities.map((e) => ({ id: e.id, type: e.type })) as Param[]),
  };
}

interface Cell {
  system: System;
  query: QueryName;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROOT = process.cwd();
const articles = Number(values.articles);
const dataDir = values.data ?? defaultDataDir(articles);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = values.connections.split(',').map(Number);
const queries = values.queries.split(',') as QueryName[];
const systems = values.systems.split(',') as System[];
const logDir = join(ROOT, 'bench', 'out');
const mix = Number(values.mix);
const MIX_WHAT: Record<QueryName, string> = {
  policy: 'most-mentioned policies (their names as `nameContains`)',
  search: 'entity names as search terms',
  articles: 'most-mentioned entities of every type',
  neighborhood: 'most-mentioned entities (the same list)',
};
mkdirSync(logDir, { recursive: true });

/** The load average gate: numbers taken on a busy shared machine are unreliable. */
async function waitForQuiet(): Promise<number> {
  const max = Number(values['max-load']);
  const deadline = Date.now() + Number(values['load-wait']) * 1000;
  while (loadavg()[0] > max && Date.now() < deadline) {
    log(`load ${loadavg()[0].toFixed(2)} > ${max}: waiting...`);
    await sleep(15_000);
  }
  return loadavg()[0];
}

interface Server {
  system: System;
  /** http://127.0.0.1:port (requests add their path) */
  base: string;
  child: ChildProcess;
}

async function startServer(system: System, neo4jUri: string): Promise<Server> {
  const port = await freePort();
  const env = {
    ...process.env,
    NEO4J_URI: neo4jUri,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    ...(system === 'newsgraph-nocache' ? { NEWSGRAPH_RESPONSE_CACHE_MB: '0' } : {}),
  };
  const errLog = openSync(join(logDir, `query-${system}.log`), 'w');
  const args = isNewsgraph(system)
    ? ['bin/newsgraph.js', 'serve']
    : ['--import', 'tsx', join('bench', 'query', `${system}.ts`)];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', errLog] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${system} server exited (${child.exitCode}); see bench/out/query-${system}.log`);
    try {
      const res = await fetch(
        isNewsgraph(system)
          ? `${base}/health`
          : system === 'peer'
            ? `${base}/graphql?query=%7B__typename%7D`
            : `${base}/nothing`,
      );
      if (res.status < 500) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${system} server did not start`);
    await sleep(250);
  }
  return { system, base, child };
}

interface HttpRequest {
  path: string;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

function request(server: Server, query: QueryName, p: Param): HttpRequest {
  const q = QUERIES[query];
  if (server.system === 'floor') return { path: q.floor(p), method: 'GET' };
  const text = isNewsgraph(server.system) ? q.newsgraph : q.peer(p);
  const { type: _type, ...variables } = p as Param & { type?: string };
  return {
    path: '/graphql',
    method: 'POST',
    body: JSON.stringify({ query: text, variables }),
    headers: { 'content-type': 'application/json' },
  };
}

/** One request, checked: 200, no GraphQL errors, some data. Returns the response size. */
async function check(server: Server, query: QueryName, p: Param): Promise<number> {
  const r = request(server, query, p);
  const res = await fetch(server.base + r.path, { method: r.method, body: r.body, headers: r.headers });
  const text = await res.text();
  const json = JSON.parse(text) as { data?: unknown; errors?: unknown; error?: unknown };
  if (res.status !== 200 || json.errors || json.error || !json.data)
    throw new Error(`${server.system}/${query} ${JSON.stringify(p)}: ${res.status} ${text.slice(0, 500)}`);
  return text.length;
}

/** autocannon for `seconds`; each request takes the next parameters of the list, round robin. */
async function load(
  server: Server,
  query: QueryName,
  params: Param[],
  conns: number,
  seconds: number,
): Promise<autocannon.Result> {
  const requests = params.map((p) => request(server, query, p));
  let next = 0;
  return autocannon({
    url: server.base,
    connections: conns,
    duration: seconds,
    timeout: 60,
    requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % requests.length] }) }],
  });
}

function rssMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
}

function machine() {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'n/a';
    }
  };
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
        .version;
    } catch {
      return 'n/a';
    }
  };
  const neo4jJar = sh('sh', ['-c', 'ls neo4j-launcher/target/lib | grep -E "^neo4j-kernel-[0-9]" | head -1']);
  return {
    nproc: sh('nproc', []),
    free: sh('free', ['-h']),
    cpu,
    node: process.version,
    neo4j: /neo4j-kernel-(.+)\.jar/.exec(neo4jJar)?.[1] ?? neo4jJar,
    packages: ['neo4j-driver', 'graphql', 'graphql-yoga', '@pothos/core', '@neo4j/graphql', 'autocannon']
      .map((n) => `${n} ${pkg(n)}`)
      .join(', '),
  };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

function table(cells: Cell[]): string {
  const lines = [
    '| query | c | floor req/s | peer req/s | newsgraph req/s | cache off req/s | floor p50 / p99 ms | peer p50 / p99 ms | newsgraph p50 / p99 ms | cache off p50 / p99 ms | newsgraph/floor | newsgraph/peer | cache off/floor | cache off/peer |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of connections) {
    for (const q of queries) {
      const get = (s: System) => cells.find((x) => x.system === s && x.query === q && x.connections === c);
      const [f, p, n, o] = [get('floor'), get('peer'), get('newsgraph'), get('newsgraph-nocache')];
      const rps = (x?: Cell) => (x ? fmt(x.rps, x.rps < 10 ? 1 : 0) + (x.errors ? ` (${x.errors} err)` : '') : '–');
      const lat = (x?: Cell) => (x ? `${fmt(x.p50)} / ${fmt(x.p99)}` : '–');
      const ratio = (a?: Cell, b?: Cell) => (a && b && b.rps > 0 ? `${fmt(a.rps / b.rps, 2)}x` : '–');
      lines.push(
        `| ${mix > 0 ? QUERIES[q].title : QUERIES[q].fixedTitle} | ${c} | ${rps(f)} | ${rps(p)} | ${rps(n)} | ${rps(o)} | ${lat(f)} | ${lat(p)} | ${lat(n)} | ${lat(o)} | ${ratio(n, f)} | ${ratio(n, p)} | ${ratio(o, f)} | ${ratio(o, p)} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Replaces the section headed `heading` (or appends it). */
function writeSection(heading: string, markdown: string) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = existing.search(new RegExp(`^${heading}\\s*$`, 'm'));
  let next: string;
  if (start === -1) next = `${existing.trimEnd()}\n\n${markdown}\n`;
  else {
    const rest = existing.slice(start + 3);
    const end = rest.search(/^## /m);
    next = `${existing.slice(0, start) + markdown}\n${end === -1 ? '' : `\n${rest.slice(end)}`}`;
  }
  writeFileSync(file, next);
}

async function main() {
  log(`graph: ${dataDir}`);
  const { db, ingested, ingestSeconds } = await openBenchGraph({ dataDir, articles, seed: Number(values.seed), log });
  if (ingested) log(`ingested ${articles} articles in ${ingestSeconds!.toFixed(0)} s`);
  const servers: Server[] = [];
  try {
    const { records } = await db.driver.executeQuery(
      'MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels',
    );
    const graph = { nodes: records[0].get('nodes') as number, rels: records[0].get('rels') as number };
    for (const s of systems) servers.push(await startServer(s, db.uri));
    log(`servers: ${servers.map((s) => `${s.system} ${s.base} (pid ${s.child.pid})`).join(', ')}`);
    const params: Record<QueryName, Param[]> =
      mix > 0
        ? await mixParams(db, mix, Number(values['mix-seed']))
        : { policy: [], search: [], articles: [], neighborhood: [] };
    for (const q of queries) if (!params[q].length) params[q] = [QUERIES[q].fixed];
    if (mix > 0) log(`mix: ${queries.map((q) => `${params[q].length} ${q}`).join(', ')}`);
    // Every parameter answered by every system before the load; sizes are the mean response per query.
    const sizes: Record<string, number> = {};
    for (const q of queries)
      for (const s of servers) {
        let total = 0;
        for (const p of params[q]) total += await check(s, q, p);
        sizes[`${s.system}/${q}`] = Math.round(total / params[q].length);
      }
    log(`response sizes (bytes): ${JSON.stringify(sizes)}`);
    // Warm-up: JIT, page cache, connection pools; not measured.
    for (const q of queries) for (const s of servers) await load(s, q, params[q], 16, warmup);
    const loadBefore = await waitForQuiet();
    const started = Date.now();
    const cells: Cell[] = [];
    for (const c of connections) {
      for (const q of queries) {
        for (const s of servers) {
          // The neighbourhood takes hundreds of ms of Neo4j CPU per request: at c=16 a 10 s window
          // would end before most requests complete, so it gets three times the window.
          const r = await load(s, q, params[q], c, q === 'neighborhood' && c > 1 ? duration * 3 : duration);
          const cell: Cell = {
            system: s.system,
            query: q,
            connections: c,
            rps: r.requests.average,
            p50: r.latency.p50,
            p99: r.latency.p99,
            requests: r.requests.total,
            errors: r.errors + r.timeouts + r.non2xx,
          };
          cells.push(cell);
          log(
            `${q} c=${c} ${s.system}: ${fmt(cell.rps, 1)} req/s, p50 ${cell.p50} ms, p99 ${cell.p99} ms${cell.errors ? `, ${cell.errors} errors` : ''} (load ${loadavg()[0].toFixed(2)})`,
          );
        }
      }
    }
    const loadAfter = loadavg()[0];
    const memory = servers
      .filter((s) => isNewsgraph(s.system))
      .map((s) => ({ system: s.system, pid: s.child.pid!, ...rssMb(s.child.pid!) }));
    const m = machine();
    const tbl = table(cells);
    const command = `npm run bench:query -- ${process.argv.slice(2).join(' ')}`.trim();
    const heading = mix > 0 ? '## Query benchmark: varied parameters' : '## Query benchmark';
    const md = [
      heading,
      '',
      `Run ${new Date().toISOString()} with \`${command}\` (${Math.round((Date.now() - started) / 1000)} s of load).`,
      mix > 0
        ? `Each request takes the next parameters of a seeded shuffled list read from the graph (\`--mix-seed ${values['mix-seed']}\`): ${queries.map((q) => `${params[q].length} ${MIX_WHAT[q]}`).join(', ')}; the same sequence for every system.`
        : 'Each cell repeats one query (the parameters in the titles).',
      `Graph: ${articles} synthetic articles (bench/make-corpus.ts, seed ${values.seed}), ${graph.nodes} nodes, ${graph.rels} relationships, embedded Neo4j on loopback.`,
      `autocannon, ${duration} s per cell (neighborhood at c > 1: ${duration * 3} s) after a ${warmup} s warm-up per query and system; req/s is the mean per second, latencies in ms.`,
      `Load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after${loadBefore > Number(values['max-load']) ? ` — **above ${values['max-load']}: the machine was busy, treat the numbers as rough**` : ''}.`,
      '',
      tbl,
      '',
      memory
        .map(
          (m) =>
            `${m.system} server RSS after the load: **${m.rss} MB** (VmRSS of pid ${m.pid}; peak VmHWM ${m.hwm} MB).`,
        )
        .join('\n'),
      '',
      `Response sizes (bytes): ${Object.entries(sizes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      '',
      `Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpu}; node ${m.node}; Neo4j ${m.neo4j}; ${m.packages}.`,
      '',
      '```',
      m.free,
      '```',
    ].join('\n');
    console.log(md);
    if (!values['no-write']) {
      const notes =
        mix > 0
          ? 'What each system runs: see "What each system runs" under "Query benchmark" below.'
          : readFileSync(join(ROOT, 'bench', 'query', 'NOTES.md'), 'utf8').trim();
      writeSection(heading, `${md}\n\n${notes}`);
      log(`wrote the "${heading.slice(3)}" section of BENCHMARKS.md`);
    }
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(
      servers.map((s) => (s.child.exitCode === null ? new Promise((r) => s.child.once('exit', r)) : null)),
    );
    await db.close();
  }
}

await main();
