/**
 * The ingest job: files -> parse -> extract -> graph, in batches, reporting progress.
 * Parsing and extraction run in the worker pool (pool.ts), a whole batch at once, while the batch
 * before it is written. A file that fails is reported with its path and reason; the rest of the batch goes on.
 */
import type { BookmarkManager } from 'neo4j-driver';
import { type Database, isDatabaseUnavailable } from '../neo4j/driver.js';
import { identify, type LoadedArticle, type PreparedArticle, readArticleFile } from './article.js';
import { collectArticleFiles } from './files.js';
import { ArticleParseError, articleIdFromPath } from './parse.js';
import { prepareOffThread } from './pool.js';
import { type GraphHolds, makeSearchable, storeRecords, whatGraphHolds } from './store.js';

export interface IngestOptions {
  /** articles per write transaction */
  batchSize?: number;
  /** write transactions in flight */
  concurrency?: number;
  /** stop at the first failed file */
  strict?: boolean;
  onProgress?: (p: IngestProgress) => void;
  /** stops between batches (what was written stays written; a re-run skips it) */
  signal?: AbortSignal;
  /** collects the bookmarks of the writes (neo4j/bookmarks.ts), e.g. for `ingest --json` */
  bookmarks?: BookmarkManager;
  /** an article stored from another path is stored again, to record where its file is now (see whatGraphHolds) */
  followMoves?: boolean;
  /**
   * Renamed files (watch.ts): article id -> the id its file had before. The old article is deleted in
   * the transaction that stores the new one, so it is never stored twice nor missing.
   */
  replacing?: ReadonlyMap<string, string>;
}

export interface IngestProgress {
  done: number;
  total: number;
  failed: number;
}

export interface IngestFailure {
  path: string;
  reason: string;
}

export interface IngestSummary {
  files: number;
  new: number;
  updated: number;
  unchanged: number;
  failed: IngestFailure[];
  /** stored articles with a problem that did not cost them (e.g. a bad date: stored undated) */
  warnings: IngestFailure[];
  entities: number;
  edges: number;
  ms: number;
  /** article ids written or confirmed unchanged, in input order */
  articleIds: string[];
  /** ids deleted because a renamed file's article replaced them (options.replacing) */
  replaced: string[];
  /**
   * Where the time went, ms: waiting for files to be read and looked up in the graph, waiting for the
   * extraction workers, in write transactions (summed; they may overlap extraction), and waiting
   * for search to catch up at the end. Said in the watch mode's batch lines.
   */
  phases: { lookUp: number; extraction: number; writes: number; search: number };
}

export class StrictModeStop extends Error {
  override name = 'StrictModeStop';
}

export async function ingestPaths(db: Database, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const { batchSize = 200, concurrency = 1, strict = false, onProgress, signal, bookmarks } = options;
  const { followMoves = false, replacing = new Map<string, string>() } = options;
  const { files, problems } = await collectArticleFiles(paths);
  const summary: IngestSummary = {
    files: files.length,
    new: 0,
    updated: 0,
    unchanged: 0,
    failed: [],
    warnings: [],
    entities: 0,
    edges: 0,
    ms: 0,
    articleIds: [],
    replaced: [],
    phases: { lookUp: 0, extraction: 0, writes: 0, search: 0 },
  };
  const total = files.length + problems.length;
  let done = 0;
  const progress = () => onProgress?.({ done, total, failed: summary.failed.length });
  const fail = (f: IngestFailure) => {
    summary.failed.push(f);
    if (strict) throw new StrictModeStop(`${f.path}: ${f.reason}`);
  };
  for (const p of problems) {
    done++;
    fail(p);
  }
  progress();

  const inFlight = new Set<Promise<void>>();
  const seenIds = new Map<string, string>();
  let abort: unknown;
  const skip = (path: string, err: unknown) => {
    done++;
    fail({ path, reason: reasonOf(err, path) });
    progress();
  };

  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += batchSize) batches.push(files.slice(i, i + batchSize));
  // The next batch is read and looked up while this one is extracted, so the workers never wait for it.
  let next: Promise<LookedUp> | undefined = batches.length
    ? handled(lookUp(db, batches[0], seenIds, bookmarks, followMoves))
    : undefined;
  try {
    for (let b = 0; b < batches.length && !abort; b++) {
      signal?.throwIfAborted();
      let t = performance.now();
      const { files: read, holds } = await next!;
      summary.phases.lookUp += performance.now() - t;
      next = undefined;
      // Extraction runs in the worker pool: every article of the batch at once, results kept in input order.
      const extracting = read.map((f) =>
        f.loaded && !holds.unchanged.has(f.loaded.id) ? settle(prepareOffThread(f.loaded)) : undefined,
      );
      if (b + 1 < batches.length) next = handled(lookUp(db, batches[b + 1], seenIds, bookmarks, followMoves));
      const batch: PreparedArticle[] = [];
      for (let k = 0; k < read.length; k++) {
        const { path, loaded, error } = read[k];
        if (!loaded) {
          skip(path, error);
          continue;
        }
        if (holds.unchanged.has(loaded.id)) {
          summary.unchanged++;
          summary.articleIds.push(loaded.id);
          done++;
          continue;
        }
        t = performance.now();
        const out = await extracting[k]!;
        summary.phases.extraction += performance.now() - t;
        if ('error' in out) skip(path, out.error);
        else batch.push(out.value);
      }
      progress();
      if (batch.length === 0) continue;
      // The next batch's extraction overlaps these writes; at most `concurrency` batches are held in memory.
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (abort) break; // a write failed while we waited for its slot: start no more
      const writeStarted = performance.now();
      const write = writeBatch(db, batch, holds.existing, summary, fail, bookmarks, replacing)
        .then(() => {
          summary.phases.writes += performance.now() - writeStarted;
        })
        .catch((err) => {
          abort ??= err;
        })
        .finally(() => {
          done += batch.length;
          progress();
          inFlight.delete(write);
        });
      inFlight.add(write);
    }
  } catch (err) {
    // A lookup that failed (Neo4j gone) or a strict-mode stop: the writes in flight finish
    // (or fail) before this returns, so nothing is written after ingestPaths has settled.
    abort ??= err;
  }
  await next?.catch(() => undefined); // a look-up started for a batch that will not run: let it finish
  await Promise.all(inFlight);
  if (abort) throw abort;
  const searchStarted = performance.now();
  if (summary.new + summary.updated > 0) await makeSearchable(db, bookmarks);
  summary.phases.search = performance.now() - searchStarted;
  for (const phase of Object.keys(summary.phases) as (keyof IngestSummary['phases'])[])
    summary.phases[phase] = Math.round(summary.phases[phase]);
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

