/**
 * The derived relationships, as pure data (no database): what each article contributes, and how
 * a stored derived row changes when articles are removed from it and added to it.
 *
 *   (:Entity)-[:CO_MENTIONED]->(:Entity)   one per unordered pair, from the lower id to the higher
 *   (:Policy)-[:LINKED_COMPANY]->(:Company) one per policy-company pair seen in one article
 *
 * Counts are sums over articles, so they change by deltas. The lists (most recent shared
 * articles, evidence) are "ranked prefixes": the shortest run of the pair's articles, most recent
 * first, that is enough to answer (5 articles; 10 distinct sentences), or all of them. A write
 * keeps a prefix exact without reading the pair's other articles unless a removal leaves it
 * short (`applyPrefix` says so, and db/derived-write.ts refills it from MENTIONS).
 *
 * The same functions build the rows from scratch (verify, migration), so the incremental path is
 * checked against an add-only build of the same articles.
 */

/** Articles kept per co-mentioned pair (CoMention.articles shows at most 5). */
export const RECENT_ARTICLES = 5;
/** Evidence sentences a linked company shows (LinkedCompany.evidence, at most 10). */
export const EVIDENCE_SENTENCES = 10;
/** Sort key of an undated article: after every dated one (newest first, undated last). */
export const UNDATED_KEY = -4_503_599_627_370_496; // -(2 ** 52): a safe integer below every stored date

export type Scope = 'article' | 'paragraph' | 'sentence';
export const SCOPES: Scope[] = ['article', 'paragraph', 'sentence'];

export interface MentionInput {
  entityId: string;
  count: number;
  paragraphs: number[];
  sentences: number[];
  /** stored mention evidence (ARTICLE-scope evidence of a company) */
  evidence: string[];
}

export interface ArticleInput {
  id: string;
  /** publishedAt as epoch millis, UNDATED_KEY when undated */
  key: number;
  /** null: counts only (a removal needs no sentences) */
  text: { title: string; sentences: string[]; sentenceParagraphs: number[] } | null;
  mentions: MentionInput[];
}

/** One article of a prefix: its id, sort key and what it shows (sentences; none for recent-article lists). */
export interface PrefixEntry {
  a: string;
  k: number;
  s: string[];
}

export interface CoCounts {
  articles: number;
  paragraphs: number;
  sentences: number;
  fromMentions: number;
  toMentions: number;
}

export interface CoRow extends CoCounts {
  from: string;
  to: string;
  recent: PrefixEntry[];
}

export interface LinkScopeRow {
  /** shared units: articles, paragraphs or sentences */
  score: number;
  /** articles that link at this scope */
  links: number;
  evidence: PrefixEntry[];
}

export interface LinkRow {
  policy: string;
  company: string;
  article: LinkScopeRow;
  paragraph: LinkScopeRow;
  sentence: LinkScopeRow;
}

export const typeOf = (entityId: string) => entityId.slice(0, entityId.indexOf(':'));

/** Newest first, undated last, then by id. */
export function byRank(x: { a: string; k: number }, y: { a: string; k: number }): number {
  return y.k - x.k || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0);
}

const intersect = (xs: number[], ys: number[]) => {
  const set = new Set(ys);
  return xs.filter((x) => set.has(x));
};

interface CoContribution extends CoCounts {
  from: string;
  to: string;
  entry: PrefixEntry;
}

interface LinkContribution {
  policy: string;
  company: string;
  /** per scope: shared units, and the sentences shown (null: counts-only input) */
  shared: Record<Scope, number>;
  shows: Record<Scope, string[] | null>;
  key: number;
  articleId: string;
}

/** What one article contributes to every pair of the entities it mentions. */
export function contributions(article: ArticleInput): { co: CoContribution[]; links: LinkContribution[] } {
  const co: CoContribution[] = [];
  const links: LinkContribution[] = [];
  for (const c of contributionSteps(article)) {
    if ('policy' in c) links.push(c);
    else co.push(c);
  }
  return { co, links };
}

/** The contributions one at a time: a long article has tens of thousands of pairs (see deltaSteps). */
function* contributionSteps(article: ArticleInput): Generator<CoContribution | LinkContribution> {
  const ms = [...article.mentions].sort((x, y) => (x.entityId < y.entityId ? -1 : x.entityId > y.entityId ? 1 : 0));
  for (let i = 0; i < ms.length; i++) {
    for (let j = i + 1; j < ms.length; j++) {
      const [x, y] = [ms[i], ms[j]];
      if (x.entityId === y.entityId) continue;
      yield {
        from: x.entityId,
        to: y.entityId,
        articles: 1,
        paragraphs: intersect(x.paragraphs, y.paragraphs).length,
        sentences: intersect(x.sentences, y.sentences).length,
        fromMentions: x.count,
        toMentions: y.count,
        entry: { a: article.id, k: article.key, s: [] },
      };
    }
  }
  for (const p of ms) {
    if (typeOf(p.entityId) !== 'Policy') continue;
    for (const c of ms) {
      if (typeOf(c.entityId) !== 'Company') continue;
      yield linkContribution(article, p, c);
    }
  }
}

