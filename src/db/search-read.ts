/** Full-text search over entity names/aliases and article titles/text (the cjk full-text indexes). */
import type { EntityType } from '../graph/vocabulary.js';
import { type ArticleRow, articleProjection } from './articles-read.js';
import { type EntityRow, entityRow, type RawEntity, toEntityRow } from './entities-read.js';
import { type Reader, readRows } from './read.js';

/** A hit with the row it names, read in the same statement (no second round trip for names and titles). */
export interface SearchHitRow {
  kind: EntityType | 'Article';
  id: string;
  score: number;
  entity: EntityRow | null;
  article: ArticleRow | null;
}

/**
 * User text as a Lucene query that matches the words as typed: every Lucene operator
 * character is escaped and the boolean keywords are lower-cased, so no input is a syntax error.
 */
export function luceneQuery(text: string): string {
  return text
    .replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, (c) => `\\${c}`)
    .replace(/\b(AND|OR|NOT|TO)\b/g, (w) => w.toLowerCase())
    .trim();
}

export interface SearchPageArgs {
  query: string;
  /** entity types to search; null: all; an empty list: no entities */
  types: EntityType[] | null;
  articles: boolean;
  offset: number;
  limit: number;
}

/**
 * One page of hits from both indexes, best first (ties by id, in code points): each index gives its
 * best offset + limit hits, the two lists are merged and cut in the same statement, and only the hits
 * on the page are projected into rows. Entity and article scores come from different indexes and are
 * merged as they are.
 */
export const SEARCH_PAGE = `CALL () {
       CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node, score
       WITH node, score WHERE $entities AND ($types IS NULL OR node.type IN $types)
       RETURN node, score, false AS isArticle LIMIT $want
       UNION ALL
       CALL db.index.fulltext.queryNodes('article_text', $q) YIELD node, score
       WITH node, score WHERE $articles
       RETURN node, score, true AS isArticle LIMIT $want
     }
     WITH node, score, isArticle ORDER BY score DESC, node.id SKIP $offset LIMIT $limit
     RETURN CASE WHEN isArticle
       THEN { kind: 'Article', id: node.id, score: score, entity: null, article: ${articleProjection('node')} }
       ELSE { kind: node.type, id: node.id, score: score, entity: ${entityRow('node')}, article: null } END AS row`;

export async function searchPage(reader: Reader, args: SearchPageArgs): Promise<SearchHitRow[]> {
  const rows = await readRows<Omit<SearchHitRow, 'entity'> & { entity: RawEntity | null }>(reader, SEARCH_PAGE, {
    q: luceneQuery(args.query),
    types: args.types,
    entities: args.types === null || args.types.length > 0,
    articles: args.articles,
    want: args.offset + args.limit,
    offset: args.offset,
    limit: args.limit,
  });
  return rows.map((r) => ({ ...r, entity: r.entity ? toEntityRow(r.entity) : null }));
}
