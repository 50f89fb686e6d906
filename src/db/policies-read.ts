/** Read queries for policy analysis: finding policies by name and their co-occurring companies. */
import type { CoOccurrenceArticle, LinkScope } from '../analysis/linked-companies.js';
import { readRows, type Reader } from './read.js';

/** Policy ids whose name or alias contains the text, most-mentioned first (offset paging). */
export async function policyIdsByName(reader: Reader, args: { nameContains: string | null; offset: number; limit: number }): Promise<string[]> {
  return readRows<string>(
    reader,
    `MATCH (p:Policy)
     WHERE $text IS NULL OR p.name CONTAINS $text OR any(a IN coalesce(p.aliases, []) WHERE a CONTAINS $text)
     WITH p, COUNT { (:Article)-[:MENTIONS]->(p) } AS articles
     RETURN p.id AS row
     ORDER BY articles DESC, p.id
     SKIP $offset LIMIT $limit`,
    { text: args.nameContains || null, offset: args.offset, limit: args.limit },
  );
}

/** Most recent articles considered per policy when linking companies: bounds the work on hub policies. */
export const LINK_ARTICLE_CAP = 500;

/** For each policy, the articles mentioning it together with at least one company, with the mention sites. */
export async function policyCompanyCoOccurrences(reader: Reader, policyIds: readonly string[], scope: LinkScope): Promise<CoOccurrenceArticle[][]> {
  const rows = await readRows<CoOccurrenceArticle & { policyId: string }>(
    reader,
    `UNWIND $ids AS pid
     CALL (pid) {
       MATCH (:Policy {id: pid})<-[mp:MENTIONS]-(a:Article)
       WHERE EXISTS { (a)-[:MENTIONS]->(:Company) }
       WITH a, mp ORDER BY a.publishedAt DESC, a.id LIMIT $cap
       CALL (a) {
         MATCH (a)-[mc:MENTIONS]->(c:Company)
         RETURN collect({ companyId: c.id, paragraphs: coalesce(mc.paragraphs, []), sentences: coalesce(mc.sentences, []),
                          evidence: coalesce(mc.evidence, []) }) AS companies
       }
       RETURN a, mp, companies
     }
     RETURN { policyId: pid, articleId: a.id, title: a.title,
              paragraphs: CASE WHEN $scope = 'PARAGRAPH' THEN coalesce(a.paragraphs, []) ELSE [] END,
              sentences: CASE WHEN $scope = 'ARTICLE' THEN [] ELSE coalesce(a.sentences, []) END,
              policy: { paragraphs: coalesce(mp.paragraphs, []), sentences: coalesce(mp.sentences, []), evidence: coalesce(mp.evidence, []) },
              companies: companies } AS row`,
    { ids: policyIds, scope, cap: LINK_ARTICLE_CAP },
  );
  return policyIds.map((id) => rows.filter((r) => r.policyId === id));
}
