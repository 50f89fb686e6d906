/**
 * Stock links are evidence, not truth. A link is accepted as a Stock mention only when its code is
 * well formed (or can be repaired from its name), the code is listed under the linked name, and the
 * linked text is a word of its own in the sentence (not 海洋王 inside 海洋王国, not 中国银行 inside
 * 中国银行业监督管理委员会, not a place). A listed name that markup split (山西 + 太钢不锈 + 钢…) is
 * joined back. Every refusal is kept with its reason for the ingest report.
 */
import { isIndexCode, normaliseStockCode } from '../stock-code.js';
import type { PageHints, StockHint, StockLink, StockLinkReview } from '../types.js';
import { MEDIA } from './lexicon.js';
import { isPlaceName, type Listing, listingByCode, listingKey, listingsNamed, namesOf } from './listings.js';
import { tokenize } from './segment.js';

/** Characters of context either side that segmentation looks at (enough for any word around a name). */
const WINDOW = 8;
/** A listed name may run on into its company form: 伊利股份 + 有限公司, 东方财富 + 证券. */
/** A listed media company cited as the source of a report (据新华网报道) is a source, not a stock mention. */
const CITED_BEFORE = /(?:据|来源[:：]?|援引|转自|综合)$/;
const CITED_AFTER = /^(?:报道|消息|讯|记者|客户端|援引|获悉|发布的|[0-9０-９一二三四五六七八九十]+月)/;
const CONTINUATION = /^(?:股份|有限|集团|控股|公司|证券|银行|保险|科技|A股|B股|H股|[（(])/;

export interface ReviewedHints {
  hints: PageHints;
  review: StockLinkReview;
}

/**
 * The hints with `stocks` replaced by what survives review. Pages without `stockLinks` (hand-built
 * hints) are returned as they are: nothing to check their codes against.
 */
export function reviewStockHints(paragraphs: string[], hints: PageHints): ReviewedHints | undefined {
  if (!hints.stockLinks) return undefined;
  const review: StockLinkReview = { accepted: [], rejected: [] };
  const accepted = new Map<string, StockHint>();
  const refusedCodes = new Set<string>();
  const links = hints.stockLinks;
  for (const link of links) {
    const v = reviewLink(paragraphs, link, links);
    if (!v.ok) {
      // An empty link (a span wrapping nothing) is no evidence either way: its code counts as listed without a link.
      if (v.reason === 'empty') continue;
      if (v.code) refusedCodes.add(v.code);
      review.rejected.push({ code: link.code, name: link.name, reason: v.reason });
      continue;
    }
    review.accepted.push({ code: v.code, name: v.name, ...(v.note ? { note: v.note } : {}) });
    const known = accepted.get(v.code);
    if (!known) accepted.set(v.code, { code: v.code, name: v.name });
    else if (!known.name) known.name = v.name;
  }
  // Codes the page lists without a link (Sina's keyword comment, an empty span): kept when listed,
  // unless every link of that code was refused.
  for (const h of hints.stocks) {
    for (const part of h.code.split(/[&,\s]+/).filter(Boolean)) {
      const code = normaliseStockCode(part);
      if (!code) {
        review.rejected.push({ code: part, name: '', reason: `malformed code ${part}` });
        continue;
      }
      if (accepted.has(code)) continue;
      if (refusedCodes.has(code)) continue; // its link was refused: the keyword list repeats the same wrong markup
      if (code.startsWith('sh') || code.startsWith('sz') || code.startsWith('bj')) {
        if (!isIndexCode(code) && !listingByCode(code)) {
          review.rejected.push({ code: part, name: '', reason: `code ${code} is not a listed company` });
          continue;
        }
      }
      accepted.set(code, { code, name: '' });
      review.accepted.push({ code, name: '', note: 'listed without a link' });
    }
  }
  return { hints: { ...hints, stocks: [...accepted.values()], stockLinks: undefined }, review };
}

type Verdict = { ok: true; code: string; name: string; note?: string } | { ok: false; code?: string; reason: string };

function reviewLink(paragraphs: string[], link: StockLink, all: StockLink[]): Verdict {
  const text = paragraphs[link.paragraph] ?? '';
  const name = link.name.trim();
  let code = normaliseStockCode(link.code);
  let note: string | undefined;
  if (!code) {
    // A malformed code (SS60702) with a name that is one listed company: repaired, and said so.
    const named = name ? listingsNamed(name) : [];
    if (named.length !== 1) return { ok: false, reason: `malformed code ${link.code}` };
    code = named[0].code;
    note = `code ${link.code} repaired from the name`;
  }
  if (!name) return { ok: false, code, reason: 'empty' };
  if (/^(?:sh|sz|bj)/.test(code) && !isIndexCode(code)) {
    const listing = listingByCode(code);
    if (!listing) return { ok: false, code, reason: `code ${code} is not a listed company` };
    // A listed name of this company that covers the link: the name markup split, joined back.
    const joined = coveringName(text, link, listing);
    if (joined)
      return { ok: true, code, name: listing.short, note: note ?? (joined !== name ? `joined ${joined}` : undefined) };
    if (!namesOf(listing).some((n) => listingKey(n) === listingKey(name) || listingKey(n) === `${listingKey(name)}A`)) {
      // (万科 for 万科A: the text drops the share class the short name carries)
      if (isPlaceName(name)) return { ok: false, code, reason: 'place name' };
      return { ok: false, code, reason: `name does not match the listing (${code} is ${listing.short})` };
    }
  } else if (isPlaceName(name)) {
    return { ok: false, code, reason: 'place name' };
  }
  if (
    MEDIA.has(name) &&
    (CITED_BEFORE.test(text.slice(Math.max(0, link.start - 3), link.start)) ||
      CITED_AFTER.test(text.slice(link.end, link.end + 4)))
  ) {
    return { ok: false, code, reason: 'cited as a news source' };
  }
  const inside = insideLongerWord(text, link, all);
  if (inside) return { ok: false, code, reason: `inside a longer word (${inside})` };
  return { ok: true, code, name, note };
}

/** A listed name of `listing`, longer than the link, that the text holds around the link. */
function coveringName(text: string, link: StockLink, listing: Listing): string | undefined {
  for (const n of namesOf(listing).sort((a, b) => b.length - a.length)) {
    if (n.length <= link.end - link.start) continue;
    const from = Math.max(0, link.end - n.length);
    let at = text.indexOf(n, from);
    while (at >= 0 && at <= link.start) {
      if (at + n.length >= link.end) return n;
      at = text.indexOf(n, at + 1);
    }
  }
  return undefined;
}

/**
 * The longer word the linked text sits inside, if any: a segmentation token that crosses the link's
 * start or end. A neighbouring link's edge counts as a boundary (two links side by side), and a
 * company-form continuation (股份, 有限公司, 证券 ...) does not make a longer word.
 */
function insideLongerWord(text: string, link: StockLink, all: StockLink[]): string | undefined {
  const from = Math.max(0, link.start - WINDOW);
  const to = Math.min(text.length, link.end + WINDOW);
  const window = text.slice(from, to);
  const s = link.start - from;
  const e = link.end - from;
  const neighbourAt = (pos: number) =>
    all.some((o) => o !== link && o.paragraph === link.paragraph && (o.end === pos || o.start === pos));
  // Latin letters and digits glued to the name: ABC inside ABCD.
  if (
    /[A-Za-z0-9]/.test(text[link.start - 1] ?? '') &&
    /[A-Za-z0-9]/.test(text[link.start] ?? '') &&
    !neighbourAt(link.start)
  )
    return text.slice(link.start - 1, link.end);
  if (
    /[A-Za-z0-9]/.test(text[link.end] ?? '') &&
    /[A-Za-z0-9]/.test(text[link.end - 1] ?? '') &&
    !neighbourAt(link.end)
  )
    return text.slice(link.start, link.end + 1);
  // Dictionary words only: jieba's guesses for unknown words (投非, 如美) are no evidence of a longer word.
  for (const t of tokenize(window, false)) {
    // Across the start only a word that holds the whole name counts (南太平洋): 和美/的 must not refuse 美的.
    const crossesStart = t.start < s && t.end >= e && !neighbourAt(link.start);
    const crossesEnd = t.start < e && t.end > e && !neighbourAt(link.end) && !CONTINUATION.test(window.slice(e));
    if (crossesStart || crossesEnd) return window.slice(Math.min(t.start, s), Math.max(t.end, e));
  }
  return undefined;
}
