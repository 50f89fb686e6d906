/**
 * Each entity's strongest co-mentions, kept on the entity node (`coTopIds`, `coTopArticles`): its
 * CO_MENTIONED partners ranked by shared articles (then id), at most TOP_PARTNERS of them. The
 * neighbourhood reads this list instead of ranking every CO_MENTIONED row of every entity in a
 * ring, so its work grows with the answer, not with how many entities a hub shares articles with.
 *
 * Pure data here; db/derived-write.ts keeps the lists in step with the rows, and
 * db/derived-verify.ts rebuilds and checks them from the rows.
 */

/** The most a neighbourhood asks of one entity (its node limit, MAX_NEIGHBOURHOOD in schema/types/graph.ts). */
export const TOP_PARTNERS = 200;

/** A ranked list: partner ids and their shared-article counts, strongest first. */
export interface TopList {
  ids: string[];
  articles: number[];
}

/** A partner's shared-article count before and after a write (0: no row). */
export interface PartnerChange {
  partner: string;
  before: number;
  after: number;
}

export const emptyTop = (): TopList => ({ ids: [], articles: [] });

/** The TOP_PARTNERS strongest of `partners` ([id, shared articles]): more articles first, then the lower id. */
export function rankTop(partners: Iterable<[string, number]>): TopList {
  const ranked = [...partners]
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, TOP_PARTNERS);
  return { ids: ranked.map(([id]) => id), articles: ranked.map(([, n]) => n) };
}

/**
 * The list after `changes`, from the stored list alone when that is exact, or null when the entity's
 * rows must be ranked again. Exact when the stored list holds every partner (shorter than
 * TOP_PARTNERS), or when no listed partner lost articles: a partner outside a full list ranked below
 * all listed ones, and gains of others cannot lift it above them.
 */
export function updateTop(stored: TopList, changes: PartnerChange[]): TopList | null {
  const full = stored.ids.length >= TOP_PARTNERS;
  const partners = new Map(stored.ids.map((id, i) => [id, stored.articles[i]] as [string, number]));
  for (const c of changes) {
    if (full && c.after < c.before && partners.has(c.partner)) return null;
    if (c.after > 0 && (c.after >= c.before || partners.has(c.partner) || !full)) partners.set(c.partner, c.after);
    else partners.delete(c.partner);
  }
  return rankTop(partners);
}
