/** Read queries for articles. Parameterised Cypher only. */
import type { ArticleRecord } from '../graph/record.js';
import { readRows, type Reader } from './read.js';

/** An article as read back: the front matter the writer stored (ARTICLE_PROJECTION), no text. */
export type ArticleRow = Pick<ArticleRecord, 'id' | 'title' | 'originalTitle' | 'publishedAt' | 'categories' | 'author' | 'sourceUrl' | 'images' | 'contentHash'> & {
  /** the projection reads it without a default */
  sourcePath: string | null;
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
export const ARTICLE_PROJECTION = `{
  id: a.id, title: a.title, originalTitle: a.originalTitle,
  publishedAt: CASE WHEN a.publishedAt IS NULL THEN null ELSE toString(a.publishedAt) END,
  categories: coalesce(a.categories, []), author: a.author, sourceUrl: a.sourceUrl, sourcePath: a.sourcePath,
  images: coalesce(a.images, []), contentHash: a.contentHash }`;

export const ARTICLES_BY_IDS = `UNWIND $ids AS id MATCH (a:Article {id: id}) USING INDEX a:Article(id) RETURN ${ARTICLE_PROJECTION} AS row`;

export async function articlesByIds(reader: Reader, ids: readonly string[]): Promise<(ArticleRow | null)[]> {
  const rows = await readRows<ArticleRow>(reader, ARTICLES_BY_IDS, { ids });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export interface StoredVersion {
  contentHash: string;
  extractorVersion: string;
}

/** Content hash and extractor version of the stored articles among these ids: what decides a re-ingest. */
export async function storedArticleVersions(reader: Reader, ids: readonly string[]): Promise<Map<string, StoredVersion>> {
  const rows = await readRows<StoredVersion & { id: string }>(
    reader,
    'UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN { id: a.id, contentHash: a.contentHash, extractorVersion: a.extractorVersion } AS row',
    { ids },
  );
  return new Map(rows.map(({ id, ...version }) => [id, version]));
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
  after?: { publishedAt: string; id: string };
  before?: { publishedAt: string; id: string };
  /** true when paging backwards (`last`): the rows come in reverse order */
  inverted: boolean;
  order?: ArticleOrder;
  filter?: ArticleFilter;
}

/**
 * Articles by date, ties broken by id; articles without a date sort as the empty string.
 * The cursor comparison flips with the order so `after` always means "further down the list".
 */
export async function articlePage(reader: Reader, args: ArticlePageArgs): Promise<ArticleRow[]> {
  const newest = (args.order ?? 'NEWEST_FIRST') === 'NEWEST_FIRST';
  const descending = newest !== args.inverted;
  const [afterOp, beforeOp] = newest ? ['<', '>'] : ['>', '<'];
  const f = args.filter ?? {};
  return readRows<ArticleRow>(
    reader,
    `MATCH (a:Article)
     WHERE ($from IS NULL OR a.publishedAt >= datetime($from))
       AND ($to IS NULL OR a.publishedAt <= datetime($to))
       AND ($category IS NULL OR $category IN a.categories)
       AND all(eid IN $mentions WHERE EXISTS { (a)-[:MENTIONS]->(:Entity {id: eid}) })
     WITH a, coalesce(toString(a.publishedAt), '') AS k
     WHERE ($after IS NULL OR k ${afterOp} $after.publishedAt OR (k = $after.publishedAt AND a.id ${afterOp} $after.id))
       AND ($before IS NULL OR k ${beforeOp} $before.publishedAt OR (k = $before.publishedAt AND a.id ${beforeOp} $before.id))
     RETURN ${ARTICLE_PROJECTION} AS row
     ORDER BY k ${descending ? 'DESC' : 'ASC'}, a.id ${descending ? 'DESC' : 'ASC'}
     LIMIT $limit`,
    {
      after: args.after ?? null,
      before: args.before ?? null,
      limit: args.limit,
      from: f.from ?? null,
      to: f.to ?? null,
      category: f.category ?? null,
      mentions: f.mentions ?? [],
    },
  );
}
