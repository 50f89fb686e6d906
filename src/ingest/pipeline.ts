/**
 * The ingest job: files -> parse -> extract -> graph, in batches, reporting progress.
 * A file that fails is reported with its path and reason; the rest of the batch goes on.
 */
import { readFile, stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { Database } from '../db/driver.js';
import { existingArticleIds, unchangedArticleIds, writeArticles } from '../db/articles-write.js';
import { extractArticle } from './extract/index.js';
import { EXTRACTOR_VERSION } from './version.js';
import { collectArticleFiles } from './files.js';
import { ArticleParseError, parseArticle } from './parse.js';
import { toArticleRecord, type ArticleRecord } from './record.js';

/** Larger files are refused: no real article is this big, and parsing one would hold the batch up. */
export const MAX_ARTICLE_BYTES = 32 * 1024 * 1024;

export interface IngestOptions {
  /** articles per write transaction */
  batchSize?: number;
  /** write transactions in flight */
  concurrency?: number;
  /** stop at the first failed file */
  strict?: boolean;
  onProgress?: (p: IngestProgress) => void;
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
  const { batchSize = 50, concurrency = 2, strict = false, onProgress } = options;
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

  const writeSlots = pLimit(concurrency);
  const writes: Promise<void>[] = [];
  const seenIds = new Map<string, string>();
  let abort: unknown;

  for (let i = 0; i < files.length && !abort; i += batchSize) {
    const batch: ArticleRecord[] = [];
    for (const path of files.slice(i, i + batchSize)) {
      try {
        const record = await prepare(path);
        const other = seenIds.get(record.id);
        if (other) throw new ArticleParseError(path, `article id "${record.id}" is also used by ${other} (rename one of the files)`);
        seenIds.set(record.id, path);
        batch.push(record);
      } catch (err) {
        done++;
        fail({ path, reason: reasonOf(err, path) });
        progress();
      }
    }
    if (batch.length === 0) continue;
    // Hold at most `concurrency` prepared batches in memory: wait for a free write slot.
    while (writeSlots.pendingCount > 0) await Promise.race(writes);
    writes.push(
      writeSlots(async () => {
        try {
          await writeBatch(db, batch, summary, fail);
        } catch (err) {
          abort ??= err;
        }
        done += batch.length;
        progress();
      }),
    );
  }
  await Promise.all(writes);
  if (abort) throw abort;
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

/** Reads, parses and extracts one file into the record the writer stores. */
export async function prepare(path: string): Promise<ArticleRecord> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new ArticleParseError(path, err.code === 'ENOENT' ? 'file disappeared before it could be read' : err.message);
  });
  if (info.size > MAX_ARTICLE_BYTES) {
    throw new ArticleParseError(path, `file is ${(info.size / 1048576).toFixed(1)} MiB, over the ${MAX_ARTICLE_BYTES / 1048576} MiB limit`);
  }
  const raw = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new ArticleParseError(path, err.code === 'ENOENT' ? 'file disappeared before it could be read' : err.message);
  });
  const article = parseArticle(raw, path);
  return toArticleRecord(article, extractArticle(article), EXTRACTOR_VERSION);
}

async function writeBatch(db: Database, batch: ArticleRecord[], summary: IngestSummary, fail: (f: IngestFailure) => void) {
  const unchanged = await unchangedArticleIds(db.driver, batch, db.database);
  const changed = batch.filter((r) => !unchanged.has(r.id));
  summary.unchanged += unchanged.size;
  summary.articleIds.push(...unchanged);
  if (changed.length === 0) return;
  const existing = await existingArticleIds(db.driver, changed.map((r) => r.id), db.database);
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
    count(changed, await writeArticles(db.driver, changed, db.database));
  } catch (batchError) {
    if (changed.length === 1) {
      fail({ path: changed[0].sourcePath, reason: `database write failed: ${(batchError as Error).message}` });
      return;
    }
    // One bad article must not sink its neighbours: retry them one transaction each.
    for (const record of changed) {
      try {
        count([record], await writeArticles(db.driver, [record], db.database));
      } catch (err) {
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
