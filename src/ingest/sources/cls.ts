/**
 * 财联社: 深度 articles in paragraphs; 电报 posts as plain text in the body div, `【headline】财联社X月X日电，…`,
 * sometimes a numbered list `1、… 2、…` one item per line (the generic line split keeps them apart).
 */
import { type FeedSource, hostIs, namedAs } from './types.js';

export const cls: FeedSource = {
  id: 'cls',
  matches: (p) => namedAs(p, '财联社') || hostIs(p, 'cls.cn'),
  stockLinks: () => [],
  boilerplate: [/^（?(?:文章)?来源[:：]财联社）?$/],
};
