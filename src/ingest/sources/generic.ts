/** Any other page: every known stock-link shape is tried (each link is still checked before use). */
import { finvizTickers, sinaSpans, trsHotWords, xueqiuCashtags } from './links.js';
import type { FeedSource } from './types.js';

export const generic: FeedSource = {
  id: 'generic',
  matches: () => true,
  stockLinks: ($) => [...sinaSpans($), ...trsHotWords($), ...xueqiuCashtags($), ...finvizTickers($)],
};
