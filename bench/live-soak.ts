/**
 * The bounded soak of issue 14, on loopback: `newsgraph start --watch <dir>` as a child process on a
 * throw-away embedded Neo4j; a writer adds --rate new Markdown files per second to the watched
 * folder while --subscribers SSE subscribers (graphql-sse) listen and --concurrency workers send a
 * varied query mix. Checks, and exits 1 naming the bar missed:
 *   - every file stored exactly once (Neo4j: one Article per file, none missing or extra);
 *   - every articleIngested subscriber got every file's article exactly once (entityMentioned
 *     subscribers: every written article that mentions their entity, once); none was dropped;
 *   - file written → event received p99 < 2 s;
 *   - server RSS growth < 20 % (median of the 10 s after a 30 s warm-up → median of the last 10 s);
 *   - no query errors.
 *
 *   npx tsx bench/live-soak.ts [--minutes 5] [--rate 10] [--subscribers 50] [--concurrency 8] [--seed 42]
 *     [--per-folder N]  (a new subfolder every N files; default: all in the watched folder)
 *     [--load-warm-up 20]  (seconds of the whole load before the measured minutes; their latency is
 *                           printed on its own line, not mixed into the soak's)
 *
 * Prints a table, then one JSON line with every figure. The bench process (writer, subscribers,
 * query load) runs on the same machine as the server and Neo4j: on a small machine it competes
 * with them for CPU, so note the load average it reports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-sse';
import neo4j from 'neo4j-driver';
import { freePort, runningEmbedded } from '../src/neo4j/embedded.js';
import { mulberry32 as rng } from '../src/prng.js';
import { openBenchNeo4j } from './bench-neo4j.js';
import { defaultSource, loadPools, renderArticle } from './make-corpus.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    rate: { type: 'string', default: '10' },
    subscribers: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    seed: { type: 'string', default: '42' },
    /** files in the folder before the server starts (the graph is not empty, queries have something to find) */
    prime: { type: 'string', default: '100' },
    /** after the writer stops: wait for the last events while they keep coming (none for this many s: stop) */
    drain: { type: 'string', default: '30' },
    /** keep the server's log here (default: removed with the rest) */
    log: { type: 'string' },
    /** seconds of the whole load (writer and queries) before the measured soak starts; 0: none */
    'load-warm-up': { type: 'string', default: '20' },
    /** files per subfolder (a new subfolder after each N, as a feed writing dated folders); 0: all in one folder */
    'per-folder': { type: 'string', default: '0' },
    /** write the server's CPU profile (node --cpu-prof) into this directory */
    profile: { type: 'string' },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const SUBSCRIBERS = Number(values.subscribers);
const CONCURRENCY = Number(values.concurrency);
const SEED = Number(values.seed);
const PRIME = Number(values.prime);
const DRAIN_S = Number(values.drain);
const PER_FOLDER = Number(values['per-folder']);
const LOAD_WARM_UP_S = Number(values['load-warm-up']);
const WARM_UP_S = 30; // V8 sizes its heap to the load in the first half minute (docs/OPERATIONS.md, Load)
const P99_BAR_MS = 2_000;
const RSS_BAR = 0.2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

const work = mkdtempSync(join(tmpdir(), 'newsgraph-soak-'));
const watched = join(work, 'feed');
// Files are written here and renamed into the folder: the watcher sees a whole file at once.
// Same filesystem (both under `work`), so the rename is atomic.
const staging = join(work, 'staging');
mkdirSync(watched);
mkdirSync(staging);
const pools = loadPools(defaultSource());
const writerRand = rng(SEED);
const fileName = (n: number) => `soak-${String(n).padStart(6, '0')}.md`;
const idOf = (n: number) => `soak-${String(n).padStart(6, '0')}`;
for (let n = 1; n <= PRIME; n++) writeFileSync(join(watched, fileName(n)), renderArticle(pools, writerRand, n));

