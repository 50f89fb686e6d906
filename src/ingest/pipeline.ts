/**
 * The ingest job: files -> parse -> extract -> graph, in batches, reporting progress.
 * A file that fails is reported with its path and reason; the rest of the batch goes on.
 */
import type { BookmarkManager } from 'neo4j-driver';
import type { ArticleRecord } from '../graph/record.js';
import { isDatabaseUnavailable, type Database } from '../neo4j/driver.js';
import { identify, readArticleFile, toRecord, type LoadedArticle } from './article.js';
import { collectArticleFiles } from './files.js';
import { ArticleParseError, articleIdFromPath } from './parse.js';
import { makeSearchable, storeRecords, whatGraphHolds } from './store.js';

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
  entities: number;
  edges: number;
  ms: number;
  /** article ids written or confirmed unchanged, in input order */
  articleIds: string[];
}

export class StrictModeStop extends Error {
  override name = 'StrictModeStop';
}

export async function ingestPaths(db: Database, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const { batchSize = 200, concurrency = 1, strict = false, onProgress, signal, bookmarks } = options;
  const { files, problems } = await collectArticleFiles(paths);
  const summary: IngestSummary = { files: files.length, new: 0, updated: 0, unchanged: 0, failed: [], entities: 0, edges: 0, ms: 0, articleIds: [] };
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

  try {
    for (let i = 0; i < files.length && !abort; i += batchSize) {
    signal?.throwIfAborted();
      // 1. Read and hash; 2. skip what the graph already holds unchanged (one query per batch),
      // before paying for parsing and extraction; 3. parse + extract the rest.
      const loaded: LoadedArticle[] = [];
      for (const path of files.slice(i, i + batchSize)) {
        try {
          const id = articleIdFromPath(path);
          const other = seenIds.get(id);
          if (other) throw new ArticleParseError(path, `article id "${id}" is also used by ${other} (rename one of the files)`);
          seenIds.set(id, path);
          loaded.push(identify(await readArticleFile(path), path, id));
        } catch (err) {
          skip(path, err);
        }
      }
      if (loaded.length === 0) continue;
      const { unchanged, existing } = await whatGraphHolds(db, loaded, bookmarks);
      const batch: ArticleRecord[] = [];
      for (const l of loaded) {
        if (unchanged.has(l.id)) {
          summary.unchanged++;
          summary.articleIds.push(l.id);
          done++;
          continue;
        }
        try {
          batch.push(toRecord(l));
        } catch (err) {
          skip(l.path, err);
        }
      }
      progress();
      if (batch.length === 0) continue;
      // Extraction of the next batch overlaps these writes; at most `concurrency` batches are held in memory.
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (abort) break; // a write failed while we waited for its slot: start no more
      const write = writeBatch(db, batch, existing, summary, fail, bookmarks)
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
  await Promise.all(inFlight);
  if (abort) throw abort;
  if (summary.new + summary.updated > 0) await makeSearchable(db, bookmarks);
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

async function writeBatch(
  db: Database,
  batch: ArticleRecord[],
  existing: Set<string>,
  summary: IngestSummary,
  fail: (f: IngestFailure) => void,
  bookmarks?: BookmarkManager,
) {
  const count = (written: ArticleRecord[], result: { entities: number; edges: number }) => {
    for (const r of written) {
      if (existing.has(r.id)) summary.updated++;
      else summary.new++;
      summary.articleIds.push(r.id);
    }
    summary.entities += result.entities;
    summary.edges += result.edges;
  };
  try {
    count(batch, await storeRecords(db, batch, bookmarks));
  } catch (batchError) {
    // The database itself is gone: retrying article by article would only wait out the driver's
    // 30 s retry time once per article. Stop; a rerun resumes (unchanged articles are skipped).
    if (isDatabaseUnavailable(batchError)) throw batchError;
    if (batch.length === 1) {
      fail({ path: batch[0].sourcePath, reason: `database write failed: ${(batchError as Error).message}` });
      return;
    }
    // One bad article must not sink its neighbours: retry them one transaction each.
    for (const record of batch) {
      try {
        count([record], await storeRecords(db, [record], bookmarks));
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err;
        fail({ path: record.sourcePath, reason: `database write failed: ${(err as Error).message}` });
      }
    }
  }
}


function reasonOf(err: unknown, path: string): string {
  if (err instanceof ArticleParseError) return err.reason;
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith(path) ? message.slice(path.length + 2) : message;
}
