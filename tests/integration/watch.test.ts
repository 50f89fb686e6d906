/**
 * Issue 14, part 1: watch mode. Real files in a temp directory, the real watcher (@parcel/watcher), the real
 * Neo4j: new, changed, renamed, moved, deleted, half-written, bad and ignored files; folders moved in and
 * out whole; the catch-up at
 * start; and `newsgraph ingest --watch` as a process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ArticleWatcher, type WatchBatch, watchArticles } from '../../src/ingest/watch.js';
import type { Database } from '../../src/neo4j/driver.js';
import { REPO_ROOT } from '../support/corpus.js';
import { openTestDatabase, resetGraph } from './helpers.js';

const article = (title: string, ...paragraphs: string[]) =>
  `---\ntitle: '${title}'\ndate: 2022-03-18T08:00:00+08:00\ncategories:\n - 金融\n---\n<div>\n${paragraphs
    .map((p) => `<p>　　${p}</p>\n`)
    .join('')}</div>\n`;
const P1 = '工信部表示，将推动中小企业数字化转型，降低数字化门槛。';
const P2 = '中国人民银行当日发布通知，京东工业品与联想参与试点。';

interface StoredArticle {
  id: string;
  title: string;
  sourcePath: string;
  paragraphs: string[];
  mentions: number;
}

async function stored(db: Database, id: string): Promise<StoredArticle | undefined> {
  const { records } = await db.driver.executeQuery(
    `MATCH (a:Article {id: $id})
     RETURN { id: a.id, title: a.title, sourcePath: a.sourcePath, paragraphs: a.paragraphs,
              mentions: COUNT { (a)-[:MENTIONS]->() } } AS row`,
    { id },
  );
  return records[0]?.get('row') as StoredArticle | undefined;
}

async function articlesTitled(db: Database, title: string): Promise<string[]> {
  const { records } = await db.driver.executeQuery('MATCH (a:Article {title: $title}) RETURN a.id AS id', { title });
  return records.map((r) => r.get('id') as string).sort();
}

async function waitFor<T>(what: string, probe: () => Promise<T> | T, ms = 30_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watch mode', () => {
  let db: Database;
  let dir: string;
  let watcher: ArticleWatcher;
  const lines: string[] = [];
  const batches: WatchBatch[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-watch-'));
    writeFileSync(join(dir, 'w-before.md'), article('启动前写入', P1));
    watcher = await watchArticles(db, dir, {
      log: (l) => lines.push(l),
      onBatch: (b) => batches.push(b),
    });
    await watcher.idle();
  });
  afterAll(async () => {
    if (process.env.WATCH_DEBUG) console.log(lines.join('\n'));
    await watcher?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up at start with what is already there', async () => {
    expect((await stored(db, 'w-before'))?.title).toBe('启动前写入');
    expect(batches[0]).toMatchObject({ catchUp: true, ingested: 1 });
    expect(
      lines.some((l) =>
        /^watch: catch-up of .*: 1 ingested, 0 unchanged, 0 refused, 0 removed \(\d+ ms(: look-up \d+, extraction \d+, writes \d+, search \d+)?\)$/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  // The promise is 2 s from write to stored. One sample on this shared 2-core machine can be one
  // slow Neo4j write (other test runs compete for the CPU), so the median of several is asserted.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it('stores a new file within 2 s of its being written, with its mentions', async () => {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      writeFileSync(join(dir, `w-new-${i}.md`), article(`新写入的文章${i}`, P1, P2));
      const found = await waitFor(`w-new-${i} stored`, () => stored(db, `w-new-${i}`));
      ms.push(performance.now() - t0);
      expect(found.title).toBe(`新写入的文章${i}`);
      expect(found.mentions).toBeGreaterThan(0);
      await watcher.idle();
      expect(lines.at(-1)).toMatch(
        /^watch: 1 ingested, 0 unchanged, 0 refused, 0 removed \(\d+ ms(: look-up \d+, extraction \d+, writes \d+, search \d+)?\)$/,
      );
    }
    console.log(`[figures] watch: file written -> article stored in ${ms.map((x) => x.toFixed(0)).join(', ')} ms`);
    expect(median(ms)).toBeLessThan(2_000);
  });

  it('updates a changed file', async () => {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      writeFileSync(join(dir, 'w-new-0.md'), article(`改过的文章${i}`, P1));
      await waitFor('w-new-0 updated', async () => (await stored(db, 'w-new-0'))?.title === `改过的文章${i}`);
      ms.push(performance.now() - t0);
      await watcher.idle();
    }
    console.log(`[figures] watch: file changed -> article updated in ${ms.map((x) => x.toFixed(0)).join(', ')} ms`);
    expect(median(ms)).toBeLessThan(2_000);
    expect((await stored(db, 'w-new-0'))?.paragraphs).toHaveLength(1);
  });

  it('a renamed file: the article follows it (new id, old id gone, one article)', async () => {
    writeFileSync(join(dir, 'w-old-name.md'), article('将被改名的文章', P1));
    await waitFor('w-old-name stored', () => stored(db, 'w-old-name'));
    renameSync(join(dir, 'w-old-name.md'), join(dir, 'w-new-name.md'));
    await waitFor('w-new-name stored', () => stored(db, 'w-new-name'));
    expect(await stored(db, 'w-old-name')).toBeUndefined(); // removed in the same write
    expect(await articlesTitled(db, '将被改名的文章')).toEqual(['w-new-name']);
    expect(lines).toContain('watch: renamed: article "w-old-name" is now "w-new-name"');
  });

  it('a file moved to another folder under the same name keeps its id, with its new path', async () => {
    mkdirSync(join(dir, 'sub'));
    const to = join(dir, 'sub', 'w-new-name.md');
    renameSync(join(dir, 'w-new-name.md'), to);
    await waitFor('sourcePath updated', async () => (await stored(db, 'w-new-name'))?.sourcePath === to);
    await watcher.idle();
    await sleep(1_500); // past the time a deletion is held for its rename to arrive
    await watcher.idle();
    expect(await articlesTitled(db, '将被改名的文章')).toEqual(['w-new-name']);
  });

  it('a file written in two parts, paused for less than the debounce, is not read half-written', async () => {
    const path = join(dir, 'w-two-parts.md');
    const full = article('分两次写入的文章', P1, P2);
    const cut = full.indexOf(P2);
    const file = await open(path, 'w');
    await file.write(full.slice(0, cut));
    await sleep(120); // the watcher waits for the size to hold still for 300 ms
    await file.write(full.slice(cut));
    await file.close();
    const found = await waitFor('w-two-parts stored', () => stored(db, 'w-two-parts'));
    await watcher.idle();
    expect(found.paragraphs).toHaveLength(2);
    // Stored once, whole: no batch saw the first half.
    expect(batches.filter((b) => b.articleIds.includes('w-two-parts'))).toHaveLength(1);
    expect(batches.flatMap((b) => b.refused).filter((f) => f.path === path)).toEqual([]);
  });

  it('a bad file is reported by name and the next good file still lands; other files are ignored', async () => {
    const bad = join(dir, 'w-bad.md');
    writeFileSync(bad, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]));
    await waitFor('the bad file reported', () => lines.some((l) => l.startsWith(`watch: warning: ${bad}: `)));
    expect(lines.find((l) => l.startsWith(`watch: warning: ${bad}: `))).toMatch(/binary file.*\(not stored\)$/);
    for (const name of ['.w-hidden.md', 'w-swap.md.swp', 'w-notes.txt', 'w-backup.md~', 'w-temp.tmp', '#w-lock.md#'])
      writeFileSync(join(dir, name), article('不应入库', P1));
    writeFileSync(join(dir, 'w-good.md'), article('坏文件之后的好文件', P1));
    await waitFor('w-good stored', () => stored(db, 'w-good'));
    await watcher.idle();
    expect(await articlesTitled(db, '不应入库')).toEqual([]);
  });

  it('a deleted file keeps its article without --sync-deletes, and says so', async () => {
    unlinkSync(join(dir, 'w-good.md'));
    await waitFor('the kept line', () => lines.some((l) => l.includes('w-good.md was deleted; article "w-good" kept')));
    expect(await stored(db, 'w-good')).toBeDefined();
  });

  it('with --sync-deletes a deleted file removes its article', async () => {
    const other = mkdtempSync(join(tmpdir(), 'newsgraph-watch-sync-'));
    const removedLines: string[] = [];
    const syncing = await watchArticles(db, other, { syncDeletes: true, log: (l) => removedLines.push(l) });
    try {
      writeFileSync(join(other, 'w-sync.md'), article('会被删除的文章', P1));
      await waitFor('w-sync stored', () => stored(db, 'w-sync'));
      unlinkSync(join(other, 'w-sync.md'));
      await waitFor('w-sync removed', async () => !(await stored(db, 'w-sync')));
      await syncing.idle();
      expect(removedLines.at(-1)).toMatch(
        /^watch: 0 ingested, 0 unchanged, 0 refused, 1 removed \(\d+ ms(: look-up \d+, extraction \d+, writes \d+, search \d+)?\)$/,
      );
    } finally {
      if (process.env.WATCH_DEBUG) console.log(removedLines.join('\n'));
      await syncing.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a folder moved in whole is ingested, and moved out whole (with --sync-deletes) removed', async () => {
    const other = mkdtempSync(join(tmpdir(), 'newsgraph-watch-dirs-'));
    const outside = mkdtempSync(join(tmpdir(), 'newsgraph-watch-outside-'));
    const syncing = await watchArticles(db, other, { syncDeletes: true });
    try {
      // Written outside, then moved in: the watcher sees one new folder, no event per file.
      mkdirSync(join(outside, '2026-11-29', 'am'), { recursive: true });
      writeFileSync(join(outside, '2026-11-29', 'w-dir-a.md'), article('整批移入甲', P1));
      writeFileSync(join(outside, '2026-11-29', 'am', 'w-dir-b.md'), article('整批移入乙', P2));
      renameSync(join(outside, '2026-11-29'), join(other, '2026-11-29'));
      await waitFor('both files of the moved folder', async () =>
        Boolean((await stored(db, 'w-dir-a')) && (await stored(db, 'w-dir-b'))),
      );
      expect((await stored(db, 'w-dir-b'))!.sourcePath).toBe(join(other, '2026-11-29', 'am', 'w-dir-b.md'));

      renameSync(join(other, '2026-11-29'), join(outside, 'gone'));
      await waitFor('both removed', async () => !(await stored(db, 'w-dir-a')) && !(await stored(db, 'w-dir-b')));
    } finally {
      await syncing.close();
      rmSync(other, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a rename while nobody watched is caught up at the next start', async () => {
    await watcher.close();
    renameSync(join(dir, 'w-before.md'), join(dir, 'w-before-renamed.md'));
    writeFileSync(join(dir, 'w-while-down.md'), article('停机时写入', P1));
    watcher = await watchArticles(db, dir, { log: (l) => lines.push(l), onBatch: (b) => batches.push(b) });
    await watcher.idle();
    expect(await stored(db, 'w-while-down')).toBeDefined();
    expect(await stored(db, 'w-before')).toBeUndefined();
    expect(await articlesTitled(db, '启动前写入')).toEqual(['w-before-renamed']);
  });
});

describe('newsgraph ingest --watch', () => {
  it('runs as a process, picks up a new file, and exits 0 on SIGTERM', async () => {
    const neo4j = inject('neo4j');
    const db = await openTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-watch-cli-'));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'newsgraph.js'), 'ingest', '--watch', dir], {
      env: {
        ...process.env,
        NEO4J_URI: neo4j.uri,
        NEO4J_USER: neo4j.user,
        NEO4J_PASSWORD: neo4j.password,
        NEWSGRAPH_EXTRACT_WORKERS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await waitFor('the watcher to start', () => stderr.includes('watch: watching'), 60_000);
      writeFileSync(join(dir, 'w-cli.md'), article('命令行监视', P1));
      await waitFor('w-cli stored', () => stored(db, 'w-cli'), 15_000);
      await waitFor('the batch line', () => /watch: 1 ingested/.test(stderr));
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      expect(stderr).toContain('watch: stopped');
    } finally {
      child.kill('SIGKILL');
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
