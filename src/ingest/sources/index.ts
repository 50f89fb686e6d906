/**
 * Feed adapters: which feed a page comes from (front matter first, markup second) and where its text,
 * editor, stock links and boilerplate are. Adding a feed = one file here + fixtures in tests/fixtures/feeds/.
 */
import { cls } from './cls.js';
import { cs } from './cs.js';
import { finviz } from './finviz.js';
import { gelonghui } from './gelonghui.js';
import { generic } from './generic.js';
import { nbd } from './nbd.js';
import { sina } from './sina.js';
import { stcn } from './stcn.js';
import type { FeedSource, PageMeta } from './types.js';
import { xueqiu } from './xueqiu.js';

export type { FeedSource, PageMeta } from './types.js';

/** In order of precedence: front-matter names are checked before markup within each adapter. */
const SOURCES: readonly FeedSource[] = [cls, stcn, nbd, gelonghui, cs, xueqiu, finviz, sina];

export function sourceOf(page: PageMeta): FeedSource {
  // Front matter decides when it names a feed; markup (a Sina span, a trsHotWords link) only otherwise.
  const byName = SOURCES.find((s) => s.matches({ ...page, html: '' }));
  return byName ?? SOURCES.find((s) => s.matches(page)) ?? generic;
}
