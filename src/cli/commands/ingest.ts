import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { BookmarkManager } from 'neo4j-driver';
import type { IngestSummary } from '../../ingest/pipeline.js';
import { setExtractionThreads } from '../../ingest/pool.js';
import { createBookmarks } from '../../neo4j/bookmarks.js';
import { type Database, DatabaseUnavailableError, isDatabaseUnavailable, lastCause } from '../../neo4j/driver.js';
import { BOOKMARK_HEADER } from '../../server/bookmarks.js';
import { say, withDatabase } from '../runtime.js';

export function register(program: Command) {
  program
    .command('ingest')
    .description('read articles (files or directories, recursively) into the graph; --watch keeps reading a directory')
    .argument('[paths...]', 'Markdown files or directories')
    .option(
      '--watch <dir>',
      'ingest the directory, then keep watching it: new and changed files are ingested as they are written',
    )
    .option('--sync-deletes', 'with --watch: a deleted file removes its article (otherwise it is kept)')
    .option('--strict', 'stop at the first file that fails')
    .option('--batch-size <n>', 'articles per write transaction', (v) => positiveInt(v, '--batch-size'), 200)
    .option(
      '--concurrency <n>',
      'write transactions in flight; above 1 can be faster, but two batches that both see a new entity first, under different names (联想集团 / 联想), can store it as two entities',
      (v) => positiveInt(v, '--concurrency'),
      1,
    )
    .option(
      '--workers <n>',
      'threads that parse and extract articles (default: NEWSGRAPH_EXTRACT_WORKERS, else one per core)',
      (v) => positiveInt(v, '--workers'),
    )
    .option(
      '--json',
      `print the summary as JSON (with \`bookmark\`: send it as ${BOOKMARK_HEADER} to read these writes through any replica)`,
    )
    .option(
      '--report',
      'also print, per feed: files, refused files with reasons, empty bodies, stock links accepted and rejected with the top reasons',
    )
    .action(
      async (
        paths: string[],
        opts: {
          strict?: boolean;
          batchSize: number;
          concurrency: number;
          workers?: number;
          json?: boolean;
          report?: boolean;
          watch?: string;
          syncDeletes?: boolean;
        },
      ) => {
        if (opts.syncDeletes && !opts.watch) throw new UsageError('--sync-deletes needs --watch <dir>');
        if (opts.watch) checkWatchDir(opts.watch);
        if (opts.watch) paths = [...paths, opts.watch];
        if (paths.length === 0) throw new UsageError('give the files or directories to ingest, or --watch <dir>');
        const bookmarks = createBookmarks();
        const summary = await withDatabase(async (db, _cfg, signal) => {
          if (opts.workers) await setExtractionThreads(opts.workers);
          const done = await runIngest(db, paths, { ...opts, signal, bookmarks: bookmarks.manager });
          if (opts.watch && !signal.aborted) {
            const watcher = await startWatching(db, opts.watch, opts);
            await aborted(signal);
            await watcher.close();
          }
          return done;
        });
        if (opts.watch) {
          process.exitCode = 0; // Ctrl-C or SIGTERM is how a watcher ends: a clean stop
          return;
        }
        // The report is a read-only pass of its own: it covers the files ingest skipped as unchanged.
        const report = opts.report ? await (await import('../../ingest/report.js')).feedReport(paths) : undefined;
        const bookmark = bookmarks.current().join(',') || null;
        if (opts.json)
          console.log(JSON.stringify(report ? { ...summary, bookmark, report } : { ...summary, bookmark }));
        else if (report) say((await import('../../ingest/report.js')).renderFeedReport(report));
        if (summary.failed.length) process.exitCode = 1;
      },
    );
}

class UsageError extends Error {
  override name = 'ConfigError'; // reported as one line, without a stack
}

/** Stops a command before it starts Neo4j when the folder to watch is not one. */
export function checkWatchDir(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {}
  if (!isDir) throw new UsageError(`--watch: ${dir} is not a directory`);
}

/** Starts watching `dir` (ingest/watch.ts), logging each batch; used by `ingest --watch` and `start --watch`. */
export async function startWatching(
  db: Database,
  dir: string,
  opts: { syncDeletes?: boolean },
): Promise<{ close(): Promise<void> }> {
  const { watchArticles } = await import('../../ingest/watch.js');
  const watcher = await watchArticles(db, dir, { syncDeletes: opts.syncDeletes, log: say });
  say(
    `watch: watching ${watcher.dir} for new and changed Markdown files; deleted files ${opts.syncDeletes ? 'remove their articles' : 'keep their articles (--sync-deletes removes them)'}`,
  );
  return {
    async close() {
      await watcher.close();
      say('watch: stopped');
    },
  };
}

/** Resolves when `signal` aborts (Ctrl-C, SIGTERM). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Ingests with a progress bar on a TTY and prints the summary; used by `ingest` and `start`. */
export async function runIngest(
  db: Database,
  paths: string[],
  opts: {
    strict?: boolean;
    batchSize?: number;
    concurrency?: number;
    json?: boolean;
    signal?: AbortSignal;
    bookmarks?: BookmarkManager;
  } = {},
): Promise<IngestSummary> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: 'ingest [{bar}] {value}/{total} articles | {failed} failed | {eta_formatted} left',
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  let progress = { done: 0, total: 0 };
  // Loaded on demand: the extractor's dictionaries are not needed by the other commands.
  const { ingestPaths } = await import('../../ingest/pipeline.js');
  try {
    const summary = await ingestPaths(db, paths, {
      strict: opts.strict,
      batchSize: opts.batchSize,
      concurrency: opts.concurrency,
      signal: opts.signal,
      bookmarks: opts.bookmarks,
      onProgress: (p) => {
        progress = p;
        if (!bar) return;
        if (!started) {
          bar.start(p.total, p.done, { failed: p.failed });
          started = true;
        }
        bar.update(p.done, { failed: p.failed });
      },
    });
    bar?.stop();
    if (!opts.json) printSummary(summary);
    return summary;
  } catch (err) {
    // Neo4j went away: one line saying so and that a re-run resumes (reportFailure prints it without a stack).
    if (isDatabaseUnavailable(err)) throw new DatabaseUnavailableError(lostDatabase(db, err, progress), { cause: err });
    throw err;
  } finally {
    bar?.stop();
  }
}

function lostDatabase(db: Database, err: unknown, p: { done: number; total: number }): string {
  return (
    `lost the connection to Neo4j at ${db.uri} during the ingest, after ${p.done} of ${p.total} files (${lastCause(err)}); ` +
    'the articles stored so far are kept: run the same command again to resume (stored articles are skipped)'
  );
}

export function printSummary(s: IngestSummary) {
  for (const w of s.warnings) say(`warning: ${w.path}: ${w.reason}`);
  for (const f of s.failed) say(`failed: ${f.path}: ${f.reason}`);
  say(
    `ingested ${s.files} file(s) in ${(s.ms / 1000).toFixed(1)}s: ${s.new} new, ${s.updated} updated, ${s.unchanged} unchanged, ` +
      `${s.failed.length} failed, ${s.warnings.length} warning(s); ${s.entities} entity mentions and ${s.edges} edges written`,
  );
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number, got ${v}`);
  return n;
}