const log = (line: string) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
log(`work dir ${work}; starting Neo4j`);
const db = await openBenchNeo4j(join(work, 'neo4j'), () => {});
let server: ChildProcess | undefined;
let exitCode = 1;
try {
  // ---- the server, as users run it ----
  const port = await freePort();
  const serverLog = values.log ?? join(work, 'server.log');
  const logStream = createWriteStream(serverLog);
  let watchLines: string[] = [];
  server = spawn(
    process.execPath,
    [
      ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
      join(ROOT, 'bin', 'newsgraph.js'),
      'start',
      '--watch',
      watched,
      '--port',
      String(port),
    ],
    {
      env: {
        ...process.env,
        NEO4J_URI: db.uri, // the throw-away Neo4j, never the user's
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: '',
        NEWSGRAPH_DATA_DIR: join(work, 'unused-data'),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let partial = '';
  server.stderr!.on('data', (c: Buffer) => {
    logStream.write(c);
    const lines = (partial + c.toString('utf8')).split('\n');
    partial = lines.pop()!;
    for (const l of lines) if (l.startsWith('watch:')) watchLines.push(l);
  });
  const pid = server.pid!;
  const url = `http://127.0.0.1:${port}/graphql`;
  const exited = new Promise<never>((_, reject) =>
    server!.once('exit', (code, signal) => reject(new Error(`server exited (${signal ?? code}); log: ${serverLog}`))),
  );
  exited.catch(() => {});
  const started = now();
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (now() - started > 180_000) throw new Error(`server not healthy after 180 s; log: ${serverLog}`);
    await Promise.race([sleep(250), exited]);
  }
  log(`server pid ${pid} healthy at ${url} after ${((now() - started) / 1000).toFixed(1)} s (${PRIME} files primed)`);
  const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

  // ---- what the subscribers and the queries ask about: the most-mentioned entities and policies ----
  const top = async (cypher: string, n: number) =>
    (await db.driver.executeQuery(cypher, { n: neo4j.int(n) }, { database: db.database })).records.map(
      (r) => r.get('v') as string,
    );
  const topCompanies = await top(
    'MATCH (e:Company) RETURN e.id AS v ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC, e.id LIMIT $n',
    3,
  );
  const topEntities = await top(
    'MATCH (e:Entity) WHERE NOT e:Policy RETURN e.id AS v ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC, e.id LIMIT $n',
    100,
  );
  const topPolicies = await top(
    'MATCH (p:Policy) RETURN p.id AS v ORDER BY COUNT { (p)<-[:MENTIONS]-() } DESC, p.id LIMIT $n',
    50,
  );
  const policyNames = await top(
    'MATCH (p:Policy) RETURN p.name AS v ORDER BY COUNT { (p)<-[:MENTIONS]-() } DESC, p.id LIMIT $n',
    50,
  );
  const entityNames = await top(
    'MATCH (e:Entity) WHERE NOT e:Policy RETURN e.name AS v ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC, e.id LIMIT $n',
    50,
  );

  // ---- subscribers ----
  interface Sub {
    kind: 'articleIngested' | 'entityMentioned' | 'policyLinked';
    key?: string;
    /** article id → receipt times (ms, performance.now) */
    got: Map<string, number[]>;
    events: number;
    notCreated: number;
    error?: string;
    ended: boolean;
    dispose(): void;
  }
  const side = Math.floor(SUBSCRIBERS * 0.12); // a few on frequent entities and policies, for realism
  const subs: Sub[] = [];
  const SUB_QUERY = {
    articleIngested: 'subscription { articleIngested { articleId created title } }',
    entityMentioned: 'subscription($id: ID!) { entityMentioned(id: $id) { entityId articleId count evidence } }',
    policyLinked:
      'subscription($id: ID!) { policyLinked(policyId: $id) { policyId companyId scope evidence articleIds } }',
  } as const;
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const kind = i < SUBSCRIBERS - side ? 'articleIngested' : i % 2 ? 'entityMentioned' : 'policyLinked';
    const key =
      kind === 'entityMentioned'
        ? topCompanies[i % topCompanies.length]
        : kind === 'policyLinked'
          ? topPolicies[i % 3]
          : undefined;
    const client = createClient({ url, singleConnection: false, retryAttempts: 0 });
    const sub: Sub = { kind, key, got: new Map(), events: 0, notCreated: 0, ended: false, dispose: () => {} };
    const stop = client.subscribe(
      { query: SUB_QUERY[kind], variables: key ? { id: key } : {} },
      {
        next: (r: any) => {
          const at = now();
          sub.events++;
          if (r.errors) sub.error ??= JSON.stringify(r.errors).slice(0, 300);
          const d = r.data?.[kind];
          if (!d) return;
          if (kind === 'articleIngested' && d.created === false) sub.notCreated++;
          for (const id of kind === 'policyLinked' ? d.articleIds : [d.articleId]) {
            const times = sub.got.get(id);
            if (times) times.push(at);
            else sub.got.set(id, [at]);
          }
        },
        error: (e: unknown) => {
          sub.error ??= String((e as Error)?.message ?? e);
          sub.ended = true;
        },
        complete: () => {
          sub.ended = true;
        },
      },
    );
    sub.dispose = () => {
      stop();
      client.dispose();
    };
    subs.push(sub);
  }
  const metric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  };
  for (const deadline = now() + 60_000; (await metric('newsgraph_subscriptions')) !== SUBSCRIBERS; await sleep(100))
    if (now() > deadline) throw new Error(`the server never counted ${SUBSCRIBERS} open subscriptions`);
  log(`${SUBSCRIBERS} subscriptions open (${SUBSCRIBERS - side} articleIngested, ${side} on entities and policies)`);

  // ---- the writer ----
  const written = new Map<string, number>(); // article id → ms the file appeared in the folder
  let next = PRIME + 1;
  const writeOne = () => {
    const n = next++;
    const tmp = join(staging, fileName(n));
    writeFileSync(tmp, renderArticle(pools, writerRand, n));
    const folder = PER_FOLDER ? join(watched, `part-${Math.floor((n - PRIME - 1) / PER_FOLDER)}`) : watched;
    if (PER_FOLDER) mkdirSync(folder, { recursive: true });
    renameSync(tmp, join(folder, fileName(n)));
    written.set(idOf(n), now());
  };
  const ingestSubs = subs.filter((s) => s.kind === 'articleIngested');
  const allReceived = () => ingestSubs.every((s) => [...written.keys()].every((id) => s.got.has(id)));
  const untilAllReceived = async (what: string, ms: number) => {
    for (const deadline = now() + ms; !allReceived(); await sleep(100))
      if (now() > deadline) throw new Error(`the ${what} files never reached every subscriber`);
  };
  /** Writes --rate files a second for `ms` from now; returns how far the writer fell behind its schedule at most. */
  const writeAtRate = async (ms: number, each?: (k: number) => void) => {
    const start = now();
    let behind = 0;
    for (let k = 0; (k * 1000) / RATE < ms; k++) {
      const wait = start + (k * 1000) / RATE - now();
      if (wait > 0) await sleep(wait);
      else behind = Math.max(behind, -wait);
      writeOne();
      each?.(k);
    }
    return behind;
  };

  // Warm-up files through the watcher before the clock starts: the first batch also waits for the
  // extraction workers and for Neo4j to plan the write queries (docs/OPERATIONS.md, Watch mode).
  for (let i = 0; i < 5; i++) writeOne();
  await untilAllReceived('warm-up', 120_000);
  const warmUpIds = new Set(written.keys());
  log(
    `warm-up files reached every subscriber (slowest ${Math.max(...ingestSubs.flatMap((s) => [...warmUpIds].map((id) => s.got.get(id)![0] - written.get(id)!))).toFixed(0)} ms); soak starts`,
  );

  // ---- the query load: a seeded varied mix (bench/query-mix.ts's three, plus listing, search, one article) ----
  const queryRand = rng(SEED + 1);
  const pick = <T>(xs: T[]) => xs[Math.floor(queryRand() * xs.length)];
  const recentIds = () => {
    const ids = [...written.keys()];
    return ids.length ? ids.slice(-200) : [idOf(1)];
  };
  const MIX: { kind: string; make: () => { query: string; variables: Record<string, unknown> } }[] = [
    {
      kind: 'policy',
      make: () => ({
        query:
          'query($name: String!) { policy(name: $name) { name issuedBy { agency { name } } linkedCompanies(scope: PARAGRAPH) { company { name } score evidence } } }',
        variables: { name: pick(policyNames) },
      }),
    },
    {
      kind: 'comentions',
      make: () => ({
        query:
          'query($id: ID!) { entity(id: $id) { name coMentioned(first: 10) { entity { name } weight mentions } } }',
        variables: { id: pick(topEntities) },
      }),
    },
    {
      kind: 'neighborhood',
      make: () => ({
        query:
          'query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id type name } edges { source target type weight } } }',
        variables: { id: pick(topEntities) },
      }),
    },
    {
      kind: 'articles',
      make: () => ({
        query:
          'query($after: String) { articles(first: 10, after: $after) { edges { node { articleId title publishedAt } } pageInfo { hasNextPage endCursor } } }',
        variables: {},
      }),
    },
    {
      kind: 'search',
      make: () => ({
        query: 'query($q: String!) { search(query: $q, first: 10) { edges { node { __typename } } } }',
        variables: { q: pick([...policyNames.slice(0, 20), ...entityNames.slice(0, 20)]) },
      }),
    },
    {
      kind: 'article',
      make: () => ({
        query: 'query($id: ID!) { article(id: $id) { title publishedAt paragraphs } }',
        variables: { id: pick(recentIds()) },
      }),
    },
  ];
  const queries = {
    count: 0,
    errors: 0,
    latencies: [] as number[],
    byKind: {} as Record<string, number>,
    firstErrors: [] as string[],
  };
  let loadRunning = true;
  const worker = async () => {
    while (loadRunning) {
      const q = pick(MIX);
      const t = now();
      let failure: string | undefined;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(q.make()),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as { errors?: unknown };
        if (res.status !== 200 || body.errors) failure = `${q.kind} ${res.status} ${JSON.stringify(body.errors)}`;
      } catch (err) {
        failure = `${q.kind} ${(err as Error).message}`;
      }
      queries.count++;
      queries.latencies.push(now() - t);
      queries.byKind[q.kind] = (queries.byKind[q.kind] ?? 0) + 1;
      if (failure) {
        queries.errors++;
        if (queries.firstErrors.length < 5) queries.firstErrors.push(failure.slice(0, 300));
      }
    }
  };

  // ---- CPU: who used the two cores (server, Neo4j, this process, everything else) ----
  const neo4jPid = runningEmbedded(join(work, 'neo4j'))?.pid;
  const cpuOf = (p: number | undefined) => {
    if (!p) return Number.NaN;
    const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 10 ms
  };
  const machineCpu = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f.reduce((a, b) => a + b, 0) - f[3] - f[4]) / 100; // busy: all but idle and iowait
  };
  const cpu = () => ({ server: cpuOf(pid), neo4j: cpuOf(neo4jPid), bench: process.cpuUsage(), machine: machineCpu() });

  const workers = Array.from({ length: CONCURRENCY }, worker);
  // ---- warm-up under the whole load (--load-warm-up s): files at the rate while the queries run,
  // not measured. Neo4j plans and compiles the read queries and the response cache fills, as on a
  // server that has been in use; the first seconds of a cold start are reported by themselves. ----
  const warmUpLatencies: number[] = [];
  if (LOAD_WARM_UP_S > 0) {
    const before = new Set(written.keys());
    await writeAtRate(LOAD_WARM_UP_S * 1000);
    await untilAllReceived('load warm-up', 300_000);
    for (const id of written.keys())
      if (!before.has(id)) {
        warmUpIds.add(id);
        for (const s of ingestSubs) warmUpLatencies.push(s.got.get(id)![0] - written.get(id)!);
      }
    warmUpLatencies.sort((a, b) => a - b);
    Object.assign(queries, { count: 0, errors: 0, latencies: [], byKind: {}, firstErrors: [] });
    log(
      `load warm-up: ${LOAD_WARM_UP_S} s, ${written.size - before.size} files (file → event p50 ${warmUpLatencies[Math.floor(warmUpLatencies.length / 2)].toFixed(0)} / max ${warmUpLatencies.at(-1)!.toFixed(0)} ms); soak starts`,
    );
  }

  // ---- RSS and load average, every second ----
  const samples: { t: number; rss: number; load1: number }[] = [];
  const t0 = now();
  const sample = () => samples.push({ t: (now() - t0) / 1000, rss: rssMb(), load1: loadavg()[0] });
  sample();
  const sampler = setInterval(sample, 1_000);
  const loadAtStart = loadavg()[0];
  const cpuStart = cpu();

  watchLines = [];
  const behind = await writeAtRate(MINUTES * 60_000, (k) => {
    if (k % (RATE * 60) === 0 && k)
      log(`${k} files written; ${Math.min(...ingestSubs.map((s) => s.got.size))} events at the slowest subscriber`);
  });
  const writerEnd = now();
  const loadAtEnd = loadavg()[0];
  const cpuEnd = cpu();
  const rssEnd = samples.filter((s) => s.t >= (writerEnd - t0) / 1000 - 10);
  const rssWarm = samples.filter((s) => s.t >= WARM_UP_S && s.t < WARM_UP_S + 10);
  loadRunning = false;
  await Promise.all(workers);
  clearInterval(sampler);
  const queryS = (now() - t0) / 1000;
  log(`writer done (${written.size - warmUpIds.size} files); draining until no event came for ${DRAIN_S} s`);
  // A backlog is drained, however long it takes (the latency figures show it): only what never
  // arrives counts as missing.
  const received = () => ingestSubs.reduce((a, s) => a + s.got.size, 0);
  for (let seen = received(), lastProgress = now(); !allReceived() && now() - lastProgress < DRAIN_S * 1000; ) {
    await sleep(100);
    if (received() !== seen) [seen, lastProgress] = [received(), now()];
  }
  const drainS = (now() - writerEnd) / 1000;
  await sleep(2_000); // a late duplicate would show here

  // ---- the verdict ----
  const ids = [...written.keys()]; // every file written after the subscribers opened (warm-up and soak)
  const stored = (
    await db.driver.executeQuery(
      'MATCH (a:Article) WHERE a.id STARTS WITH $prefix RETURN a.id AS id',
      { prefix: 'soak-' },
      { database: db.database },
    )
  ).records.map((r) => r.get('id') as string);
  const storedCount = new Map<string, number>();
  for (const id of stored) storedCount.set(id, (storedCount.get(id) ?? 0) + 1);
  const expectedIds = new Set([...Array.from({ length: PRIME }, (_, i) => idOf(i + 1)), ...ids]);
  const neo4jMissing = [...expectedIds].filter((id) => !storedCount.has(id));
  const neo4jExtra = [...storedCount.keys()].filter((id) => !expectedIds.has(id));
  const neo4jDuplicated = [...storedCount].filter(([, n]) => n > 1).map(([id]) => id);

  const mentioning = new Map<string, Set<string>>();
  for (const s of subs.filter((x) => x.kind === 'entityMentioned' && !mentioning.has(x.key!)))
    mentioning.set(
      s.key!,
      new Set(
        (
          await db.driver.executeQuery(
            'MATCH (a:Article)-[:MENTIONS]->(:Entity {id: $id}) WHERE a.id IN $ids RETURN a.id AS id',
            { id: s.key!, ids },
            { database: db.database },
          )
        ).records.map((r) => r.get('id') as string),
      ),
    );
  const perSub = subs.map((s) => {
    const expected =
      s.kind === 'articleIngested' ? new Set(ids) : s.kind === 'entityMentioned' ? mentioning.get(s.key!)! : undefined;
    const relevant = [...s.got].filter(([id]) => written.has(id));
    return {
      kind: s.kind,
      key: s.key,
      events: s.events,
      expected: expected?.size,
      missing: expected ? [...expected].filter((id) => !s.got.has(id)).length : 0,
      duplicated: relevant.filter(([, t]) => t.length > 1 && s.kind !== 'policyLinked').length,
      notCreated: s.notCreated,
      ended: s.ended,
      error: s.error,
    };
  });
  const checked = perSub.filter((s) => s.expected !== undefined);

  const soakIds = ids.filter((id) => !warmUpIds.has(id));
  const latencyOf = (of: string[]) =>
    ingestSubs
      .flatMap((s) => of.flatMap((id) => (s.got.has(id) ? [s.got.get(id)![0] - written.get(id)!] : [])))
      .sort((a, b) => a - b);
  const lat = latencyOf(soakIds);
  const pct = (xs: number[], p: number) =>
    xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : Number.NaN;
  // p50 / p99 of the files written in each minute of the soak: a start-up effect or a drift shows
  const byMinute = Array.from({ length: Math.ceil(MINUTES) }, (_, m) => {
    const xs = latencyOf(soakIds.filter((id) => Math.floor((written.get(id)! - t0) / 60_000) === m));
    return [Math.round(pct(xs, 50)), Math.round(pct(xs, 99))];
  });
  const median = (xs: number[]) =>
    pct(
      [...xs].sort((a, b) => a - b),
      50,
    );
  queries.latencies.sort((a, b) => a - b);

  const batches = watchLines
    .map((l) => /watch: (\d+) ingested, (\d+) unchanged, (\d+) refused, (\d+) removed.*\((\d+) ms[:)]/.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ ingested: Number(m[1]), unchanged: Number(m[2]), refused: Number(m[3]), ms: Number(m[5]) }));
  const batchMs = batches.map((b) => b.ms).sort((a, b) => a - b);
  const rssWarmMb = median(rssWarm.map((s) => s.rss));
  const rssEndMb = median(rssEnd.map((s) => s.rss));
  const growth = (rssEndMb - rssWarmMb) / rssWarmMb;

  const result = {
    command: `npx tsx bench/live-soak.ts --minutes ${MINUTES} --rate ${RATE} --subscribers ${SUBSCRIBERS} --concurrency ${CONCURRENCY} --seed ${SEED}${PER_FOLDER ? ` --per-folder ${PER_FOLDER}` : ''}`,
    at: new Date().toISOString(),
    files: {
      primed: PRIME,
      warmUp: warmUpIds.size,
      soak: soakIds.length,
      writerBehindMaxMs: Math.round(behind),
    },
    neo4j: {
      articles: stored.length,
      expected: expectedIds.size,
      missing: neo4jMissing.length,
      extra: neo4jExtra.length,
      duplicated: neo4jDuplicated.length,
    },
    watcher: {
      batches: batches.length,
      ingested: batches.reduce((a, b) => a + b.ingested, 0),
      unchanged: batches.reduce((a, b) => a + b.unchanged, 0),
      refused: batches.reduce((a, b) => a + b.refused, 0),
      batchMsP50: pct(batchMs, 50),
      batchMsMax: batchMs.at(-1) ?? null,
      filesPerBatchMean: batches.length
        ? +(batches.reduce((a, b) => a + b.ingested, 0) / batches.length).toFixed(1)
        : null,
    },
    subscribers: {
      total: subs.length,
      checked: checked.length,
      articleIngested: ingestSubs.length,
      eventsPerArticleIngestedSubscriber: [
        Math.min(...ingestSubs.map((s) => s.events)),
        Math.max(...ingestSubs.map((s) => s.events)),
      ],
      missing: checked.reduce((a, s) => a + s.missing, 0),
      duplicated: perSub.reduce((a, s) => a + s.duplicated, 0),
      notCreated: perSub.reduce((a, s) => a + s.notCreated, 0),
      endedOrFailed: perSub.filter((s) => s.ended || s.error).length,
      side: perSub
        .filter((s) => s.kind !== 'articleIngested')
        .map((s) => ({ kind: s.kind, key: s.key, events: s.events, expected: s.expected, missing: s.missing })),
      drainS: +drainS.toFixed(1),
    },
    latencyMs: {
      samples: lat.length,
      p50: Math.round(pct(lat, 50)),
      p90: Math.round(pct(lat, 90)),
      p99: Math.round(pct(lat, 99)),
      max: Math.round(lat.at(-1) ?? Number.NaN),
      byMinute,
      loadWarmUp: {
        seconds: LOAD_WARM_UP_S,
        p50: Math.round(pct(warmUpLatencies, 50)),
        p99: Math.round(pct(warmUpLatencies, 99)),
        max: Math.round(warmUpLatencies.at(-1) ?? Number.NaN),
      },
    },
    queries: {
      requests: queries.count,
      perSecond: +(queries.count / queryS).toFixed(1),
      errors: queries.errors,
      p50Ms: Math.round(pct(queries.latencies, 50)),
      p99Ms: Math.round(pct(queries.latencies, 99)),
      byKind: queries.byKind,
      firstErrors: queries.firstErrors,
    },
    rssMb: {
      first: +samples[0].rss.toFixed(0),
      afterWarmUp: +rssWarmMb.toFixed(0),
      end: +rssEndMb.toFixed(0),
      peak: +Math.max(...samples.map((s) => s.rss)).toFixed(0),
      growthPct: +(growth * 100).toFixed(1),
    },
    cpuSeconds: (() => {
      const server = cpuEnd.server - cpuStart.server;
      const neo4jCpu = cpuEnd.neo4j - cpuStart.neo4j;
      const usage = process.cpuUsage(cpuStart.bench);
      const bench = (usage.user + usage.system) / 1e6;
      const machine = cpuEnd.machine - cpuStart.machine;
      const r = (x: number) => +x.toFixed(0);
      return {
        wallS: r((writerEnd - t0) / 1000),
        server: r(server),
        neo4j: r(neo4jCpu),
        bench: r(bench),
        others: r(machine - server - neo4jCpu - bench),
      };
    })(),
    load1: { start: loadAtStart, end: loadAtEnd, max: Math.max(...samples.map((s) => s.load1)) },
  };

  const missed: string[] = [];
  if (result.neo4j.missing || result.neo4j.extra || result.neo4j.duplicated)
    missed.push('every file stored exactly once');
  if (result.watcher.refused) missed.push('no file refused');
  if (result.subscribers.missing || result.subscribers.duplicated || result.subscribers.notCreated)
    missed.push('every event delivered exactly once');
  if (result.subscribers.endedOrFailed) missed.push('no subscription ended or failed');
  if (!(result.latencyMs.p99 < P99_BAR_MS)) missed.push(`file-to-event p99 < ${P99_BAR_MS} ms`);
  if (!(growth < RSS_BAR)) missed.push(`RSS growth < ${RSS_BAR * 100} %`);
  if (result.queries.errors) missed.push('no query errors');

  const row = (a: string, b: string | number) => console.log(`| ${a} | ${b} |`);
  console.log('| figure | value |\n|---|---|');
  row('files written (soak + warm-up; primed before start)', `${result.files.soak} + ${result.files.warmUp}; ${PRIME}`);
  row(
    'articles in Neo4j (missing / extra / duplicated)',
    `${result.neo4j.articles} of ${result.neo4j.expected} (${result.neo4j.missing} / ${result.neo4j.extra} / ${result.neo4j.duplicated})`,
  );
  row(
    'watch batches (files per batch, p50 / max ms)',
    `${result.watcher.batches} (${result.watcher.filesPerBatchMean}, ${result.watcher.batchMsP50} / ${result.watcher.batchMsMax})`,
  );
  row('subscribers (checked exactly-once)', `${result.subscribers.total} (${result.subscribers.checked})`);
  row('events per articleIngested subscriber', result.subscribers.eventsPerArticleIngestedSubscriber.join('–'));
  row('missing / duplicated events', `${result.subscribers.missing} / ${result.subscribers.duplicated}`);
  row(
    'file → event p50 / p90 / p99 / max ms',
    `${result.latencyMs.p50} / ${result.latencyMs.p90} / ${result.latencyMs.p99} / ${result.latencyMs.max}`,
  );
  row(
    'file → event p50 / p99 ms by minute of the soak',
    result.latencyMs.byMinute.map(([p50, p99]) => `${p50} / ${p99}`).join(', '),
  );
  row(
    `file → event p50 / p99 / max ms in the ${LOAD_WARM_UP_S} s load warm-up (not in the figures above)`,
    `${result.latencyMs.loadWarmUp.p50} / ${result.latencyMs.loadWarmUp.p99} / ${result.latencyMs.loadWarmUp.max}`,
  );
  row(
    'queries (req/s, errors, p50 / p99 ms)',
    `${result.queries.requests} (${result.queries.perSecond}, ${result.queries.errors}, ${result.queries.p50Ms} / ${result.queries.p99Ms})`,
  );
  row(
    'RSS after warm-up → end (growth, peak)',
    `${result.rssMb.afterWarmUp} → ${result.rssMb.end} MB (${result.rssMb.growthPct} %, ${result.rssMb.peak} MB)`,
  );
  const c = result.cpuSeconds;
  row(
    'CPU s in the soak (server / Neo4j / bench / other processes)',
    `${c.server} / ${c.neo4j} / ${c.bench} / ${c.others} of ${availableParallelism() * c.wallS} (${availableParallelism()} cores × ${c.wallS} s)`,
  );
  row(
    'load average 1 min start / end (max)',
    `${loadAtStart.toFixed(2)} / ${loadAtEnd.toFixed(2)} (${result.load1.max.toFixed(2)})`,
  );
  console.log(JSON.stringify({ ...result, missed }));
  if (missed.length) log(`bars missed: ${missed.join('; ')}`);
  else log('all bars met');
  exitCode = missed.length ? 1 : 0;
  for (const s of subs) s.dispose();
  logStream.end();
} finally {
  if (server && server.exitCode === null) {
    const gone = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    const force = setTimeout(() => server!.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(force);
  }
  await db.close();
  rmSync(work, { recursive: true, force: true }); // --log keeps the server log elsewhere
}
process.exit(exitCode);
