/** Read queries for policy analysis: finding policies by name and their co-occurring companies. */
import { readRows, type Reader } from './read.js';

/**
 * How strongly companies are tied to a policy by co-occurrence in articles, at the
 * granularity the analyst asks for, with the sentences that show it:
 *   ARTICLE:   both mentioned in the same article; one unit per article.
 *   PARAGRAPH: both mentioned in the same paragraph; one unit per shared paragraph.
 *   SENTENCE:  both mentioned in the same sentence; one unit per shared sentence.
 * The rules run in Cypher (`POLICY_LINKS` below), so only the final rows leave Neo4j;
 * tests/integration/linked-companies.test.ts pins them down.
 */
export type LinkScope = 'ARTICLE' | 'PARAGRAPH' | 'SENTENCE';

export interface LinkedCompany {
  companyId: string;
  score: number;
  articleIds: string[];
  evidence: string[];
}

/** Evidence sentences kept per company: enough to judge the link, bounded for hub companies. */
export const LINK_EVIDENCE_CAP = 10;

/** Strongest first: score, then linking articles, then company id. */
export function byStrength(a: LinkedCompany, b: LinkedCompany): number {
  return b.score - a.score || b.articleIds.length - a.articleIds.length || a.companyId.localeCompare(b.companyId);
}

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
 * Per policy, the linked companies scored and with their evidence, all in Cypher (the same
 * rules documented at `LinkScope` above):
 * only the final rows travel, no article text. Articles store `sentenceParagraphs` (paragraph
 * of each sentence) and mentions their `paragraphs` and `sentences` (indexes, -1 = the title;
 * stored as floats, hence `toInteger` before indexing), so PARAGRAPH scope is the intersection
 * of the two mentions' paragraphs, and its evidence the
 * policy's and the company's sentences in those paragraphs, in article order. At PARAGRAPH and
 * SENTENCE scope evidence is taken from the company's `$evidenceArticles` most recent linking
 * articles (on the 10,000-article benchmark graph: the same evidence as scanning all of them, for
 * all 92 policies); at ARTICLE scope it is the stored mention evidence of all of them.
 */
export const POLICY_LINKS = `UNWIND $ids AS pid
     CALL (pid) {
       MATCH (p:Policy {id: pid})<-[mp:MENTIONS]-(a:Article) USING INDEX p:Policy(id)
       MATCH (a)-[mc:MENTIONS]->(c:Company)
       // the cap counts articles with at least one company: group them first, then cut
       WITH a, mp, collect([c, mc]) AS mentioned
       ORDER BY a.publishedAt DESC, a.id LIMIT $cap
       WITH a, coalesce(mp.paragraphs, []) AS pp, coalesce(mp.sentences, []) AS ps, mentioned
       UNWIND mentioned AS cm
       WITH a, pp, ps, cm[0] AS c, cm[1] AS mc
       // only the property the scope compares is read here; the rest only for the evidence links
       WITH a, ps, c, mc,
            CASE $scope WHEN 'PARAGRAPH' THEN [x IN coalesce(mc.paragraphs, []) WHERE x IN pp]
                        WHEN 'SENTENCE' THEN [x IN coalesce(mc.sentences, []) WHERE x IN ps]
                        ELSE [0] END AS shared
       WHERE size(shared) > 0
       WITH c, collect({ a: a, ps: ps, mc: mc, shared: shared }) AS links
       RETURN c.id AS companyId, reduce(n = 0, l IN links | n + size(l.shared)) AS score, [l IN links | l.a.id] AS articleIds,
              CASE $scope WHEN 'ARTICLE' THEN links ELSE links[0..$evidenceArticles] END AS evidenceLinks
     }
     CALL (evidenceLinks) {
       UNWIND evidenceLinks AS l
       // the article's lists are read once per link, not once per index inside the comprehensions
       // (at ARTICLE scope only the stored mention evidence is used: no article text is read)
       WITH l, $scope = 'ARTICLE' AS stored
       WITH l, CASE WHEN stored THEN null ELSE l.a.title END AS title, CASE WHEN stored THEN [] ELSE coalesce(l.a.sentences, []) END AS ss,
            CASE WHEN stored THEN [] ELSE coalesce(l.a.sentenceParagraphs, []) END AS sp, CASE WHEN stored THEN [] ELSE coalesce(l.mc.sentences, []) END AS cs
       WITH CASE $scope
              WHEN 'ARTICLE' THEN coalesce(l.mc.evidence, [])
              WHEN 'SENTENCE' THEN [i IN l.shared | CASE WHEN i = -1 THEN title ELSE ss[toInteger(i)] END]
              ELSE [i IN range(-1, toInteger(reduce(m = -1, x IN l.ps + cs | CASE WHEN x > m THEN x ELSE m END)))
                    WHERE (i IN l.ps OR i IN cs) AND (CASE WHEN i = -1 THEN -1 ELSE coalesce(sp[i], -2) END) IN l.shared
                    | CASE WHEN i = -1 THEN title ELSE ss[i] END]
            END AS sentences
       RETURN reduce(acc = [], list IN collect(sentences) | CASE WHEN size(acc) >= $evidenceCap THEN acc ELSE
                reduce(acc2 = acc, s IN list | CASE WHEN s IS NULL OR s IN acc2 OR size(acc2) >= $evidenceCap THEN acc2 ELSE acc2 + s END) END) AS evidence
     }
     RETURN { policyId: pid, companyId: companyId, score: score, articleIds: articleIds, evidence: evidence } AS row`;

/** Linking articles per company whose sentences are considered for its evidence. */
export const LINK_EVIDENCE_ARTICLES = 20;

export async function policyLinkedCompanies(reader: Reader, policyIds: readonly string[], scope: LinkScope): Promise<LinkedCompany[][]> {
  const rows = await readRows<LinkedCompany & { policyId: string }>(reader, POLICY_LINKS, {
    ids: policyIds,
    scope,
    cap: LINK_ARTICLE_CAP,
    evidenceArticles: LINK_EVIDENCE_ARTICLES,
    evidenceCap: LINK_EVIDENCE_CAP,
  });
  const byPolicy = new Map<string, LinkedCompany[]>(policyIds.map((id) => [id, []]));
  for (const { policyId, ...link } of rows) byPolicy.get(policyId)?.push(link);
  return policyIds.map((id) => byPolicy.get(id)!.sort(byStrength));
}
