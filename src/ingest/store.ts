/**
 * The write service: what the graph already holds, storing records, and making them searchable.
 * The ingest job (batches) and the GraphQL mutations (one article) both write through it.
 * `bookmarks` (a request's, neo4j/bookmarks.ts): its reads and writes follow what the client wrote
 * before, and leave their own bookmarks for it; undefined: the driver's default.
 */
import type { BookmarkManager } from 'neo4j-driver';
import { storedArticleVersions } from '../db/articles-read.js';
import { deleteArticles, type WriteSummary, writeArticles } from '../db/articles-write.js';
import { createReader } from '../db/read.js';
import { awaitSearchIndexes, createWriter } from '../db/write.js';
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

/** Which of these articles the graph already holds, and which of those are unchanged (one query). */
export async function whatGraphHolds(
  db: Database,
  articles: readonly ArticleIdentity[],
  bookmarks?: BookmarkManager,
): Promise<GraphHolds> {
  const stored = await storedArticleVersions(
    createReader(db, undefined, bookmarks),
    articles.map((a) => a.id),
  );
  const holds: GraphHolds = { unchanged: new Set(), existing: new Set() };
  for (const a of articles) {
    const known = stored.get(a.id);
    if (!known) continue;
    const same = known.contentHash === a.contentHash && known.extractorVersion === EXTRACTOR_VERSION;
    (same ? holds.unchanged : holds.existing).add(a.id);
  }
  return holds;
}

/** Stores these records in one transaction (replacing any stored article with the same id). */
export function storeRecords(
  db: Database,
  records: ArticleRecord[],
  bookmarks?: BookmarkManager,
): Promise<WriteSummary> {
  return writeArticles(createWriter(db, bookmarks), records);
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
  const deleted = await deleteArticles(createWriter(db, bookmarks), [id]);
  await makeSearchable(db, bookmarks);
  return deleted > 0;
}
