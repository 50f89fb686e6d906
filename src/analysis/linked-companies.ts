/**
 * How strongly companies are tied to a policy by co-occurrence in articles, at the
 * granularity the analyst asks for, with the sentences that show it:
 *   ARTICLE:   both mentioned in the same article; one unit per article.
 *   PARAGRAPH: both mentioned in the same paragraph; one unit per shared paragraph.
 *   SENTENCE:  both mentioned in the same sentence; one unit per shared sentence.
 * The rules run in Cypher (`POLICY_LINKS` in src/db/policies-read.ts), so only the final
 * rows leave Neo4j; tests/integration/linked-companies.test.ts pins them down.
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