/**
 * The linkedCompanies rules (see LinkScope in policies-read.ts): PARAGRAPH links paragraphs both
 * are mentioned in and shows the policy's and company's sentences in them (index -1 is the title);
 * SENTENCE shows the shared sentences; ARTICLE shows the company's stored mention evidence.
 */
function linkContribution(article: ArticleInput, p: MentionInput, c: MentionInput): LinkContribution {
  const sharedParagraphs = intersect(p.paragraphs, c.paragraphs);
  const sharedSentences = intersect(c.sentences, p.sentences);
  const shared = { article: 1, paragraph: sharedParagraphs.length, sentence: sharedSentences.length };
  const shows: Record<Scope, string[] | null> = { article: null, paragraph: null, sentence: null };
  const t = article.text;
  if (t) {
    const sentence = (i: number): string | undefined => (i === -1 ? t.title : t.sentences[i]);
    const paragraphOf = (i: number) => (i === -1 ? -1 : (t.sentenceParagraphs[i] ?? -2));
    const inShared = new Set(sharedParagraphs);
    const indexes = [...new Set([...p.sentences, ...c.sentences])].sort((x, y) => x - y);
    shows.article = [...c.evidence];
    shows.paragraph = indexes
      .filter((i) => inShared.has(paragraphOf(i)))
      .map(sentence)
      .filter((s): s is string => s != null);
    shows.sentence = sharedSentences.map(sentence).filter((s): s is string => s != null);
  }
  return { policy: p.entityId, company: c.entityId, shared, shows, key: article.key, articleId: article.id };
}

// ---- ranked prefixes ----

export type Enough = (entries: PrefixEntry[]) => boolean;
export const enoughArticles: Enough = (entries) => entries.length >= RECENT_ARTICLES;
export const enoughEvidence: Enough = (entries) =>
  distinctSentences(entries, EVIDENCE_SENTENCES).length >= EVIDENCE_SENTENCES;

/** The first `cap` distinct sentences of a prefix, in order: what LinkedCompany.evidence shows. */
export function distinctSentences(entries: PrefixEntry[], cap = EVIDENCE_SENTENCES): string[] {
  const out: string[] = [];
  for (const e of entries) for (const s of e.s) if (out.length < cap && !out.includes(s)) out.push(s);
  return out;
}

export function shortestEnough(entries: PrefixEntry[], enough: Enough): PrefixEntry[] {
  for (let n = 1; n <= entries.length; n++) if (enough(entries.slice(0, n))) return entries.slice(0, n);
  return entries;
}

/**
 * A prefix after removing the articles `removed` and adding `added`, for a set that had
 * `totalBefore` articles. Returns null when the result cannot be known without the pair's other
 * articles (a removal left it short and some articles were never in it): the caller refills.
 */
export function applyPrefix(
  prefix: PrefixEntry[],
  totalBefore: number,
  removed: Set<string>,
  added: PrefixEntry[],
  enough: Enough,
): PrefixEntry[] | null {
  const complete = prefix.length >= totalBefore;
  const merged = [...prefix.filter((e) => !removed.has(e.a)), ...added].sort(byRank);
  if (complete) return shortestEnough(merged, enough);
  // Every article ranked up to the old prefix's end is in `merged`: that part is a true prefix.
  const last = prefix[prefix.length - 1];
  const known = last ? merged.filter((e) => byRank(e, last) <= 0) : [];
  return enough(known) ? shortestEnough(known, enough) : null;
}

/**
 * Evidence is kept compact: the linking articles, newest first, that bring a sentence not seen in
 * a newer one, each with only those new sentences, up to the article that brings the 10th (or all,
 * when there are fewer than 10 distinct). Articles whose sentences all appeared before are not
 * stored: removing one changes nothing; removing a stored one needs a refill (its sentences may
 * come from an article that was not stored).
 */
export function foldEvidence(ranked: PrefixEntry[]): PrefixEntry[] {
  const seen = new Set<string>();
  const out: PrefixEntry[] = [];
  for (const e of ranked) {
    if (seen.size >= EVIDENCE_SENTENCES) break;
    const fresh = [...new Set(e.s)].filter((x) => !seen.has(x));
    for (const x of fresh) seen.add(x);
    if (fresh.length) out.push({ a: e.a, k: e.k, s: fresh });
  }
  return out;
}

