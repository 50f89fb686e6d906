/** Stocks from the page's stock hints (Sina `stock_` spans and keyword comment) and inline codes like 600519.SH. */

import type { Doc, Mention } from './doc.js';
import { mention } from './doc.js';
import { listingByCode, namesOf } from './listings.js';

export interface StockFound {
  code: string;
  name: string;
  mentions: Mention[];
  /** the name is the listed company's, written right before its code (海油发展（600968.SH）): a company for sure */
  nameBesideCode?: boolean;
}

const CODE = /^(sh|sz|bj|hk|us)[A-Za-z0-9.]+$/i;
/** 600519.SH / 00700.HK / (300959.SZ) written in the text */
const INLINE = /(\d{6})\.(SH|SZ|BJ)|(\d{5})\.HK/gi;
/** 天风期货（834277）: a bare A-share code in brackets right after a name; 每经 writes 兆易创新（603986，SH）. */
const BARE_CODE = /[（(]((?:60|68|00|30|83|87|43|92)\d{4})(?:[，,]\s*(SH|SZ|BJ))?[）)]/gi;
const exchangeOf = (code: string) => (/^6/.test(code) ? 'sh' : /^[0-3]/.test(code) ? 'sz' : 'bj');

export function normaliseCode(raw: string): string | undefined {
  const c = raw.trim();
  if (!CODE.test(c)) return undefined;
  const ex = c.slice(0, 2).toLowerCase();
  // US tickers keep their case (usBABA); others are digits.
  return ex + (ex === 'us' ? c.slice(2).toUpperCase() : c.slice(2).toLowerCase());
}

export function findStocks(doc: Doc): StockFound[] {
  const byCode = new Map<string, StockFound>();
  for (const h of doc.hints.stocks) {
    // A keyword comment can join several codes with `&`.
    for (const part of h.code.split(/[&,\s]+/)) {
      const code = normaliseCode(part);
      if (!code) continue;
      const known = byCode.get(code);
      if (!known) byCode.set(code, { code, name: h.name.trim(), mentions: [] });
      else if (!known.name && h.name.trim()) known.name = h.name.trim();
    }
  }
  doc.sentences.forEach((s, i) => {
    for (const m of s.text.matchAll(INLINE)) {
      const code = m[1] ? m[2].toLowerCase() + m[1] : `hk${m[3]}`;
      if (!byCode.has(code)) byCode.set(code, { code, name: '', mentions: [] });
      const known = byCode.get(code)!;
      // 海油发展（600968.SH）: the listed short name written right before the bracketed code names the company
      if (!known.name) {
        known.name = listedNameBefore(s.text, m.index!, code);
        known.nameBesideCode = known.name !== '';
      }
      known.mentions.push(mention('Stock', i, m.index!, m[0], 3));
    }
    for (const m of s.text.matchAll(BARE_CODE)) {
      const code = (m[2] ? m[2].toLowerCase() : exchangeOf(m[1])) + m[1];
      const toks = doc.tokens(i).filter((k) => k.end <= m.index!);
      // the name: the last one or two words before the bracket (天风/期货)
      const last = toks.slice(-2).filter((k) => /^[\u4e00-\u9fffA-Za-z]+$/.test(k.word));
      const name = last.length === 2 && last[1].end === m.index! ? last[0].word + last[1].word : '';
      const known = byCode.get(code);
      if (!known) byCode.set(code, { code, name, mentions: [] });
      else if (!known.name) known.name = name;
      byCode.get(code)!.mentions.push(mention('Stock', i, m.index! + 1, m[1], 3));
    }
  });
  for (const st of byCode.values()) {
    if (!st.name) continue;
    doc.sentences.forEach((s, i) => {
      let at = s.text.indexOf(st.name);
      while (at >= 0) {
        st.mentions.push(mention('Stock', i, at, st.name, 3));
        at = s.text.indexOf(st.name, at + st.name.length);
      }
    });
  }
  return [...byCode.values()];
}

/** The listed company's short (or former) name ending just before a bracket that holds its code, or ''. */
function listedNameBefore(text: string, codeAt: number, code: string): string {
  const bracket = text[codeAt - 1];
  if (bracket !== '（' && bracket !== '(') return '';
  const listing = listingByCode(code);
  if (!listing) return '';
  const before = text.slice(0, codeAt - 1);
  return namesOf(listing).find((n) => n && before.endsWith(n)) ?? '';
}
