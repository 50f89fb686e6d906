/** Full-text search over entity names/aliases and article titles/text (the cjk full-text indexes). */
import type { EntityType } from '../graph/vocabulary.js';
import { ARTICLE_PROJECTION, type ArticleRow } from './articles-read.js';
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

export async function searchEntities(
  reader: Reader,
  query: string,
  types: EntityType[] | null,
  limit: number,
): Promise<SearchHitRow[]> {
  const rows = await readRows<Omit<SearchHitRow, 'entity' | 'article'> & { entity: RawEntity }>(
    reader,
    `CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node, score
     WITH node, score WHERE $types IS NULL OR node.type IN $types
     LIMIT $limit
     RETURN { kind: node.type, id: node.id, score: score, entity: ${entityRow('node')} } AS row`,
    { q: luceneQuery(query), types, limit },
  );
  return rows.map((r) => ({ ...r, entity: toEntityRow(r.entity), article: null }));
}

export async function searchArticles(reader: Reader, query: string, limit: number): Promise<SearchHitRow[]> {
  const rows = await readRows<Omit<SearchHitRow, 'entity'>>(
    reader,
    `CALL db.index.fulltext.queryNodes('article_text', $q) YIELD node, score
     WITH node AS a, score LIMIT $limit
     RETURN { kind: 'Article', id: a.id, score: score, article: ${ARTICLE_PROJECTION} } AS row`,
    { q: luceneQuery(query), limit },
  );
  return rows.map((r) => ({ ...r, entity: null }));
}
