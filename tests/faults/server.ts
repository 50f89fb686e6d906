/** `newsgraph serve` as a child process (as users run it), and a bounded query load against it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/neo4j/embedded.js';
import { REPO_ROOT } from '../support/corpus.js';

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** resident set size of the server process, MiB */
  rssMb(): number;
  /** stderr so far (the server logs JSON lines there) */
  stderr(): string;
  /** ms since the process started (the clock of `fullGcs`) */
  uptimeMs(): number;
  /** with `traceGc`: each full (mark-compact) collection, when it ran and the heap it left */
  fullGcs: FullGc[];
  stop(): Promise<void>;
}

export interface FullGc {
  /** V8 isolate: the main thread's, or a worker's (the module loader runs in one) */
  isolate: string;
  /** ms since the server process started */
  atMs: number;
  /** V8 heap in use after the collection, MB: what the process really holds on to */
  liveMb: number;
  /** heap V8 keeps reserved after it, MB (grows while V8 sizes the heap to the load) */
  committedMb: number;
}

/** The full collections of the main thread: the isolate with the most of them (workers collect rarely). */
export function mainThreadGcs(gcs: FullGc[]): FullGc[] {
  const counts = new Map<string, number>();
  for (const g of gcs) counts.set(g.isolate, (counts.get(g.isolate) ?? 0) + 1);
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return gcs.filter((g) => g.isolate === main);
}

export async function startServerProcess(
  neo4jUri: string,
  env: NodeJS.ProcessEnv = {},
  opts: { traceGc?: boolean } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = opts.traceGc ? ['--trace-gc'] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(REPO_ROOT, 'bin', 'newsgraph.js'), 'serve', '--port', String(port)],
    {
      env: {
        ...process.env,
        NEO4J_URI: neo4jUri,
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: '',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', opts.traceGc ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  const spawnedAt = performance.now();
  const fullGcs: FullGc[] = [];
  if (opts.traceGc) {
    // `[pid:isolate]  12345 ms: Mark-Compact 93.3 (120.1) -> 38.9 (104.6) MB, …` (the main isolate's lines)
    let partial = '';
    child.stdout!.on('data', (c: Buffer) => {
      const lines = (partial + c.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const m =
          /^\[\d+:(\w+)\]\s+(\d+) ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\)/.exec(
            line,
          );
        if (m) fullGcs.push({ isolate: m[1], atMs: Number(m[2]), liveMb: Number(m[3]), committedMb: Number(m[4]) });
      }
    });
  }
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    if (err.length > 2_000_000) err = err.slice(-1_000_000);
  });
  let url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 120_000);
    const onData = () => {
      const m = /serving GraphQL at (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolveUrl(m[1]);
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited during start (${signal ?? code}):\n${err}`));
    });
  });
  // The CLI prints localhost; the server listens on 127.0.0.1 only (HOST), so talk to that.
  url = url.replace('//localhost:', '//127.0.0.1:');
  return {
    url,
    pid: child.pid!,
    child,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    stderr: () => err,
    uptimeMs: () => performance.now() - spawnedAt,
    fullGcs,
    stop() {
      return new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
      });
    },
  };
}

/** Sends each of the mixed queries once (first-use costs: query planning, caches), and checks they succeed. */
export async function warmUp(url: string): Promise<void> {
  for (const q of MIXED_QUERIES) {
    const s = await once(url, q, performance.now(), 60_000);
    if (s.status !== 200 || s.code) throw new Error(`warm-up query failed (${s.status} ${s.code}): ${q.query}`);
  }
}

/** The mixed read load: listing, lookups by name, full-text search, graph traversal, stats. */
export const MIXED_QUERIES: { query: string; variables?: Record<string, unknown> }[] = [
  {
    query:
      '{ articles(first: 10) { edges { node { articleId title publishedAt } } pageInfo { hasNextPage endCursor } } }',
  },
  {
    query: 'query($n: String!) { agency(name: $n) { name aliases articleCount issued { policy { name } } } }',
    variables: { n: '工信部' },
  },
  {
    query: 'query($q: String!) { search(query: $q, first: 10) { edges { node { __typename } } } }',
    variables: { q: '数字化转型' },
  },
  { query: 'query($id: ID!) { article(id: $id) { title paragraphs } }', variables: { id: 'ng-01-digital-threshold' } },
  {
    query: 'query($q: String) { policies(first: 10, nameContains: $q) { edges { node { name } } } }',
    variables: { q: '数字' },
  },
  { query: '{ stats { __typename } }' },
  { query: '{ topEntities(first: 10) { __typename } }' },
  { query: 'query($n: String!) { company(name: $n) { name articleCount } }', variables: { n: '宁德时代' } },
];

export interface Sample {
  /** ms since the load started */
  at: number;
  ms: number;
  status: number;
  /** first error code, if the response had errors; 'NETWORK' when no HTTP response came */
  code?: string;
}

/**
 * Runs `concurrency` loops, each sending the mixed queries one after another, until `stop()`.
 * Every response is recorded. Requests carry a per-request timeout of `timeoutMs`.
 */
export function runLoad(url: string, concurrency: number, timeoutMs = 15_000) {
  const samples: Sample[] = [];
  const started = performance.now();
  let running = true;
  let i = 0;
  const loop = async () => {
    while (running) {
      const q = MIXED_QUERIES[i++ % MIXED_QUERIES.length];
      samples.push(await once(url, q, started, timeoutMs));
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    samples,
    started,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export async function once(
  url: string,
  q: { query: string; variables?: Record<string, unknown> },
  started: number,
  timeoutMs = 15_000,
): Promise<Sample> {
  const t = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(q),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let code: string | undefined;
    try {
      const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
      if (body.errors?.length) code = body.errors[0].extensions?.code ?? 'NO_CODE';
    } catch {
      code = 'NOT_JSON';
    }
    return { at: t - started, ms: performance.now() - t, status: res.status, code };
  } catch (err) {
    return {
      at: t - started,
      ms: performance.now() - t,
      status: 0,
      code: (err as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'NETWORK',
    };
  }
}

/** Local addresses of the sockets listening on this TCP port (from /proc/net/tcp and tcp6). */
export function listeners(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue; // 0A = LISTEN
      const [hex, portHex] = cols[1].split(':');
      if (parseInt(portHex, 16) !== port) continue;
      out.push(hex.length === 8 ? ipv4(hex) : ipv6(hex));
    }
  }
  return out;
}

const ipv4 = (hex: string) =>
  hex
    .match(/../g)!
    .reverse()
    .map((b) => parseInt(b, 16))
    .join('.');

function ipv6(hex: string): string {
  if (hex === '00000000000000000000000001000000') return '::1';
  if (/^0+$/.test(hex)) return '::';
  if (hex.startsWith('0000000000000000FFFF0000')) return ipv4(hex.slice(24));
  return hex;
}