export function applyEvidence(stored: PrefixEntry[], removed: Set<string>, added: PrefixEntry[]): PrefixEntry[] | null {
  if (stored.some((e) => removed.has(e.a))) return null;
  const enough = distinctSentences(stored, EVIDENCE_SENTENCES).length >= EVIDENCE_SENTENCES;
  const last = stored[stored.length - 1];
  // past the article that brought the 10th sentence nothing can show (when there is one)
  const useful = enough && last ? added.filter((e) => byRank(e, last) <= 0) : added;
  return foldEvidence([...stored, ...useful].sort(byRank));
}

// ---- rows ----

export const emptyLinkScope = (): LinkScopeRow => ({ score: 0, links: 0, evidence: [] });

export function emptyCoRow(from: string, to: string): CoRow {
  return { from, to, articles: 0, paragraphs: 0, sentences: 0, fromMentions: 0, toMentions: 0, recent: [] };
}

export function emptyLinkRow(policy: string, company: string): LinkRow {
  return { policy, company, article: emptyLinkScope(), paragraph: emptyLinkScope(), sentence: emptyLinkScope() };
}

export const pairKey = (x: string, y: string) => `${x}\u0000${y}`;

/** The change a batch makes to one pair: counts to subtract and add, articles leaving and joining its lists. */
export interface CoDelta {
  from: string;
  to: string;
  minus: CoCounts;
  plus: CoCounts;
  removed: Set<string>;
  added: PrefixEntry[];
}

export interface LinkDelta {
  policy: string;
  company: string;
  minus: Record<Scope, { score: number; links: number }>;
  plus: Record<Scope, { score: number; links: number }>;
  removed: Set<string>;
  added: Record<Scope, PrefixEntry[]>;
}

const zeroCounts = (): CoCounts => ({ articles: 0, paragraphs: 0, sentences: 0, fromMentions: 0, toMentions: 0 });
const zeroScopes = () => ({
  article: { score: 0, links: 0 },
  paragraph: { score: 0, links: 0 },
  sentence: { score: 0, links: 0 },
});

/**
 * The deltas of a batch: `before` are the stored articles as they were (counts only), `after`
 * the articles as they are now (with their text). Every id of either side leaves the pair's lists
 * first, so a changed article is replaced, never doubled.
 */
