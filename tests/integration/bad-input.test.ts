/**
 * Issue 6, part 1: a corpus of bad inputs (generated here, see tests/support/corpus.ts)
 * ingested together with the good sample articles. Every good article lands, every bad
 * one is reported with its path and reason, nothing crashes, memory stays bounded, and
 * no article is ever stored in part.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { identify, prepare } from '../../src/ingest/article.js';
import { type IngestSummary, ingestPaths } from '../../src/ingest/pipeline.js';
import { extractionThreads, prepareOffThread } from '../../src/ingest/pool.js';
import type { Database } from '../../src/neo4j/driver.js';
import { type BadKind, REPO_ROOT, writeBadCorpus, writeGeneratedCorpus } from '../support/corpus.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph } from './helpers.js';

const exampleFiles = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.md') && f !== 'README.md');
const exampleIds = exampleFiles.map((f) => f.replace(/\.md$/, ''));
const INVISIBLE_OR_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u2060\uFEFF]/;

describe('bad input: ingested together with good articles', () => {
  let db: Database;
  let workDir: string;
  let kinds: BadKind[];
  let summary: IngestSummary;
  let peakRssGrowthMb = 0;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    workDir = mkdtempSync(join(tmpdir(), 'newsgraph-bad-input-'));
    const corpus = writeBadCorpus(join(workDir, 'bad'));
    kinds = corpus.kinds;

    // The extraction workers' fixed cost (each loads the tagger model and jieba's dictionary, ~170 MB a
    // thread) is paid before the baseline: the bound is on what the bad inputs make memory grow by.
    const warm = identify(readFileSync(join(EXAMPLES_DIR, exampleFiles[0])), exampleFiles[0]);
    await Promise.all(Array.from({ length: 2 * extractionThreads() }, () => prepareOffThread(warm)));
    const baseline = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRssGrowthMb = Math.max(peakRssGrowthMb, (process.memoryUsage().rss - baseline) / 1048576);
    }, 20);
    let walked = false;
    try {
      summary = await ingestPaths(db, [EXAMPLES_DIR, join(workDir, 'bad')], {
        // The first progress report comes after the walk and before any file is read:
        // the file vanishes between being listed and being read.
        onProgress: () => {
          if (!walked) unlinkSync(corpus.vanishing);
          walked = true;
        },
      });
    } finally {
      clearInterval(sampler);
    }
  }, 180_000);

  afterAll(async () => {
    await db?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('covers at least 15 kinds of bad input', () => {
    expect(new Set(kinds.map((k) => k.kind)).size).toBeGreaterThanOrEqual(15);
  });

  it('stores every good sample article', async () => {
    const { records } = await db.driver.executeQuery('MATCH (a:Article) WHERE a.id IN $ids RETURN count(a) AS n', {
      ids: exampleIds,
    });
    expect(records[0].get('n')).toBe(exampleIds.length);
  });

  it('accepts exactly the kinds a user expects to become articles, cleaned', async () => {
    const accepted = kinds.filter((k) => k.expect.accepted);
    const { records } = await db.driver.executeQuery(
      'MATCH (a:Article) WHERE NOT a.id IN $examples RETURN a.id AS id, a.title AS title, a.paragraphs AS ps, a.sourcePath AS path ORDER BY id',
      { examples: exampleIds },
    );
    const stored = new Map(
      records.map((r) => [
        r.get('id') as string,
        { title: r.get('title') as string, ps: r.get('ps') as string[], path: r.get('path') as string },
      ]),
    );
    expect([...stored.keys()].sort()).toEqual(accepted.map((k) => (k.expect as { id: string }).id).sort());
    for (const k of accepted) {
      const e = k.expect as { id: string; title: string };
      const a = stored.get(e.id)!;
      expect(a.title, k.kind).toBe(e.title);
      expect(a.path, k.kind).toBe(k.path);
      for (const p of [a.title, ...a.ps]) {
        expect(p, k.kind).not.toMatch(INVISIBLE_OR_CONTROL);
        expect(p, k.kind).not.toMatch(/\r|<\/?(script|style|p|div)\b|tracker|color:#fff/);
      }
    }
    // Zero-width and control characters are dropped from text, not turned into spaces.
    expect(stored.get('invisible-chars')!.ps).toEqual(['工信部表示，将推动中小企业数字化转型。']);
    // The script-heavy page keeps exactly its two real paragraphs.
    expect(stored.get('script-heavy')!.ps).toHaveLength(2);
    // A feed error in the date costs the date, not the article.
    const { records: undated } = await db.driver.executeQuery(
      "MATCH (a:Article) WHERE a.id IN ['bad-date', 'invalid-date', 'number-date', 'far-date'] RETURN collect(a.publishedAt) AS dates, count(a) AS n",
    );
    expect(undated[0].toObject()).toEqual({ dates: [], n: 4 });
    // The same article under two names is two articles (the id is the file name), with the same content hash.
    const { records: twins } = await db.driver.executeQuery(
      "MATCH (a:Article) WHERE a.id IN ['twin-a', 'twin-b'] RETURN collect(DISTINCT a.contentHash) AS h",
    );
    expect(twins[0].get('h')).toHaveLength(1);
  });

  it('reports every rejected kind with its path and reason, and nothing else', () => {
    const rejected = kinds.filter((k) => !k.expect.accepted);
    expect(summary.failed.map((f) => f.path).sort()).toEqual(rejected.map((k) => k.path).sort());
    for (const k of rejected) {
      const f = summary.failed.find((x) => x.path === k.path)!;
      expect(f.reason, k.kind).toMatch((k.expect as { reason: RegExp }).reason);
    }
    expect(summary.new).toBe(exampleIds.length + kinds.filter((k) => k.expect.accepted).length);
    // the self-link, the pipe and the link to /dev/zero are walk problems, not files
    expect(summary.files).toBe(summary.new + summary.failed.length - 3);
  });

  it('names every article stored without its date or its body as a warning, with its path and reason', () => {
    const dated = ['bad-date', 'invalid-date', 'number-date', 'far-date', 'no-paragraphs', 'script-only'].map(
      (id) => kinds.find((k) => k.expect.accepted && k.expect.id === id)!.path,
    );
    expect(summary.warnings.map((w) => w.path).sort()).toEqual(dated.sort());
    expect(summary.warnings.find((w) => w.path.endsWith('invalid-date.md'))!.reason).toBe(
      'unparseable date "Invalid Date"; stored without a publication date',
    );
    expect(summary.warnings.find((w) => w.path.endsWith('script-only.md'))!.reason).toBe(
      'body has no visible text; stored with its title only',
    );
    expect(summary.warnings.find((w) => w.path.endsWith('far-date.md'))!.reason).toMatch(
      /outside 1900 \.\. one year from now/,
    );
  });

  it('keeps memory bounded while ingesting the bad corpus', () => {
    // The largest accepted file is the ~3 MB script-heavy page; refused files are never read whole.
    console.log(
      `[figures] bad input: ${kinds.length} kinds, ${summary.failed.length} rejected, ${summary.new} stored, ${summary.ms} ms, peak RSS growth ${peakRssGrowthMb.toFixed(0)} MB`,
    );
    expect(peakRssGrowthMb).toBeLessThan(400);
  });

  it('stores no partial article: each stored article has every mention its file yields', async () => {
    const { records } = await db.driver.executeQuery(
      'MATCH (a:Article) RETURN a.sourcePath AS path, size(a.paragraphs) AS ps, a.contentHash AS hash, COUNT { (a)-[:MENTIONS]->() } AS mentions',
    );
    expect(records.length).toBe(summary.new);
    for (const r of records) {
      const { record: rec } = await prepare(r.get('path'));
      expect({ path: r.get('path'), ps: r.get('ps'), hash: r.get('hash'), mentions: r.get('mentions') }).toEqual({
        path: rec.sourcePath,
        ps: rec.paragraphs.length,
        hash: rec.contentHash,
        mentions: rec.entities.length,
      });
    }
  });

  it('is idempotent: a second run over the same tree changes nothing and reports the same failures', async () => {
    const before = await counts(db);
    const again = await ingestPaths(db, [EXAMPLES_DIR, join(workDir, 'bad')]);
    expect(again.new + again.updated).toBe(0);
    expect(again.unchanged).toBe(summary.new);
    // vanishing.md is gone for good now, so it is no longer listed
    expect(again.failed.map((f) => f.path).sort()).toEqual(
      summary.failed
        .map((f) => f.path)
        .filter((p) => !p.endsWith('vanishing.md'))
        .sort(),
    );
    expect(await counts(db)).toEqual(before);
  });

  it('writes an article in one transaction or not at all, even when the write fails half-way', async () => {
    const dir = join(workDir, 'atomic');
    const paths = writeGeneratedCorpus(dir, 6, 7);
    const poison = 'gen-0003';
    await db.driver.executeQuery('MATCH (a:Article) WHERE a.id STARTS WITH "gen-" DETACH DELETE a');
    const before = await counts(db);
    // Fails the transaction after the Article node and its first entities were written.
    const faulty = { ...db, driver: failingWhenWriting(db.driver, poison) };
    const res = await ingestPaths(faulty, paths, { batchSize: 6 });
    expect(res.failed).toEqual([
      { path: join(dir, `${poison}.md`), reason: expect.stringMatching(/^database write failed: injected fault/) },
    ]);
    expect(res.new).toBe(5);
    const { records } = await db.driver.executeQuery(
      'MATCH (a:Article) WHERE a.id STARTS WITH "gen-" RETURN a.id AS id ORDER BY id',
    );
    expect(records.map((r) => r.get('id'))).toEqual(['gen-0000', 'gen-0001', 'gen-0002', 'gen-0004', 'gen-0005']);
    // No trace of the failed article: no node, and no entity that only it mentioned.
    const { records: orphans } = await db.driver.executeQuery(
      'MATCH (e:Entity) WHERE NOT EXISTS { (e)<-[:MENTIONS]-(:Article) } AND NOT EXISTS { (e)-[:WROTE|EDITED]->(:Article) } RETURN count(e) AS n',
    );
    expect(orphans[0].get('n')).toBe(0);
    // Now without the fault: the failed article comes in whole.
    const retry = await ingestPaths(db, paths);
    expect(retry).toMatchObject({ new: 1, unchanged: 5, failed: [] });
    expect((await counts(db)).nodes).toBeGreaterThan(before.nodes);
  });

  it('the CLI reports every bad file and exits 1 without crashing', () => {
    const { uri, user, password } = inject('neo4j');
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'newsgraph.js'), 'ingest', join(workDir, 'bad')], {
      env: { ...process.env, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    const rejected = kinds.filter((k) => !k.expect.accepted && !k.path.endsWith('vanishing.md'));
    const reported = run.stderr.split('\n').filter((l) => l.startsWith('failed: '));
    expect(reported.map((l) => l.slice('failed: '.length, l.indexOf(': ', 'failed: '.length))).sort()).toEqual(
      rejected.map((k) => k.path).sort(),
    );
    for (const k of rejected) {
      const line = reported.find((l) => l.startsWith(`failed: ${k.path}: `))!;
      expect(line.slice(`failed: ${k.path}: `.length), k.kind).toMatch((k.expect as { reason: RegExp }).reason);
    }
    expect(run.stderr).toMatch(
      new RegExp(
        `ingested \\d+ file\\(s\\) in [\\d.]+s: 0 new, \\d+ updated, \\d+ unchanged, ${rejected.length} failed`,
      ),
    );
  }, 150_000);

  it('the CLI prints a warning line for an article stored undated, counts it, and exits 0', async () => {
    const { uri, user, password } = inject('neo4j');
    const dir = join(workDir, 'warn');
    const file = join(dir, 'cli-invalid-date.md');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      file,
      "---\ntitle: '导出器的占位日期'\ndate: Invalid Date\n---\n<p>　　工信部表示，将推动中小企业数字化转型。</p>\n",
    );
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'newsgraph.js'), 'ingest', '--workers', '1', dir], {
      env: { ...process.env, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.signal).toBeNull();
    expect(run.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toEqual([
      `warning: ${file}: unparseable date "Invalid Date"; stored without a publication date`,
    ]);
    expect(run.stderr).toMatch(
      /ingested 1 file\(s\) in [\d.]+s: 1 new, 0 updated, 0 unchanged, 0 failed, 1 warning\(s\)/,
    );
    expect(run.status).toBe(0);
    const { records } = await db.driver.executeQuery('MATCH (a:Article {id: $id}) RETURN a.publishedAt AS date', {
      id: 'cli-invalid-date',
    });
    expect(records.map((r) => r.get('date'))).toEqual([null]);
  }, 150_000);
});

async function counts(db: Database) {
  const { records } = await db.driver.executeQuery(
    'MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels',
  );
  return { nodes: records[0].get('nodes') as number, rels: records[0].get('rels') as number };
}

/**
 * A driver whose write transactions that carry `articleId` fail after their third statement ran
 * (the article's node and its entities are already written in that transaction).
 */
