/** 雪球: cashtag links `$贵州茅台(SH600519)$` to xueqiu.com/S/<code>. */
import { xueqiuCashtags } from './links.js';
import { type FeedSource, hostIs, namedAs } from './types.js';

export const xueqiu: FeedSource = {
  id: 'xueqiu',
  matches: (p) => namedAs(p, '雪球') || hostIs(p, 'xueqiu.com'),
  stockLinks: xueqiuCashtags,
};
