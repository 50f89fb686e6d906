/**
 * The write service: what the graph already holds, storing records, and making them searchable.
 * The ingest job (batches) and the GraphQL mutations (one article) both write through it.
 */
import type { ArticleRecord } from '../graph/record.js';
import { storedArticleVersions } from '../db/articles-read.js';
import { deleteArticles, writeArticles, type WriteSummary } from '../db/articles-write.js';
import { createReader } from '../db/read.js';
import { awaitSearchIndexes, createWriter } from '../db/write.js';
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
export async function whatGraphHolds(db: Database, articles: readonly ArticleIdentity[]): Promise<GraphHolds> {
  const stored = await storedArticleVersions(createReader(db), articles.map((a) => a.id));
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
export function storeRecords(db: Database, records: ArticleRecord[]): Promise<WriteSummary> {
  return writeArticles(createWriter(db), records);
}

/** Waits until search sees everything written so far. */
export function makeSearchable(db: Database): Promise<void> {
  return awaitSearchIndexes(createWriter(db));
}

/** One article: check what is stored, write it (replacing one with its id), wait for search. */
export async function storeArticle(db: Database, record: ArticleRecord): Promise<{ created: boolean }> {
  const { unchanged, existing } = await whatGraphHolds(db, [record]);
  await storeRecords(db, [record]);
  await makeSearchable(db);
  return { created: !unchanged.has(record.id) && !existing.has(record.id) };
}

/** Deletes one article and whatever only it held up; false when there was none. */
export async function removeArticle(db: Database, id: string): Promise<boolean> {
  const deleted = await deleteArticles(createWriter(db), [id]);
  await makeSearchable(db);
  return deleted > 0;
}
