/**
 * 每经网 (每日经济新闻): the editor line `每经编辑 X` on top, template comments (`<!-- 正文 -->`),
 * commented-out labels (重磅原创), the App disclaimer and the cover-image credit at the end.
 */
import { type FeedSource, hostIs, namedAs } from './types.js';

export const nbd: FeedSource = {
  id: 'nbd',
  matches: (p) => namedAs(p, '每经网', '每日经济新闻') || hostIs(p, 'nbd.com.cn'),
  stockLinks: () => [],
  // 每经编辑 毕陆名, or 每经记者 张三 每经编辑 李四 on one line: the editor is the name after 每经编辑.
  editorLine: /^(?:每经记者.{0,20}?)?每经编辑[:：\s]*([\u4e00-\u9fff·]{2,4})\s*$/,
  boilerplate: [/^[（(]?每经App登载此文/, /^封面图片来源[:：]/, /^每日经济新闻综合/, /^重磅原创$/],
};
