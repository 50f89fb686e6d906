/**
 * Watch mode: turns file events under one directory into batches, and hands each batch to the ingest
 * job (pipeline.ts) and the write service (store.ts), the same path as `newsgraph ingest`.
 *
 * - @parcel/watcher (inotify on Linux, from a native thread) reports create / update / delete with the
 *   file's path. A path is read only once no event has come for it for `settleMs` and its mtime is
 *   that old too, so a half-written file is not read. Events that arrive together make one batch.
 *   (chokidar, used before, answered each event by re-reading the whole directory: O(files in the
 *   folder) of main-thread work per change, which saturated the server on a growing feed folder.)
 * - A batch is decided from the disk and the graph, not from the events: a path that exists is
 *   ingested (unchanged content is skipped by hash), a path that is gone is a deletion or one half of
 *   a rename. So a path seen twice, or retried after an outage, is simply looked at again.
 * - Rename: a gone file whose stored content hash equals a new file's is a rename; the new id is
 *   stored and the old one deleted in one transaction. A file moved to another folder under the same
 *   name keeps its id and gets its new sourcePath. The add of a rename comes after its unlink
 *   (it waits for the write to settle), so a gone path is held a little before it counts as deleted.
 * - Deletion removes the article only with `syncDeletes`; otherwise it is logged and kept.
 * - Neo4j unavailable: the batch's paths go back to the pending set (a set: deduplicated) and are
 *   retried with backoff; the first batch is a catch-up of everything under the directory, so what
 *   changed while newsgraph was not running is ingested too.
 */
import { stat } from 'node:fs/promises';
import { extname, relative, resolve, sep } from 'node:path';
import { type AsyncSubscription, type Event as FileEvent, subscribe } from '@parcel/watcher';
import { writeActivity } from '../db/write.js';
import { type Database, isDatabaseUnavailable, lastCause } from '../neo4j/driver.js';
import { identify, readArticleFile } from './article.js';
import { ARTICLE_EXTENSIONS, collectArticleFiles, isSkippedEntry } from './files.js';
import { articleIdFromPath } from './parse.js';
import { type IngestFailure, type IngestSummary, ingestPaths } from './pipeline.js';
import { startExtractionPool } from './pool.js';
import { removeArticles, samePath, storedPathsUnder, storedVersions } from './store.js';

export interface WatchOptions {
  /** a deleted file removes its article (otherwise the article is kept, and that is logged) */
  syncDeletes?: boolean;
  /** ms a file must go without events (and without changing its mtime) before it is read */
  settleMs?: number;
  /** ms to wait after an event for others that arrive with it (one batch) */
  batchMs?: number;
  /** first and longest wait before retrying a batch while Neo4j is unavailable */
  retryMs?: { first: number; max: number };
  /** one line per batch, warnings, outage notices */
  log?: (line: string) => void;
  /** every finished batch (tests, metrics) */
  onBatch?: (report: WatchBatch) => void;
}

export interface WatchBatch {
  /** the first batch: everything under the directory */
  catchUp: boolean;
  /** stored, new or changed */
  ingested: number;
  unchanged: number;
  /** files not stored, with why */
  refused: IngestFailure[];
  /** stored with a problem that did not cost them (e.g. a bad date) */
  warnings: IngestFailure[];
  /** ids of articles deleted because their file was deleted (syncDeletes) */
  removed: string[];
  renamed: { from: string; to: string }[];
  /** paths of deleted files whose article was kept (no syncDeletes) */
  kept: string[];
  /** ids written or confirmed unchanged */
  articleIds: string[];
  ms: number;
  /** the ingest job's share of `ms` (pipeline.ts, IngestSummary.phases) */
  phases: IngestSummary['phases'];
}

export interface ArticleWatcher {
  /** the absolute directory watched */
  dir: string;
  /** resolves once nothing is pending or being written */
  idle(): Promise<void>;
  /** finishes the batch in flight, then stops watching (pending events are left to the next start's catch-up) */
  close(): Promise<void>;
}

/** Editor swap, backup and temp files (besides dotfiles): vim's 4913, `x.md~`, `x.md.tmp`, `#x.md#`, `~$x.md`. */
const TEMP_NAME = /(^~|^#|~$|#$|\.(tmp|temp|swp|swx|swo|part|crdownload)$|^4913$)/i;

export function isWatchedName(name: string): boolean {
  return !isSkippedEntry(name) && !TEMP_NAME.test(name);
}

/** Starts watching `dir` (the catch-up batch runs first); resolves once the watcher is ready. */
export async function watchArticles(db: Database, dir: string, options: WatchOptions = {}): Promise<ArticleWatcher> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`cannot watch ${root}: not a directory`);
  const w = new Watch(db, root, options);
  await w.start();
  return w;
}

