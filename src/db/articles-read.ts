/** Read queries for articles. Parameterised Cypher only. */
import type { ArticleRecord } from '../graph/record.js';
import { type Reader, readRows } from './read.js';

/** An article as read back: the front matter the writer stored (ARTICLE_PROJECTION), no text. */
export type ArticleRow = Pick<
  ArticleRecord,
  'id' | 'title' | 'originalTitle' | 'publishedAt' | 'categories' | 'author' | 'sourceUrl' | 'images' | 'contentHash'
> & {
  /** the projection reads it without a default */
  sourcePath: string | null;
  /** the feed and language (null for articles stored before they were recorded) */
  source: string | null;
  language: string | null;
  /** characters of the body text: what serving paragraphs, sentences or text costs (schema/text-budget.ts) */
  bodyChars: number;
};

/** An article's text, read only when a query asks for it (`articleBody` loader): lists and search show titles. */
export interface ArticleBody {
  paragraphs: string[];
  sentences: string[];
}

/**
 * The projection every article read returns: plain JSON, dates as ISO strings. Not the text:
 * paragraphs and sentences are most of an article's bytes, and most queries list titles.
 */
export const articleProjection = (a: string): string => `{
  id: ${a}.id, title: ${a}.title, originalTitle: ${a}.originalTitle,
  publishedAt: CASE WHEN ${a}.publishedAt IS NULL THEN null ELSE toString(${a}.publishedAt) END,
  categories: coalesce(${a}.categories, []), author: ${a}.author, sourceUrl: ${a}.sourceUrl, sourcePath: ${a}.sourcePath,
  source: ${a}.source, language: ${a}.language,
  images: coalesce(${a}.images, []), contentHash: ${a}.contentHash,
  bodyChars: coalesce(${a}.bodyChars, size(${a}.text), 0) }`;

export const ARTICLE_PROJECTION = articleProjection('a');

export const ARTICLES_BY_IDS = `UNWIND $ids AS id MATCH (a:Article {id: id}) USING INDEX a:Article(id) RETURN ${ARTICLE_PROJECTION} AS row`;