interface LookedUp {
  /** every file of the batch in input order: read and identified, or why not */
  files: { path: string; loaded?: LoadedArticle; error?: unknown }[];
  holds: GraphHolds;
}

/** Reads and hashes a batch's files, then asks the graph which it already holds (one query per batch). */
async function lookUp(
  db: Database,
  paths: string[],
  seenIds: Map<string, string>,
  bookmarks?: BookmarkManager,
  followMoves = false,
): Promise<LookedUp> {
  const files: LookedUp['files'] = [];
  for (const path of paths) {
    try {
      const id = articleIdFromPath(path);
      const other = seenIds.get(id);
      if (other)
        throw new ArticleParseError(path, `article id "${id}" is also used by ${other} (rename one of the files)`);
      seenIds.set(id, path);
      files.push({ path, loaded: identify(await readArticleFile(path), path, id) });
    } catch (error) {
      files.push({ path, error });
    }
  }
  const loaded = files.flatMap((f) => (f.loaded ? [f.loaded] : []));
  const holds = loaded.length
    ? await whatGraphHolds(db, loaded, bookmarks, followMoves)
    : { unchanged: new Set<string>(), existing: new Set<string>() };
  return { files, holds };
}

/** Marks `p` handled now (it may fail before it is awaited, e.g. Neo4j gone); awaiting it still throws. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** A promise that never rejects, so results awaited later in input order raise no unhandled rejection. */
function settle<T>(p: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

async function writeBatch(
  db: Database,
  batch: PreparedArticle[],
  existing: Set<string>,
  summary: IngestSummary,
  fail: (f: IngestFailure) => void,
  bookmarks: BookmarkManager | undefined,
  replacing: ReadonlyMap<string, string>,
) {
  const replaced = (of: PreparedArticle[]) => of.flatMap((p) => replacing.get(p.record.id) ?? []);
  const count = (written: PreparedArticle[], result: { entities: number; edges: number }) => {
    summary.replaced.push(...replaced(written));
    for (const { record: r, warnings } of written) {
      if (existing.has(r.id)) summary.updated++;
      else summary.new++;
      summary.articleIds.push(r.id);
      for (const reason of warnings) summary.warnings.push({ path: r.sourcePath, reason });
    }
    summary.entities += result.entities;
    summary.edges += result.edges;
  };
  try {
    count(
      batch,
      await storeRecords(
        db,
        batch.map((p) => p.record),
        bookmarks,
        replaced(batch),
      ),
    );
  } catch (batchError) {
    // The database itself is gone: retrying article by article would only wait out the driver's
    // 30 s retry time once per article. Stop; a rerun resumes (unchanged articles are skipped).
    if (isDatabaseUnavailable(batchError)) throw batchError;
    if (batch.length === 1) {
      fail({ path: batch[0].record.sourcePath, reason: `database write failed: ${(batchError as Error).message}` });
      return;
    }
    // One bad article must not sink its neighbours: retry them one transaction each.
    for (const prepared of batch) {
      try {
        count([prepared], await storeRecords(db, [prepared.record], bookmarks, replaced([prepared])));
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err;
        fail({ path: prepared.record.sourcePath, reason: `database write failed: ${(err as Error).message}` });
      }
    }
  }
}

function reasonOf(err: unknown, path: string): string {
  if (err instanceof ArticleParseError) return err.reason;
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith(path) ? message.slice(path.length + 2) : message;
}
