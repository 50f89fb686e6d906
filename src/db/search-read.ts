/** Full-text search over entity names/aliases and article titles/text (the cjk full-text indexes). */
import type { EntityType } from '../graph/vocabulary.js';
import { type Reader, readRows } from './read.js';

export interface SearchHitRow {
  kind: EntityType | 'Article';
  id: string;
  score: number;
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
  return readRows<SearchHitRow>(
    reader,
    `CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node, score
     WHERE $types IS NULL OR node.type IN $types
     RETURN { kind: node.type, id: node.id, score: score } AS row
     LIMIT $limit`,
    { q: luceneQuery(query), types, limit },
  );
}

export async function searchArticles(reader: Reader, query: string, limit: number): Promise<SearchHitRow[]> {
  return readRows<SearchHitRow>(
    reader,
    `CALL db.index.fulltext.queryNodes('article_text', $q) YIELD node, score
     RETURN { kind: 'Article', id: node.id, score: score } AS row
     LIMIT $limit`,
    { q: luceneQuery(query), limit },
  );
}