export async function articlesByIds(reader: Reader, ids: readonly string[]): Promise<(ArticleRow | null)[]> {
  const rows = await readRows<ArticleRow>(reader, ARTICLES_BY_IDS, { ids });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export interface StoredVersion {
  contentHash: string;
  extractorVersion: string;
  /** the file it was read from, as given to ingest */
  sourcePath: string | null;
}

/** Content hash and extractor version of the stored articles among these ids: what decides a re-ingest. */
export async function storedArticleVersions(
  reader: Reader,
  ids: readonly string[],
): Promise<Map<string, StoredVersion>> {
  const rows = await readRows<StoredVersion & { id: string }>(
    reader,
    'UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN { id: a.id, contentHash: a.contentHash, extractorVersion: a.extractorVersion, sourcePath: a.sourcePath } AS row',
    { ids },
  );
  return new Map(rows.map(({ id, ...version }) => [id, version]));
}

/** Ids and source paths of the stored articles read from files under `prefix` (a directory path ending in a separator). */
export function articlePathsUnder(reader: Reader, prefix: string): Promise<{ id: string; sourcePath: string }[]> {
  return readRows(
    reader,
    'MATCH (a:Article) WHERE a.sourcePath STARTS WITH $prefix RETURN { id: a.id, sourcePath: a.sourcePath } AS row',
    { prefix },
  );
}

export async function articleBodiesByIds(reader: Reader, ids: readonly string[]): Promise<(ArticleBody | null)[]> {
  const rows = await readRows<ArticleBody & { id: string }>(
    reader,
    `UNWIND $ids AS id MATCH (a:Article {id: id}) USING INDEX a:Article(id)
     RETURN { id: a.id, paragraphs: coalesce(a.paragraphs, []), sentences: coalesce(a.sentences, []) } AS row`,
    { ids },
  );
  const byId = new Map(rows.map(({ id, ...body }) => [id, body]));
  return ids.map((id) => byId.get(id) ?? null);
}

export type ArticleOrder = 'NEWEST_FIRST' | 'OLDEST_FIRST';

/** A position in an article list: the date as the row gave it ('' for an undated article) and the id. */
export interface ArticleKey {
  publishedAt: string;
  id: string;
}

/**
 * Keyset order of article lists: dated articles by instant (not by their text form), then undated
 * ones, each ties broken by id. Needs `a` and `undated` (\`a.publishedAt IS NULL\`) in scope.
 * `descending` is the date direction; the undated articles stay last either way.
 */
export function articleKeyset(descending: boolean, inverted = false) {
  const [further, nearer] = descending ? ['<', '>'] : ['>', '<'];
  /** Rows strictly further down the list than the position in `$param` ({undated, t, id}). */
  const beyond = (param: string, op: string, undatedLater: boolean) =>
    `(${param} IS NULL
      OR (${undatedLater ? `undated AND NOT ${param}.undated` : `NOT undated AND ${param}.undated`})
      OR (undated = ${param}.undated AND (
            (undated AND a.id ${op} ${param}.id)
         OR (NOT undated AND (a.publishedAt ${op} datetime(${param}.t) OR (a.publishedAt = datetime(${param}.t) AND a.id ${op} ${param}.id))))))`;
  const flip = descending !== inverted;
  return {
    after: (param: string) => beyond(param, further, true),
    before: (param: string) => beyond(param, nearer, false),
    orderBy: `undated ${inverted ? 'DESC' : 'ASC'}, a.publishedAt ${flip ? 'DESC' : 'ASC'}, a.id ${flip ? 'DESC' : 'ASC'}`,
  };
}

/** A cursor position as the keyset conditions take it. */
export function keysetParam(key: ArticleKey | null | undefined) {
  return key ? { undated: key.publishedAt === '', t: key.publishedAt || null, id: key.id } : null;
}

export interface ArticleFilter {
  /** ISO instants, inclusive */
  from?: string | null;
  to?: string | null;
  category?: string | null;
  /** entity ids the article must all mention */
  mentions?: string[] | null;
}

export interface ArticlePageArgs {
  limit: number;
  /** keyset: articles strictly after this (publishedAt, id) in the requested order */
  after?: ArticleKey;
  before?: ArticleKey;
  /** true when paging backwards (`last`): the rows come in reverse order */
  inverted: boolean;
  order?: ArticleOrder;
  filter?: ArticleFilter;
}

/**
 * Articles by date (undated ones last), ties broken by id; see articleKeyset.
 * `after` always means "further down the list", in either order.
 */
export async function articlePage(reader: Reader, args: ArticlePageArgs): Promise<ArticleRow[]> {
  const descending = (args.order ?? 'NEWEST_FIRST') === 'NEWEST_FIRST';
  const keyset = articleKeyset(descending, args.inverted);
  const f = args.filter ?? {};
  return readRows<ArticleRow>(
    reader,
    `MATCH (a:Article)
     WHERE ($from IS NULL OR a.publishedAt >= datetime($from))
       AND ($to IS NULL OR a.publishedAt <= datetime($to))
       AND ($category IS NULL OR $category IN a.categories)
       AND all(eid IN $mentions WHERE EXISTS { (a)-[:MENTIONS]->(:Entity {id: eid}) })
     WITH a, a.publishedAt IS NULL AS undated
     WHERE ${keyset.after('$after')} AND ${keyset.before('$before')}
     RETURN ${ARTICLE_PROJECTION} AS row
     ORDER BY ${keyset.orderBy}
     LIMIT $limit`,
    {
      after: keysetParam(args.after),
      before: keysetParam(args.before),
      limit: args.limit,
      from: f.from ?? null,
      to: f.to ?? null,
      category: f.category ?? null,
      mentions: f.mentions ?? [],
    },
  );
}
