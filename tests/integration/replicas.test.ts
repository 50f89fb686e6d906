/**
 * Scale-out on one Neo4j (docs/DEPLOY.md): two `newsgraph serve` processes (replica A through a
 * routing `neo4j://` URI, replica B through `bolt://`, both with NEO4J_DATABASE) and a
 * `newsgraph ingest` process. A write through A is read through B at once with the bookmark A
 * answered; each replica's response cache serves the old answer before a write (by A, or by the
 * CLI) and a fresh one at the next request after it; a ~10 s load across both replicas, with
 * writes through either one read back through the other, has no errors.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { BOOKMARK_HEADER } from '../../src/server/bookmarks.js';
import { runLoad, type ServerProcess, startServerProcess, warmUp } from '../faults/server.js';
import { REPO_ROOT } from '../support/corpus.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph } from './helpers.js';

const KEY = 'test-key-replicas-0123456789';
const TITLES = '{ articles(first: 100) { edges { node { articleId } } } }';
const INGEST =
  'mutation($m: String!, $f: String!) { ingestArticle(markdown: $m, filename: $f) { created article { articleId } } }';
const ONE = 'query($id: ID!) { article(id: $id) { articleId title } }';
const SAMPLE = readFileSync(join(EXAMPLES_DIR, 'ng-01-digital-threshold.md'), 'utf8');
const withTitle = (title: string) => SAMPLE.replace(/^title: .*$/m, `title: '${title}'`);
const ids = (body: any): string[] => body.data.articles.edges.map((e: any) => e.node.articleId);
const LOAD_MS = 10_000;

async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, bookmark: res.headers.get(BOOKMARK_HEADER), body: (await res.json()) as any };
}

/** `newsgraph <args>` as a process against the test Neo4j; resolves to its exit code and output. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'newsgraph.js'), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('two replicas and a CLI ingest on one Neo4j', () => {
  const neo4j = inject('neo4j');
  // The embedded Neo4j advertises the address it listens on, so a routing driver finds it; a server
  // from NEO4J_URI or a container may advertise another, so those are used as given.
  const routed = neo4j.origin === 'embedded' ? neo4j.uri.replace(/^bolt:/, 'neo4j:') : neo4j.uri;
  const env = {
    NEO4J_USER: neo4j.user,
    NEO4J_PASSWORD: neo4j.password,
    NEO4J_DATABASE: 'neo4j',
    NEWSGRAPH_API_KEY: KEY,
  };
  let db: Database;
  let a: ServerProcess;
  let b: ServerProcess;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [EXAMPLES_DIR])).failed).toEqual([]);
    [a, b] = await Promise.all([startServerProcess(routed, env), startServerProcess(neo4j.uri, env)]);
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-replicas-'));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves repeated queries from each replica’s own cache', async () => {
    for (const r of [a, b]) {
      const first = await gql(r.url, TITLES);
      expect(first.body.errors).toBeUndefined();
      expect(ids(first.body)).toHaveLength(8);
      const again = await gql(r.url, TITLES);
      expect(again.body.extensions.responseCache).toEqual({ hit: true });
    }
  });

  it('a write through A is read through B at once with A’s bookmark; B’s cache had the old answer and now has the new', async () => {
    const old = await gql(b.url, TITLES);
    expect(old.body.extensions.responseCache.hit).toBe(true);
    expect(ids(old.body)).not.toContain('via-a');

    const write = await gql(a.url, INGEST, { m: withTitle('经由副本甲写入'), f: 'via-a.md' }, { 'x-api-key': KEY });
    expect(write.body.errors).toBeUndefined();
    expect(write.body.data.ingestArticle).toEqual({ created: true, article: { articleId: 'via-a' } });
    expect(write.bookmark).toMatch(/^FB:/);

    const one = await gql(b.url, ONE, { id: 'via-a' }, { [BOOKMARK_HEADER]: write.bookmark! });
    expect(one.body.data.article).toEqual({ articleId: 'via-a', title: '经由副本甲写入' });
    const fresh = await gql(b.url, TITLES, {}, { [BOOKMARK_HEADER]: write.bookmark! });
    expect(fresh.body.extensions.responseCache.hit).toBe(false);
    expect(ids(fresh.body)).toContain('via-a');
    // without the header too: on one Neo4j every request reads the latest version (DEPLOY.md: the window in a cluster)
    for (const r of [a, b]) expect(ids((await gql(r.url, TITLES)).body)).toContain('via-a');
    // the new answer is cached again
    expect((await gql(b.url, TITLES)).body.extensions.responseCache.hit).toBe(true);
  });

  it('a CLI ingest (another process) makes both replicas’ next answers fresh', async () => {
    const cached = await Promise.all([a, b].map((r) => gql(r.url, TITLES)));
    for (const c of cached) expect(c.body.extensions.responseCache.hit).toBe(true);
    writeFileSync(join(dir, 'via-cli.md'), withTitle('命令行写入'));
    const run = await cli(['ingest', dir, '--json'], { ...env, NEO4J_URI: routed });
    expect(run.stderr).not.toMatch(/failed:/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ new: 1, failed: [] });
    expect(summary.bookmark).toMatch(/^FB:/); // what a script sends to read these writes through the balancer
    for (const r of [a, b]) {
      const after = await gql(r.url, TITLES);
      expect(after.body.extensions.responseCache.hit).toBe(false);
      expect(ids(after.body)).toContain('via-cli');
      const withBookmark = await gql(r.url, ONE, { id: 'via-cli' }, { [BOOKMARK_HEADER]: summary.bookmark });
      expect(withBookmark.body.data.article.articleId).toBe('via-cli');
    }
  });

  it(`${LOAD_MS / 1000} s of mixed queries across both replicas, with writes through each read back through the other: no errors`, async () => {
    await Promise.all([warmUp(a.url), warmUp(b.url)]);
    const loads = [runLoad(a.url, 4), runLoad(b.url, 4)];
    const checks: string[] = [];
    let writes = 0;
    const deadline = performance.now() + LOAD_MS;
    // at least one write each way, however slow the machine is
    while (performance.now() < deadline || writes < 2) {
      const [via, other] = writes % 2 ? [b, a] : [a, b];
      const id = `load-${writes}`;
      const w = await gql(via.url, INGEST, { m: withTitle(`负载写入 ${writes}`), f: `${id}.md` }, { 'x-api-key': KEY });
      if (w.body.errors || !w.bookmark) checks.push(`${id}: write failed ${JSON.stringify(w.body.errors)}`);
      const r = await gql(other.url, TITLES, {}, { [BOOKMARK_HEADER]: w.bookmark ?? '' });
      if (r.body.errors || !ids(r.body).includes(id)) checks.push(`${id}: not read back through the other replica`);
      writes++;
    }
    await Promise.all(loads.map((l) => l.stop()));
    const seconds = (performance.now() - loads[0].started) / 1000;
    const samples = loads.flatMap((l) => l.samples);
    const bad = samples.filter((s) => s.status !== 200 || s.code);
    const ms = samples.map((s) => s.ms).sort((x, y) => x - y);
    const hits = samples.length;
    console.log(
      `[figures] replicas load: ${hits} queries in ${seconds.toFixed(1)} s across 2 replicas (${Math.round(hits / seconds)}/s), ` +
        `p50 ${Math.round(ms[Math.floor(ms.length / 2)])} ms, p99 ${Math.round(ms[Math.floor(ms.length * 0.99)])} ms; ` +
        `${writes} writes read back through the other replica; ${bad.length} errors`,
    );
    expect(checks).toEqual([]);
    expect(bad).toEqual([]);
    expect(samples.length).toBeGreaterThan(50);
    for (const r of [a, b]) expect(r.child.exitCode).toBeNull();
  }, 120_000);

  it('a NEO4J_DATABASE that does not exist stops `serve` at start with its name', async () => {
    const run = await cli(['serve', '--port', '0'], { ...env, NEO4J_URI: routed, NEO4J_DATABASE: 'no-such-db' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no-such-db/);
  });
});
