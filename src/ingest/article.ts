/**
 * The steps for one article, no database: read the file, then parse, extract and turn it into
 * the record the graph writer stores. The ingest job and the `ingestArticle` mutation both use them.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ArticleRecord } from '../graph/record.js';
import { extractArticle } from './extract/index.js';
import { type ArticleIdentity, ArticleParseError, articleIdFromPath, contentHashOf, parseArticle } from './parse.js';
import { toArticleRecord } from './record.js';
import { EXTRACTOR_VERSION } from './version.js';

/**
 * Larger files are refused: no real article is this big, and parsing one would hold the batch up
 * (a 20 MB page took ~30 s and over 1 GB of memory to parse and extract; tests/integration/bad-input.test.ts).
 */
export const MAX_ARTICLE_BYTES = 8 * 1024 * 1024;

/** A file read and identified, not yet parsed: enough to tell whether the graph already holds it. */
export interface LoadedArticle extends ArticleIdentity {
  path: string;
  raw: Buffer | string;
}

/** Reads one file, refusing ones that vanished or are too large to be an article. */
export async function readArticleFile(path: string): Promise<Buffer> {
  const gone = (err: NodeJS.ErrnoException): never => {
    throw new ArticleParseError(path, err.code === 'ENOENT' ? 'file disappeared before it could be read' : err.message);
  };
  const info = await stat(path).catch(gone);
  if (info.size > MAX_ARTICLE_BYTES) {
    throw new ArticleParseError(
      path,
      `file is ${(info.size / 1048576).toFixed(1)} MiB, over the ${MAX_ARTICLE_BYTES / 1048576} MiB limit`,
    );
  }
  return readFile(path).catch(gone);
}

/** The article's id (from its file name) and content hash: computed once, and parsing reuses them. */
export function identify(raw: Buffer | string, path: string, id = articleIdFromPath(path)): LoadedArticle {
  return { path, raw, id, contentHash: contentHashOf(raw) };
}

/** An article ready to store, and the problems that did not cost it (e.g. a bad date: stored undated). */
export interface PreparedArticle {
  record: ArticleRecord;
  warnings: string[];
}

/** Parses and extracts one article into the record the writer stores. */
export function toRecord({ raw, path, id, contentHash }: LoadedArticle): PreparedArticle {
  const article = parseArticle(raw, path, { id, contentHash });
  return {
    record: toArticleRecord(article, extractArticle(article), EXTRACTOR_VERSION),
    warnings: article.warnings ?? [],
  };
}

/** Reads, parses and extracts one file on this thread (the whole CPU side of ingest, no database). */
export async function prepare(path: string): Promise<PreparedArticle> {
  return toRecord(identify(await readArticleFile(path), path));
}
