/** Read queries for policy analysis: finding policies by name and their co-occurring companies. */
import { distinctSentences, type PrefixEntry, type Scope, UNDATED_KEY } from './derived-model.js';
import { type EntityRow, entityRow, type RawEntity, toEntityRow } from './entities-read.js';
import { type Reader, readRows } from './read.js';

/**
 * How strongly companies are tied to a policy by co-occurrence in articles, at the
 * granularity the analyst asks for, with the sentences that show it:
 *   ARTICLE:   both mentioned in the same article; one unit per article.
 *   PARAGRAPH: both mentioned in the same paragraph; one unit per shared paragraph.
 *   SENTENCE:  both mentioned in the same sentence; one unit per shared sentence.
 * The rules run at ingest (db/derived-model.ts, stored as LINKED_COMPANY), so a read returns what
 * was stored; tests/integration/linked-companies.test.ts pins them down.
 */
export type LinkScope = 'ARTICLE' | 'PARAGRAPH' | 'SENTENCE';

export interface LinkedCompany {
  policyId: string;
  companyId: string;
  scope: LinkScope;
  score: number;
  /** articles that link them at this scope */
  articleCount: number;
  evidence: string[];
  /** the company, read with the link (it primes the entity loader) */
  company: EntityRow;
}

/** Evidence sentences kept per company: enough to judge the link, bounded for hub companies. */
export const LINK_EVIDENCE_CAP = 10;

/** Strongest first: score, then linking articles, then company id (by code point, as Cypher orders strings). */
export function byStrength(a: LinkedCompany, b: LinkedCompany): number {
  return (
    b.score - a.score ||
    b.articleCount - a.articleCount ||
    (a.companyId < b.companyId ? -1 : a.companyId > b.companyId ? 1 : 0)
  );
}

/**
 * Policies whose name or alias contains the text, most-mentioned first (offset paging), as entity
 * rows. MENTIONS start at articles only: the count is the node's degree, with no label check on
 * every article.
 */
export async function policiesByName(
  reader: Reader,
  args: { nameContains: string | null; offset: number; limit: number },
): Promise<EntityRow[]> {
  const rows = await readRows<RawEntity>(
    reader,
    `MATCH (p:Policy)
     WHERE $text IS NULL OR p.name CONTAINS $text OR any(a IN coalesce(p.aliases, []) WHERE a CONTAINS $text)
     WITH p, COUNT { ()-[:MENTIONS]->(p) } AS articles
     ORDER BY articles DESC, p.id
     SKIP $offset LIMIT $limit
     RETURN ${entityRow('p')} AS row`,
    { text: args.nameContains || null, offset: args.offset, limit: args.limit },
  );
  return rows.map(toEntityRow);
}

/**
 * Per policy, its `$limit` strongest linked companies as stored at ingest (LINKED_COMPANY,
 * db/derived-model.ts): the scores, the number of linking articles and the evidence prefix, so the
 * read is one index seek and one expansion per policy whatever the number of articles behind it (no
 * article is read), and only the companies shown are projected (a hub policy links hundreds). The
 * rules are those documented at `LinkScope`; evidence is the first `LINK_EVIDENCE_CAP` distinct
 * sentences of the linking articles, newest first (undated last). Ranked as `byStrength`.
 */
export const POLICY_LINKS = `UNWIND $ids AS pid
     CALL (pid) {
       MATCH (p:Policy {id: pid})-[l:LINKED_COMPANY]->(c:Company) USING INDEX p:Policy(id)
       WITH c, l, l[$score] AS score, l[$links] AS links
       WHERE links > 0
       ORDER BY score DESC, links DESC, c.id
       LIMIT $limit
       // the evidence (the largest property) is read for the companies shown only
       RETURN { policyId: pid, companyId: c.id, score: score, articleCount: links, evidence: l[$evidence],
                company: ${entityRow('c')} } AS row
     }
     RETURN row`;

const SCOPE_KEY: Record<LinkScope, Scope> = { ARTICLE: 'article', PARAGRAPH: 'paragraph', SENTENCE: 'sentence' };

export async function policyLinkedCompanies(
  reader: Reader,
  policyIds: readonly string[],
  scope: LinkScope,
  limit: number,
): Promise<LinkedCompany[][]> {
  const key = SCOPE_KEY[scope];
  const rows = await readRows<
    Omit<LinkedCompany, 'evidence' | 'scope' | 'company'> & { policyId: string; evidence: string; company: RawEntity }
  >(reader, POLICY_LINKS, {
    ids: policyIds,
    score: `${key}Score`,
    links: `${key}Links`,
    evidence: `${key}Evidence`,
    limit,
  });
  const byPolicy = new Map<string, LinkedCompany[]>(policyIds.map((id) => [id, []]));
  for (const { evidence, company, ...link } of rows) {
    const entries = JSON.parse(evidence) as PrefixEntry[];
    byPolicy.get(link.policyId)?.push({
      ...link,
      company: toEntityRow(company),
      scope,
      score: Number(link.score),
      articleCount: Number(link.articleCount),
      evidence: distinctSentences(entries, LINK_EVIDENCE_CAP),
    });
  }
  return policyIds.map((id) => byPolicy.get(id)!.sort(byStrength));
}

export interface LinkArticlesKey {
  policyId: string;
  companyId: string;
  scope: LinkScope;
}

/**
 * The articles linking each policy-company pair at a scope, newest first (undated last): read only
 * when a query asks for LinkedCompany.articles; the walk is over the articles mentioning both.
 */
export const LINK_ARTICLES = `UNWIND range(0, size($keys) - 1) AS i
     WITH i, $keys[i] AS key
     CALL (key) {
       MATCH (p:Policy {id: key.policyId})<-[mp:MENTIONS]-(a:Article)-[mc:MENTIONS]->(c:Company {id: key.companyId})
       WHERE key.scope = 'ARTICLE'
          OR (key.scope = 'PARAGRAPH' AND any(x IN coalesce(mc.paragraphs, []) WHERE x IN coalesce(mp.paragraphs, [])))
          OR (key.scope = 'SENTENCE' AND any(x IN coalesce(mc.sentences, []) WHERE x IN coalesce(mp.sentences, [])))
       WITH a ORDER BY coalesce(a.publishedAt.epochMillis, $undated) DESC, a.id
       RETURN collect(a.id) AS ids
     }
     RETURN { i: i, ids: ids } AS row`;

export async function linkArticles(reader: Reader, keys: readonly LinkArticlesKey[]): Promise<string[][]> {
  const rows = await readRows<{ i: number; ids: string[] }>(reader, LINK_ARTICLES, { keys, undated: UNDATED_KEY });
  const byIndex = new Map(rows.map((r) => [Number(r.i), r.ids]));
  return keys.map((_, i) => byIndex.get(i) ?? []);
}
