/** What a feed adapter knows about its pages; see index.ts for how one is chosen. */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';

/** What is known about a page before its body is read. */
export interface PageMeta {
  categories: string[];
  author: string | null;
  /** host of the front matter's link / source / url, lower-case */
  host: string | null;
  /** the raw body HTML (markup hints: trsHotWords, stock_ spans ...) */
  html: string;
}

/** One stock link element and the code it carries, as written. */
export interface RawStockLink {
  el: Element;
  code: string;
}

export interface FeedSource {
  /** short id stored on the Article (`source`) and shown in the ingest report */
  id: string;
  /** whether this page comes from the feed: front matter first, markup second */
  matches(page: PageMeta): boolean;
  /** the elements that mark a listed security, with their codes */
  stockLinks($: CheerioAPI): RawStockLink[];
  /** removes elements that are not article text (footers, share bars, image credits) */
  strip?($: CheerioAPI): void;
  /** paragraphs that are boilerplate (disclaimers, credits): dropped */
  boilerplate?: RegExp[];
  /** a paragraph naming the editor (`每经编辑 毕陆名`): group 1 is the name; the paragraph is dropped */
  editorLine?: RegExp;
  /** the feed's language when it is not Chinese */
  language?: 'en';
}

/** Categories or author naming the feed (Hexo exports put the feed in `categories[1]` and `author`). */
export function namedAs(page: PageMeta, ...names: string[]): boolean {
  return names.some((n) => page.categories.includes(n) || page.author === n);
}

export function hostIs(page: PageMeta, ...domains: string[]): boolean {
  return !!page.host && domains.some((d) => page.host === d || page.host!.endsWith(`.${d}`));
}