interface Pending {
  /** time of the path's last event */
  at: number;
  /** not processed before this time */
  due: number;
}

class Watch implements ArticleWatcher {
  private readonly pending = new Map<string, Pending>();
  private subscription: AsyncSubscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private running: Promise<void> | undefined;
  private closed = false;
  private catchUpDue = true;
  /** the initial scan is done: the catch-up batch has every file */
  private ready = false;
  private retryDelay = 0;
  private retriesAtMax = 0;
  private idlers: (() => void)[] = [];
  private readonly settleMs: number;
  private readonly batchMs: number;
  private readonly holdMs: number;
  private readonly retryMs: { first: number; max: number };
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: Database,
    readonly dir: string,
    private readonly options: WatchOptions,
  ) {
    this.settleMs = options.settleMs ?? 300;
    this.batchMs = options.batchMs ?? 50;
    // A rename's add arrives once the new file has settled: wait that long (and some) before
    // taking an unlink for a deletion, so the two halves meet in one batch.
    this.holdMs = 2 * this.settleMs + 500;
    this.retryMs = options.retryMs ?? { first: 500, max: 5_000 };
    this.log = options.log ?? (() => {});
  }

  async start(): Promise<void> {
    startExtractionPool();
    // Subscribe first, then scan: a file changed or deleted after the scan read it also has an event.
    this.subscription = await subscribe(this.dir, (err, events) => this.onEvents(err, events), {
      ignore: ['**/.*', '**/node_modules'],
    });
    await this.scan(this.dir, Date.now());
    this.ready = true;
    this.kick();
  }

  /** Puts every article file under `dir` in the pending set (the catch-up, and a folder moved in whole). */
  private async scan(dir: string, due: number): Promise<void> {
    const { files } = await collectArticleFiles([dir]);
    const now = Date.now();
    for (const path of files) {
      if (!this.isWatchedPath(path)) continue;
      // A file still being written when we looked: due once it has settled.
      const mtime = await stat(path).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      this.note(path, now, mtime <= now ? Math.max(due, mtime + this.settleMs) : due);
    }
  }

  private onEvents(err: Error | null, events: FileEvent[]): void {
    if (this.closed) return;
    if (err) {
      // e.g. the kernel's event queue overflowed: events were lost, so look at everything again.
      this.log(`watch: watcher error: ${err.message}; looking at the whole folder again`);
      this.catchUpDue = true;
      this.kick();
      return;
    }
    const now = Date.now();
    for (const { path, type } of events) {
      if (!this.isWatchedPath(path, true)) continue;
      const article = ARTICLE_EXTENSIONS.has(extname(path).toLowerCase());
      // A deleted folder is noted too: its stored articles are looked up when the batch runs.
      if (type === 'delete') this.note(path, now, now + this.batchMs);
      else if (article) this.note(path, now, now + this.settleMs);
      // A folder moved in whole comes as one create: its files have no events of their own.
      else if (type === 'create')
        void stat(path).then(
          async (s) => {
            if (!s.isDirectory()) return;
            await this.scan(path, Date.now() + this.settleMs);
            this.kick();
          },
          () => undefined,
        );
    }
    this.kick();
  }

  /** Inside the folder, through no skipped directory, and not a temp or swap file (extension aside when `anyExt`). */
  private isWatchedPath(path: string, anyExt = false): boolean {
    const parts = relative(this.dir, path).split(sep);
    if (parts[0] === '..' || parts.slice(0, -1).some(isSkippedEntry)) return false;
    const name = parts.at(-1)!;
    return isWatchedName(name) && (anyExt || ARTICLE_EXTENSIONS.has(extname(name).toLowerCase()));
  }

  private note(path: string, at: number, due: number): void {
    const key = resolve(path);
    const before = this.pending.get(key);
    this.pending.set(key, { at, due: Math.max(due, before?.due ?? 0) });
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((done) => this.idlers.push(done));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.subscription?.unsubscribe();
    this.wakeIdlers();
  }

  private isIdle(): boolean {
    return this.closed || (!this.running && !this.catchUpDue && this.pending.size === 0);
  }

  private wakeIdlers(): void {
    if (!this.isIdle()) return;
    const idlers = this.idlers;
    this.idlers = [];
    for (const done of idlers) done();
  }

  /** Schedules the next batch for when the earliest pending path is due (later while retrying). */
  private kick(): void {
    if (this.closed || this.running || !this.ready) return; // a running batch kicks again when it ends
    if (!this.catchUpDue && this.pending.size === 0) {
      this.wakeIdlers();
      return;
    }
    // The catch-up waits for every file it found to settle, so it takes them all in one batch.
    // (A loop, not Math.max(...): a catch-up of a large folder has more paths than a call has arguments.)
    let due = this.catchUpDue ? Date.now() : Infinity;
    for (const p of this.pending.values()) due = this.catchUpDue ? Math.max(due, p.due) : Math.min(due, p.due);
    if (this.retryDelay) due = Math.max(due, Date.now() + this.retryDelay);
    if (this.timer && this.timerDue <= due) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.running = this.runBatch().finally(() => {
          this.running = undefined;
          this.kick();
        });
      },
      Math.max(0, due - Date.now()),
    );
  }

  private async runBatch(): Promise<void> {
    // The whole batch counts as a write: while it is read, extracted and written, API reads of a
    // server in this process go into Neo4j only a few at a time (db/read-gate.ts), so fresh news
    // is not starved by a query load.
    const activity = writeActivity(this.db);
    activity.begin();
    try {
      await this.runBatchWork();
    } finally {
      activity.end();
    }
  }

  private async runBatchWork(): Promise<void> {
    const taken = new Map(this.pending);
    this.pending.clear();
    const catchUp = this.catchUpDue;
    // Events for these paths during the batch land in `pending` again: they are looked at once more.
    const requeue = (paths: Map<string, Pending>) => {
      for (const [path, p] of paths) if (!this.pending.has(path)) this.pending.set(path, p);
    };
    try {
      const { report, deferred } = await this.processBatch(taken, catchUp);
      this.catchUpDue = false;
      requeue(deferred);
      if (this.retryDelay) this.log('watch: Neo4j is back; caught up with the files that waited');
      this.retryDelay = 0;
      this.retriesAtMax = 0;
      this.options.onBatch?.(report);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) {
        // A bug or an unexpected failure: say so and go on; the next event or start looks at these files again.
        this.log(`watch: batch of ${taken.size} file(s) failed: ${(err as Error).message ?? String(err)}`);
        this.catchUpDue = false;
        return;
      }
      requeue(taken);
      const before = this.retryDelay;
      this.retryDelay = before ? Math.min(before * 2, this.retryMs.max) : this.retryMs.first;
      // One line per longer wait, then one a minute or so: an outage of an hour is not 700 lines.
      if (this.retryDelay !== before || ++this.retriesAtMax % 12 === 0) {
        const waiting = `${this.pending.size} file(s)${catchUp ? ' and the catch-up' : ''}`;
        this.log(
          `watch: Neo4j unavailable (${lastCause(err)}); ${waiting} waiting, retrying in ${(this.retryDelay / 1000).toFixed(1)} s`,
        );
      }
    }
  }

  private async processBatch(
    taken: Map<string, Pending>,
    catchUp: boolean,
  ): Promise<{ report: WatchBatch; deferred: Map<string, Pending> }> {
    const started = performance.now();
    const candidates = new Map(taken);
    if (catchUp) {
      // Besides the files on disk (the initial scan's events): every stored article whose file was
      // here, to find those deleted or renamed while we were not running.
      for (const s of await storedPathsUnder(this.db, this.dir))
        if (!candidates.has(resolve(s.sourcePath))) candidates.set(resolve(s.sourcePath), { at: 0, due: 0 });
    }

    // A folder deleted or moved away: the stored articles whose files were in it.
    for (const [path, p] of candidates) {
      if (ARTICLE_EXTENSIONS.has(extname(path).toLowerCase())) continue;
      candidates.delete(path);
      if (await exists(path)) continue;
      for (const s of await storedPathsUnder(this.db, path))
        if (!candidates.has(resolve(s.sourcePath))) candidates.set(resolve(s.sourcePath), { at: p.at, due: p.due });
    }

    const present: { path: string; id: string; hash?: string }[] = [];
    const gone: { path: string; id: string; at: number }[] = [];
    const deferred = new Map<string, Pending>();
    const now = Date.now();
    for (const [path, p] of candidates) {
      const kind = await stat(path).then(
        (s) => (s.isFile() ? (now - s.mtimeMs < this.settleMs && s.mtimeMs <= now ? s.mtimeMs : 'file') : 'other'),
        (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? 'gone' : 'file'),
      );
      // Written to less than settleMs ago without an event we saw yet: not settled, look again then.
      if (typeof kind === 'number') deferred.set(path, { at: p.at, due: kind + this.settleMs });
      // 'file' also for a file stat refused: the ingest job reports it with its reason
      else if (kind === 'file') present.push({ path, id: articleIdFromPath(path) });
      else if (kind === 'gone') gone.push({ path, id: articleIdFromPath(path), at: p.at });
    }
    const stored = await storedVersions(this.db, [...new Set([...present, ...gone].map((f) => f.id))]);

    // The content hash of new files, only when a stored article's file is gone (a rename may pair them).
    const goneStored = gone.filter((g) => samePath(stored.get(g.id)?.sourcePath ?? null, g.path));
    if (goneStored.length) {
      for (const f of present) {
        if (stored.has(f.id)) continue; // renamed to an id already stored: not a rename of ours
        f.hash = await readArticleFile(f.path).then(
          (raw) => identify(raw, f.path, f.id).contentHash,
          () => undefined, // unreadable: the ingest job reports it
        );
      }
    }

    const refused: IngestFailure[] = [];
    const toIngest: string[] = [];
    for (const f of present) {
      const s = stored.get(f.id);
      const elsewhere = s?.sourcePath && !samePath(s.sourcePath, f.path) ? resolve(s.sourcePath) : undefined;
      // Same name in two folders, both still there: one id, two files. Refused, as `ingest` does.
      if (elsewhere && !gone.some((g) => g.path === elsewhere) && (await exists(elsewhere))) {
        refused.push({
          path: f.path,
          reason: `article id "${f.id}" is also used by ${elsewhere} (rename one of the files)`,
        });
      } else toIngest.push(f.path);
    }

    const presentIds = new Set(present.map((f) => f.id));
    const replacing = new Map<string, string>();
    const orphaned: { path: string; id: string }[] = [];
    for (const g of goneStored) {
      if (presentIds.has(g.id)) continue; // moved to another folder, same name: the ingest updates its path
      const hash = stored.get(g.id)!.contentHash;
      const to = present.find((f) => f.hash === hash && !replacing.has(f.id));
      if (to) replacing.set(to.id, g.id);
      else if (now - g.at < this.holdMs) deferred.set(g.path, { at: g.at, due: g.at + this.holdMs });
      else orphaned.push(g);
    }

    const summary = await ingestPaths(this.db, toIngest, { followMoves: true, replacing });
    const replaced = new Set(summary.replaced);
    const renamed = [...replacing].filter(([, from]) => replaced.has(from)).map(([to, from]) => ({ from, to }));
    // A rename whose new file was refused: the old article is an ordinary deletion.
    for (const [, from] of replacing) {
      const g = goneStored.find((x) => x.id === from)!;
      if (!replaced.has(from)) orphaned.push(g);
    }

    // A file deleted between our look and the read is not a bad file: the next batch sees it gone.
    const vanished = new Set<string>();
    for (const f of summary.failed) if (!(await exists(f.path))) vanished.add(f.path);
    for (const path of vanished) deferred.set(path, { at: now, due: now + this.batchMs });

    const removed: string[] = [];
    const kept: string[] = [];
    if (orphaned.length && this.options.syncDeletes) {
      await removeArticles(
        this.db,
        orphaned.map((o) => o.id),
      );
      removed.push(...orphaned.map((o) => o.id));
    } else kept.push(...orphaned.map((o) => o.path));

    const report: WatchBatch = {
      catchUp,
      ingested: summary.new + summary.updated,
      unchanged: summary.unchanged,
      refused: [...refused, ...summary.failed.filter((f) => !vanished.has(f.path))],
      warnings: summary.warnings,
      removed,
      renamed,
      kept,
      articleIds: summary.articleIds,
      ms: Math.round(performance.now() - started),
      phases: summary.phases,
    };
    this.logBatch(report, orphaned);
    return { report, deferred };
  }

  private logBatch(r: WatchBatch, orphaned: { path: string; id: string }[]): void {
    for (const f of r.refused) this.log(`watch: warning: ${f.path}: ${f.reason} (not stored)`);
    for (const f of r.warnings) this.log(`watch: warning: ${f.path}: ${f.reason}`);
    for (const { from, to } of r.renamed) this.log(`watch: renamed: article "${from}" is now "${to}"`);
    if (r.kept.length && r.catchUp)
      this.log(
        `watch: ${r.kept.length} stored article(s) have no file under ${this.dir} any more; kept (--sync-deletes removes them)`,
      );
    else
      for (const o of orphaned)
        if (r.kept.includes(o.path))
          this.log(`watch: ${o.path} was deleted; article "${o.id}" kept (--sync-deletes removes it)`);
    const nothing =
      r.ingested + r.unchanged + r.refused.length + r.removed.length + r.renamed.length + r.kept.length === 0;
    if (nothing && !r.catchUp) return; // e.g. only an unlink of a file that was never stored
    const extra = [
      r.renamed.length ? `, ${r.renamed.length} renamed` : '',
      r.kept.length ? `, ${r.kept.length} kept` : '',
    ];
    // where a slow batch spent its time, once it is slow enough to ask
    const { lookUp, extraction, writes, search } = r.phases;
    const phases =
      r.ms >= 1_000 ? `: look-up ${lookUp}, extraction ${extraction}, writes ${writes}, search ${search}` : '';
    this.log(
      `watch: ${r.catchUp ? `catch-up of ${this.dir}: ` : ''}${r.ingested} ingested, ${r.unchanged} unchanged, ` +
        `${r.refused.length} refused, ${r.removed.length} removed${extra.join('')} (${r.ms} ms${phases})`,
    );
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
