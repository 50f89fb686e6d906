/** The stock-link shapes feeds use; adapters pick theirs, the generic reader tries them all. */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { RawStockLink } from './types.js';

const SINA_SPAN = /^stock_([a-z]{2}[A-Za-z0-9.]+)$/;

/** Sina: `<span id="stock_sz300959"><a …>线上线下</a></span>`. */
export function sinaSpans($: CheerioAPI): RawStockLink[] {
  const out: RawStockLink[] = [];
  $('span[id^="stock_"]').each((_, el) => {
    const m = SINA_SPAN.exec($(el).attr('id') ?? '');
    if (m) out.push({ el, code: m[1] });
  });
  return out;
}

/** 证券时报网: `<a class="trsHotWords" href="…?stockcode=SS603019" code="603019">中科曙光</a>`. */
export function trsHotWords($: CheerioAPI): RawStockLink[] {
  const out: RawStockLink[] = [];
  $('a.trsHotWords').each((_, el) => {
    const href = /stockcode=([A-Za-z0-9.]+)/.exec($(el).attr('href') ?? '')?.[1];
    const attr = $(el).attr('code')?.trim();
    // The href carries the exchange; the code attribute is the fallback when the href has none.
    out.push({ el, code: href ?? attr ?? '' });
  });
  return out;
}

/** 雪球: `<a href="https://xueqiu.com/S/SH600519">$贵州茅台(SH600519)$</a>`; the name is the cashtag's. */
export function xueqiuCashtags($: CheerioAPI): RawStockLink[] {
  const out: RawStockLink[] = [];
  $('a[href*="xueqiu.com/S/"]').each((_, el) => {
    const code = /xueqiu\.com\/S\/([A-Za-z0-9.]+)/.exec($(el).attr('href') ?? '')?.[1];
    if (!code) return;
    // Keep only the name as link text: `$贵州茅台(SH600519)$` reads as 贵州茅台 in the text.
    const m = /^\$?([^$(（]+)[(（][^)）]*[)）]\$?$/.exec($(el).text().trim());
    if (m) $(el).text(m[1]);
    out.push({
      el: el as Element,
      code: /^\d{5}$/.test(code) ? `hk${code}` : /^[A-Z]+$/.test(code) ? `us${code}` : code,
    });
  });
  return out;
}

/** finviz: ticker links `quote.ashx?t=AAPL`. */
export function finvizTickers($: CheerioAPI): RawStockLink[] {
  const out: RawStockLink[] = [];
  $('a[href*="quote.ashx?t="]').each((_, el) => {
    const t = /quote\.ashx\?t=([A-Za-z.]+)/.exec($(el).attr('href') ?? '')?.[1];
    if (t) out.push({ el, code: `us${t.toUpperCase()}` });
  });
  return out;
}
