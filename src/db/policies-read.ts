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

/**
 * For each policy, the articles mentioning it together with at least one company, with the mention sites.
 * Only what `linkCompanies` can use travels back: companies linked at the scope, articles with at
 * least one of them, the paragraphs up to the last shared one (to map sentences to paragraphs),
 * and the text of the candidate sentences only (other entries are null). A hub policy's articles
 * otherwise ship megabytes of paragraphs and sentences per request.
 */
export const POLICY_CO_OCCURRENCES = `UNWIND $ids AS pid
     CALL (pid) {
       MATCH (p:Policy {id: pid})<-[mp:MENTIONS]-(a:Article) USING INDEX p:Policy(id)
       WHERE EXISTS { (a)-[:MENTIONS]->(:Company) }
       WITH a, mp ORDER BY a.publishedAt DESC, a.id LIMIT $cap
       WITH a, mp, coalesce(mp.paragraphs, []) AS pp, coalesce(mp.sentences, []) AS ps
       CALL (a, pp, ps) {
         MATCH (a)-[mc:MENTIONS]->(c:Company)
         WITH c, mc, coalesce(mc.paragraphs, []) AS cp, coalesce(mc.sentences, []) AS cs
         WITH c, mc, cp, cs,
              CASE $scope WHEN 'PARAGRAPH' THEN [p IN cp WHERE p IN pp] WHEN 'SENTENCE' THEN [s IN cs WHERE s IN ps] ELSE [0] END AS shared
         WHERE size(shared) > 0
         RETURN collect({ companyId: c.id, paragraphs: cp, sentences: cs, evidence: coalesce(mc.evidence, []) }) AS companies,
                reduce(acc = [], x IN collect(shared) | acc + x) AS units,
                reduce(acc = [], x IN collect(cs) | acc + x) AS companySentences
       }
       WITH a, mp, pp, ps, companies, units, companySentences WHERE size(companies) > 0
       WITH a, mp, companies, units,
            CASE $scope WHEN 'PARAGRAPH' THEN ps + companySentences WHEN 'SENTENCE' THEN units ELSE [] END AS wanted
       WITH a, mp, companies, wanted,
            CASE WHEN $scope = 'PARAGRAPH' THEN reduce(m = -1, p IN units | CASE WHEN p > m THEN p ELSE m END) ELSE -1 END AS lastParagraph,
            reduce(m = -1, s IN wanted | CASE WHEN s > m THEN s ELSE m END) AS lastSentence
       RETURN a, mp, companies,
              CASE WHEN lastParagraph >= 0 THEN coalesce(a.paragraphs, [])[0..lastParagraph + 1] ELSE [] END AS paragraphs,
              [i IN range(0, lastSentence) | CASE WHEN i IN wanted THEN coalesce(a.sentences, [])[i] ELSE null END] AS sentences
     }
     RETURN { policyId: pid, articleId: a.id, title: a.title, paragraphs: paragraphs, sentences: sentences,
              policy: { paragraphs: coalesce(mp.paragraphs, []), sentences: coalesce(mp.sentences, []), evidence: coalesce(mp.evidence, []) },
              companies: companies } AS row`;

export async function policyCompanyCoOccurrences(reader: Reader, policyIds: readonly string[], scope: LinkScope): Promise<CoOccurrenceArticle[][]> {
  const rows = await readRows<CoOccurrenceArticle & { policyId: string }>(reader, POLICY_CO_OCCURRENCES, { ids: policyIds, scope, cap: LINK_ARTICLE_CAP });
  return policyIds.map((id) => rows.filter((r) => r.policyId === id));
}