function failingWhenWriting(driver: Driver, articleId: string): Driver {
  return new Proxy(driver, {
    get(target, prop) {
      if (prop !== 'session') return bound(target, prop);
      return (...args: Parameters<Driver['session']>) => {
        const session = target.session(...args);
        return new Proxy(session, {
          get(s, p) {
            if (p !== 'executeWrite') return bound(s, p);
            return (work: (tx: ManagedTransaction) => Promise<unknown>, config?: unknown) =>
              s.executeWrite((tx) => {
                let statements = 0;
                let poisoned = false;
                return work(
                  new Proxy(tx, {
                    get(t, q) {
                      if (q !== 'run') return bound(t, q);
                      return async (query: string, params?: Record<string, unknown>) => {
                        statements++;
                        poisoned ||= JSON.stringify(params ?? {}).includes(`"${articleId}"`);
                        // Statement 1 detaches, 2 writes the Article nodes, 3 the entities: fail after it ran.
                        if (poisoned && statements === 3) {
                          await t.run(query, params);
                          throw new Error('injected fault');
                        }
                        return t.run(query, params);
                      };
                    },
                  }),
                );
              }, config as never);
          },
        });
      };
    },
  });
}

function bound(target: object, prop: string | symbol): unknown {
  const v = Reflect.get(target, prop);
  return typeof v === 'function' ? v.bind(target) : v;
}
