/** 格隆汇: codes written after names, `海油发展（600968.SH）` (read by extract/stock.ts), video-only paragraphs. */
import { type FeedSource, hostIs, namedAs } from './types.js';

export const gelonghui: FeedSource = {
  id: 'gelonghui',
  matches: (p) => namedAs(p, '格隆汇') || hostIs(p, 'gelonghui.com'),
  stockLinks: () => [],
  strip: ($) => $('video').remove(),
  boilerplate: [/^（?来源[:：]格隆汇/],
};
