/**
 * 证券时报网: `trsHotWords` links on stock names. They are the least reliable links of all feeds
 * (split names, cities, SS60702-style codes), so each is checked like any other (extract/stock-links.ts).
 */
import { trsHotWords } from './links.js';
import { type FeedSource, hostIs, namedAs } from './types.js';

export const stcn: FeedSource = {
  id: 'stcn',
  matches: (p) => namedAs(p, '证券时报网', '证券时报') || hostIs(p, 'stcn.com') || /class="trsHotWords"/.test(p.html),
  stockLinks: trsHotWords,
  boilerplate: [/^（?本文来源[:：]?证券时报/],
};
