/** 中证网 (中国证券报): plain paragraphs, `责任编辑：` at the end (read for every feed). */
import { type FeedSource, hostIs, namedAs } from './types.js';

export const cs: FeedSource = {
  id: 'cs',
  matches: (p) => namedAs(p, '中证网', '中国证券报') || hostIs(p, 'cs.com.cn'),
  stockLinks: () => [],
};
