/** 新浪财经: `stock_` spans around stock names, the QR/app footer, `.article-editor`, 原标题 / 责任编辑 lines. */
import { sinaSpans } from './links.js';
import { type FeedSource, hostIs, namedAs } from './types.js';

export const sina: FeedSource = {
  id: 'sina',
  matches: (p) => namedAs(p, '新浪财经') || hostIs(p, 'sina.com.cn', 'sina.cn') || /<span id="stock_[a-z]/.test(p.html),
  stockLinks: sinaSpans,
  strip: ($) => $('.appendQr_wrap').remove(),
  // 炒股就看金麒麟分析师研报… : the feed's own advertisement, above many articles.
  boilerplate: [/^炒股就看.{0,20}金麒麟/, /^海量资讯、精准解读，尽在新浪财经APP/],
};
