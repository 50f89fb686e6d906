/**
 * The write service: what the graph already holds, storing records, and making them searchable.
 * The ingest job (batches) and the GraphQL mutations (one article) both write through it.
 * `bookmarks` (a request's, neo4j/bookmarks.ts): its reads and writes follow what the client wrote
 * before, and leave their own bookmarks for it; undefined: the driver's default.
 */
import { resolve, sep } from 'node:path';
import type { BookmarkManager } from 'neo4j-driver';
import { articlePathsUnder, type StoredVersion, storedArticleVersions } from '../db/articles-read.js';
import {
  deleteArticles,
  deleteArticlesTx,
  type WriteSummary,
  writeArticles,
  writeArticlesTx,
} from '../db/articles-write.js';
import { createReader } from '../db/read.js';
import { awaitSearchIndexes, createWriter, writeTx } from '../db/write.js';
import type { ArticleRecord } from '../graph/record.js';
import type { Database } from '../neo4j/driver.js';
import type { ArticleIdentity } from './parse.js';
import { EXTRACTOR_VERSION } from './version.js';

export interface GraphHolds {
  /** stored with the same content and extractor: nothing to do */
  unchanged: Set<string>;
  /** stored, but changed: to be replaced */
  existing: Set<string>;
}

/**
 * Which of these articles the graph already holds, and which of those are unchanged (one query).
 * `followMoves`: an article stored from another path than the one given counts as changed, so that
 * storing it again records where its file is now (the watcher: a file moved to another folder).
 */
export async function whatGraphHolds(
  db: Database,
  articles: readonly (ArticleIdentity & { path?: string })[],
  bookmarks?: BookmarkManager,
  followMoves = false,
): Promise<GraphHolds> {
  const stored = await storedVersions(
    db,
    articles.map((a) => a.id),
    bookmarks,
  );
  const holds: GraphHolds = { unchanged: new Set(), existing: new Set() };
  for (const a of articles) {
    const known = stored.get(a.id);
    if (!known) continue;
    const moved = followMoves && a.path !== undefined && !samePath(known.sourcePath, a.path);
    const same = !moved && known.contentHash === a.contentHash && known.extractorVersion === EXTRACTOR_VERSION;
    (same ? holds.unchanged : holds.existing).add(a.id);
  }
  return holds;
}

/** Content hash, extractor version and source path of the stored articles among these ids. */
export function storedVersions(
  db: Database,
  ids: readonly string[],
  bookmarks?: BookmarkManager,
): Promise<Map<string, StoredVersion>> {
  return storedArticleVersions(createReader(db, undefined, bookmarks), ids);
}

/** Stored articles whose source file was under `dir` (absolute paths), with those paths. */
export function storedPathsUnder(db: Database, dir: string): Promise<{ id: string; sourcePath: string }[]> {
  return articlePathsUnder(createReader(db), resolve(dir) + sep);
}

/** Whether a stored source path and a file path name the same file (an older ingest may have stored it relative). */
export function samePath(stored: string | null, path: string): boolean {
  return stored !== null && resolve(stored) === resolve(path);
}

/**
 * Stores these records in one transaction (replacing any stored article with the same id); `replacing`:
 * ids of articles deleted in the same transaction (a renamed file's old id: the article is never
 * stored twice nor missing).
 */
export function storeRecords(
  db: Database,
  records: ArticleRecord[],
  bookmarks?: BookmarkManager,
  replacing: readonly string[] = [],
): Promise<WriteSummary> {
  const writer = createWriter(db, bookmarks);
  if (replacing.length === 0) return writeArticles(writer, records);
  return writeTx(writer, async (tx) => {
    const written = await writeArticlesTx(tx, records);
    if (replacing.length) await deleteArticlesTx(tx, [...replacing]);
    return written;
  });
}

/** Waits until search sees everything written so far. */
export function makeSearchable(db: Database, bookmarks?: BookmarkManager): Promise<void> {
  return awaitSearchIndexes(createWriter(db, bookmarks));
}

/** One article: check what is stored, write it (replacing one with its id), wait for search. */
export async function storeArticle(
  db: Database,
  record: ArticleRecord,
  bookmarks?: BookmarkManager,
): Promise<{ created: boolean }> {
  const { unchanged, existing } = await whatGraphHolds(db, [record], bookmarks);
  await storeRecords(db, [record], bookmarks);
  await makeSearchable(db, bookmarks);
  return { created: !unchanged.has(record.id) && !existing.has(record.id) };
}

/** Deletes one article and whatever only it held up; false when there was none. */
export async function removeArticle(db: Database, id: string, bookmarks?: BookmarkManager): Promise<boolean> {
  return (await removeArticles(db, [id], bookmarks)) > 0;
}

/** Deletes these articles (one transaction) and whatever only they held up; returns how many there were. */
export async function removeArticles(db: Database, ids: string[], bookmarks?: BookmarkManager): Promise<number> {
  const deleted = await deleteArticles(createWriter(db, bookmarks), ids);
  await makeSearchable(db, bookmarks);
  return deleted;
}
