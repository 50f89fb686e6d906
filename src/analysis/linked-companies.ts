/**
 * Scores how strongly companies are tied to a policy by co-occurrence in articles, at the
 * granularity the analyst asks for, and picks the sentences that show it.
 *   ARTICLE:   both mentioned in the same article; one unit per article.
 *   PARAGRAPH: both mentioned in the same paragraph; one unit per shared paragraph.
 *   SENTENCE:  both mentioned in the same sentence; one unit per shared sentence.
 * The API runs these rules in Cypher (`POLICY_LINKS` in src/db/policies-read.ts), so only the
 * final rows leave Neo4j; `linkCompanies` is the reference implementation they were checked
 * against (same scores, articles, order and evidence for all 92 policies x 3 scopes of the
 * 10,000-article benchmark graph).
 */
import { splitSentences } from '../ingest/text.js';

export type LinkScope = 'ARTICLE' | 'PARAGRAPH' | 'SENTENCE';

export interface MentionSites {
  paragraphs: number[];
  sentences: number[];
  evidence: string[];
}

export interface CoOccurrenceArticle {
  articleId: string;
  title: string;
  /** the article's paragraphs, or (as read for linking) those up to the last shared one */
  paragraphs: string[];
  /** the article's sentences; as read for linking, only those that can be evidence (others null) */
  sentences: (string | null)[];
  policy: MentionSites;
  companies: (MentionSites & { companyId: string })[];
}

export interface LinkedCompany {
  companyId: string;
  score: number;
  articleIds: string[];
  evidence: string[];
}

/** Evidence sentences kept per company: enough to judge the link, bounded for hub companies. */
export const LINK_EVIDENCE_CAP = 10;

export function linkCompanies(articles: CoOccurrenceArticle[], scope: LinkScope): LinkedCompany[] {
  const byCompany = new Map<string, LinkedCompany>();
  for (const article of articles) {
    const paragraphOf = scope === 'PARAGRAPH' ? sentenceParagraphs(article.paragraphs) : [];
    const text = (i: number) => (i === -1 ? article.title : article.sentences[i]);
    for (const company of article.companies) {
      const link = linkInArticle(scope, article.policy, company, paragraphOf);
      if (!link) continue;
      const entry = byCompany.get(company.companyId) ?? { companyId: company.companyId, score: 0, articleIds: [], evidence: [] };
      entry.score += link.units;
      entry.articleIds.push(article.articleId);
      const sentences = link.sentences ? link.sentences.map(text).filter((s): s is string => !!s) : company.evidence;
      for (const s of sentences) if (entry.evidence.length < LINK_EVIDENCE_CAP && !entry.evidence.includes(s)) entry.evidence.push(s);
      byCompany.set(company.companyId, entry);
    }
  }
  return [...byCompany.values()].sort(byStrength);
}

/** Strongest first: score, then linking articles, then company id. */
export function byStrength(a: LinkedCompany, b: LinkedCompany): number {
  return b.score - a.score || b.articleIds.length - a.articleIds.length || a.companyId.localeCompare(b.companyId);
}

/** Units of co-occurrence in one article and the sentence indexes that show them (undefined: use the company's evidence). */
function linkInArticle(scope: LinkScope, policy: MentionSites, company: MentionSites, paragraphOf: number[]): { units: number; sentences?: number[] } | null {
  if (scope === 'ARTICLE') return { units: 1 };
  if (scope === 'SENTENCE') {
    const shared = intersect(policy.sentences, company.sentences);
    return shared.length ? { units: shared.length, sentences: shared } : null;
  }
  const shared = intersect(policy.paragraphs, company.paragraphs);
  if (!shared.length) return null;
  const inShared = (i: number) => shared.includes(i === -1 ? -1 : (paragraphOf[i] ?? -2));
  const sentences = [...new Set([...policy.sentences, ...company.sentences])].filter(inShared).sort((a, b) => a - b);
  return { units: shared.length, sentences };
}

/** paragraph index of each body sentence, split the same way ingestion split them */
export function sentenceParagraphs(paragraphs: string[]): number[] {
  return paragraphs.flatMap((p, pi) => splitSentences(p).map(() => pi));
}

function intersect(a: number[], b: number[]): number[] {
  const set = new Set(b);
  return [...new Set(a)].filter((x) => set.has(x)).sort((x, y) => x - y);
}