export function batchDeltas(before: ArticleInput[], after: ArticleInput[]): BatchDeltas {
  const steps = deltaSteps(before, after);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

export interface BatchDeltas {
  co: Map<string, CoDelta>;
  links: Map<string, LinkDelta>;
}

/**
 * batchDeltas one contribution at a time (each `next()` does one pair): the writer runs it on a
 * server's main thread, and pauses between steps so a long article does not hold up other requests.
 */
export function* deltaSteps(before: ArticleInput[], after: ArticleInput[]): Generator<void, BatchDeltas> {
  const co = new Map<string, CoDelta>();
  const links = new Map<string, LinkDelta>();
  const batchIds = new Set([...before, ...after].map((a) => a.id));
  const coDelta = (from: string, to: string) => {
    const k = pairKey(from, to);
    let d = co.get(k);
    if (!d) co.set(k, (d = { from, to, minus: zeroCounts(), plus: zeroCounts(), removed: batchIds, added: [] }));
    return d;
  };
  const linkDelta = (policy: string, company: string) => {
    const k = pairKey(policy, company);
    let d = links.get(k);
    if (!d)
      links.set(
        k,
        (d = {
          policy,
          company,
          minus: zeroScopes(),
          plus: zeroScopes(),
          removed: batchIds,
          added: { article: [], paragraph: [], sentence: [] },
        }),
      );
    return d;
  };
  for (const [side, articles] of [
    ['minus', before],
    ['plus', after],
  ] as const) {
    for (const article of articles) {
      for (const c of contributionSteps(article)) {
        yield;
        if ('policy' in c) {
          const d = linkDelta(c.policy, c.company);
          for (const scope of SCOPES) {
            if (c.shared[scope] === 0) continue;
            d[side][scope].score += c.shared[scope];
            d[side][scope].links += 1;
            if (side === 'plus') d.added[scope].push({ a: c.articleId, k: c.key, s: c.shows[scope] ?? [] });
          }
          continue;
        }
        const d = coDelta(c.from, c.to);
        const counts = d[side];
        counts.articles += c.articles;
        counts.paragraphs += c.paragraphs;
        counts.sentences += c.sentences;
        counts.fromMentions += c.fromMentions;
        counts.toMentions += c.toMentions;
        if (side === 'plus') d.added.push(c.entry);
      }
    }
  }
  return { co, links };
}

/** Applies a delta to a stored row (or an empty one). `null` when a list needs a refill from MENTIONS. */
export function applyCo(row: CoRow, d: CoDelta): { row: CoRow; refill: boolean } {
  const next: CoRow = { ...row };
  for (const f of ['articles', 'paragraphs', 'sentences', 'fromMentions', 'toMentions'] as const)
    next[f] = row[f] - d.minus[f] + d.plus[f];
  const recent = applyPrefix(row.recent, row.articles, d.removed, d.added, enoughArticles);
  next.recent = recent ?? [];
  return { row: next, refill: recent === null };
}

export function applyLink(row: LinkRow, d: LinkDelta): { row: LinkRow; refill: Scope[] } {
  const next: LinkRow = { ...row };
  const refill: Scope[] = [];
  for (const scope of SCOPES) {
    const before = row[scope];
    const evidence = applyEvidence(before.evidence, d.removed, d.added[scope]);
    if (evidence === null) refill.push(scope);
    next[scope] = {
      score: before.score - d.minus[scope].score + d.plus[scope].score,
      links: before.links - d.minus[scope].links + d.plus[scope].links,
      evidence: evidence ?? [],
    };
  }
  return { row: next, refill };
}

export interface DerivedRows {
  co: Map<string, CoRow>;
  links: Map<string, LinkRow>;
}

/** Adds one article to from-scratch rows (no removals, so no refill is ever needed). */
export function addArticle(rows: DerivedRows, article: ArticleInput): void {
  const { co, links } = batchDeltas([], [article]);
  for (const [k, d] of co) rows.co.set(k, applyCo(rows.co.get(k) ?? emptyCoRow(d.from, d.to), d).row);
  for (const [k, d] of links)
    rows.links.set(k, applyLink(rows.links.get(k) ?? emptyLinkRow(d.policy, d.company), d).row);
}

/** From-scratch rows of a set of articles (all with text): the reference `verify` compares against. */
export function buildRows(articles: Iterable<ArticleInput>): DerivedRows {
  const rows: DerivedRows = { co: new Map(), links: new Map() };
  for (const article of articles) addArticle(rows, article);
  return rows;
}

// ---- stored form ----

/**
 * CO_MENTIONED properties. `lastSeen` (a datetime in the graph) travels as epoch millis or null.
 * `pair` (pairKey of the ends) is indexed: the writer finds a row by it in one seek, where matching
 * from an entity walks all of its co-mentions (thousands for 工信部).
 */
export interface CoProps extends CoCounts {
  pair: string;
  recentArticleIds: string[];
  recentKeys: number[];
  lastSeen: number | null;
}

export function coToProps(row: CoRow): CoProps {
  const dated = row.recent.filter((e) => e.k !== UNDATED_KEY);
  return {
    pair: pairKey(row.from, row.to),
    articles: row.articles,
    paragraphs: row.paragraphs,
    sentences: row.sentences,
    fromMentions: row.fromMentions,
    toMentions: row.toMentions,
    recentArticleIds: row.recent.map((e) => e.a),
    recentKeys: row.recent.map((e) => e.k),
    lastSeen: dated.length ? dated[0].k : null,
  };
}

export function coFromProps(from: string, to: string, p: Partial<CoProps>): CoRow {
  const ids = p.recentArticleIds ?? [];
  const keys = p.recentKeys ?? [];
  return {
    from,
    to,
    articles: Number(p.articles ?? 0),
    paragraphs: Number(p.paragraphs ?? 0),
    sentences: Number(p.sentences ?? 0),
    fromMentions: Number(p.fromMentions ?? 0),
    toMentions: Number(p.toMentions ?? 0),
    recent: ids.map((a, i) => ({ a, k: Number(keys[i]), s: [] })),
  };
}

/** LINKED_COMPANY properties: per scope its score, linking articles and evidence prefix (JSON); `pair` as for CoProps. */
export type LinkProps = Record<`${Scope}Score` | `${Scope}Links`, number> &
  Record<`${Scope}Evidence`, string> & { pair: string };

export function linkToProps(row: LinkRow): LinkProps {
  const props = { pair: pairKey(row.policy, row.company) } as Record<string, number | string>;
  for (const scope of SCOPES) {
    props[`${scope}Score`] = row[scope].score;
    props[`${scope}Links`] = row[scope].links;
    props[`${scope}Evidence`] = JSON.stringify(row[scope].evidence.map((e) => ({ a: e.a, k: e.k, s: e.s })));
  }
  return props as LinkProps;
}

export function linkFromProps(policy: string, company: string, p: Partial<LinkProps>): LinkRow {
  const row = emptyLinkRow(policy, company);
  for (const scope of SCOPES) {
    row[scope] = {
      score: Number(p[`${scope}Score`] ?? 0),
      links: Number(p[`${scope}Links`] ?? 0),
      evidence: JSON.parse(p[`${scope}Evidence`] ?? '[]') as PrefixEntry[],
    };
  }
  return row;
}
