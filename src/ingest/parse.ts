/**
 * Parse a Hexo-style Markdown article (YAML front matter + Sina Finance HTML body)
 * into clean paragraphs plus the structured hints the page gives.
 */
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import matter from 'gray-matter';
import { type FeedSource, sourceOf } from './sources/index.js';
import { normaliseStockCode } from './stock-code.js';
import { cleanText } from './text.js';
import type { PageHints, ParsedArticle, StockHint } from './types.js';

/** A file that cannot become an article; `message` names the problem, `path` the file. */
export class ArticleParseError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'ArticleParseError';
  }
}

/** Elements whose own text is a paragraph when they hold no other block inside. */
const BLOCKS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'blockquote',
  'caption',
  'tr',
  'pre',
  'dd',
  'dt',
  'figcaption',
]);
const KEYWORD_COMMENT = /news_keyword_pub,stock,([^>]*?)\s*-->/;
/**
 * Deeper bodies are refused: the HTML parser's work grows with the square of the nesting depth
 * (20,000 levels took 5 s), and real pages nest fewer than 100 levels.
 */
export const MAX_NESTING_DEPTH = 256;
/** Publication dates outside this window are feed errors (\`date: 12\`, year 275760, year -1). */
const EARLIEST_DATE = Date.UTC(1900, 0, 1);
const YEAR_MS = 366 * 24 * 3600 * 1000;
/** C0 controls other than tab, LF and CR, and DEL. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** `identity`: the id and hash when the caller already has them (the ingest job computes them to skip unchanged files). */
export function parseArticle(raw: string | Buffer, sourcePath: string, identity?: ArticleIdentity): ParsedArticle {
  const text = decodeUtf8(raw, sourcePath);
  if (!text.trim()) throw new ArticleParseError(sourcePath, 'file is empty');
  // Crawled files may start with a BOM or blank lines before the opening ---.
  // Control characters (a crawler's leftovers) make the YAML parser refuse the whole front matter.
  const source = text
    .replace(/^\uFEFF/, '')
    .replace(/^\s*\n/, '')
    .replace(CONTROL_CHARS, '');
  if (!/^---[ \t]*\r?\n/.test(source)) {
    throw new ArticleParseError(sourcePath, 'no YAML front matter (the file must start with a --- line)');
  }
  let fm: matter.GrayMatterFile<string>;
  try {
    // An empty options object keeps gray-matter from caching by content.
    fm = matter(source, {});
  } catch (err) {
    throw new ArticleParseError(sourcePath, `malformed front matter: ${firstLine((err as Error).message)}`);
  }
  const data = (fm.data ?? {}) as Record<string, unknown>;
  const title = cleanText(stringOf(data.title) ?? '');
  if (!title) throw new ArticleParseError(sourcePath, 'front matter has no title');

  assertNestingDepth(fm.content, sourcePath);
  const categories = listOf(data.categories);
  const author = stringOf(data.author) ?? null;
  const sourceUrl = stringOf(data.link) ?? stringOf(data.source) ?? stringOf(data.url) ?? null;
  const feed = sourceOf({ categories, author, host: hostOf(sourceUrl), html: fm.content });
  const { paragraphs, hints } = parseBody(fm.content, feed);
  const warnings: string[] = [];
  const publishedAt = parseDate(data.date, (problem) => warnings.push(problem));
  // Title-only and truncated posts are real feed items (电报 headlines): stored with their title.
  if (paragraphs.length === 0) warnings.push('body has no visible text; stored with its title only');
  const language = feed.language ?? languageOf(title, paragraphs);
  if (language === 'zh') for (let i = 0; i < paragraphs.length; i++) paragraphs[i] = curlyQuotes(paragraphs[i]);

  return {
    id: identity?.id ?? articleIdFromPath(sourcePath),
    sourcePath,
    title,
    publishedAt,
    categories,
    author,
    sourceUrl,
    images: unique([...listOf(data.headimg), ...listOf(data.thumbnail), ...listOf(data.images)]),
    paragraphs,
    hints,
    contentHash: identity?.contentHash ?? contentHashOf(raw),
    warnings,
    source: feed.id,
    language,
  };
}

export interface ArticleIdentity {
  id: string;
  contentHash: string;
}

/** sha-256 of the file's bytes: an unchanged file is skipped on re-ingest before it is parsed. */
export function contentHashOf(raw: string | Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** The article id is the file name without extension: stable across re-ingests and moves. */
export function articleIdFromPath(path: string): string {
  return basename(path, extname(path)).normalize('NFC');
}

function parseBody(html: string, source: FeedSource): { paragraphs: string[]; hints: PageHints } {
  const keywordComment = KEYWORD_COMMENT.exec(html);
  // The page's own private-use characters (icon fonts) must not pass for link marks.
  const $ = cheerio.load(withoutComments(html).replace(MARKS_ALL, ''));
  const stocks = new Map<string, StockHint>();
  if (keywordComment) {
    for (const code of keywordComment[1].split(',')) {
      if (/^[a-z]{2}[A-Za-z0-9.&]+$/i.test(code.trim())) addStock(stocks, code.trim().toLowerCase(), '');
    }
  }

  // Not article text: code, styling, the feed's own furniture, the editor line (kept as a hint).
  $('script, style, noscript, template, iframe, .appendQr_wrap').remove();
  source.strip?.($);
  let editor: string | undefined;
  $('.article-editor').each((_, el) => {
    editor ??= editorName($(el).text());
    $(el).remove();
  });
  // Stock links are marked in the text so their place survives into the paragraphs (see markedText).
  const links = source.stockLinks($);
  links.forEach((l, i) => {
    $(l.el).prepend(`${MARK_OPEN}${i}${MARK_ID_END}`).append(MARK_CLOSE);
    const code = normaliseStockCode(l.code);
    if (code) addStock(stocks, code, '');
  });

  const raw: string[] = [];
  for (const el of elementsInOrder($('body').get())) {
    if (!BLOCKS.has(el.tagName) || hasBlockInside(el)) continue;
    const t = cleanText(
      el.tagName === 'tr'
        ? $(el)
            .children()
            .map((_, c) => $(c).text())
            .get()
            .join(' ')
        : $(el).text(),
    );
    if (t) raw.push(t);
  }
  // Bodies without block markup (财联社 电报): the visible text, split at line breaks.
  if (raw.length === 0) {
    for (const line of $('body').text().split(/\n+/)) {
      const t = cleanText(line);
      if (t) raw.push(t);
    }
  }

  const hints: PageHints = { stocks: [], stockLinks: [] };
  const kept: string[] = [];
  for (const marked of raw) {
    const { text: p, spans } = markedText(repairText(marked));
    if (!p) continue;
    const original = /^原标题[:：]\s*(.+)$/.exec(p);
    if (original && !hints.originalTitle) {
      hints.originalTitle = original[1];
      continue;
    }
    const ed = /^责任编辑[:：]/.test(p) ? editorName(p) : source.editorLine?.exec(p)?.[1];
    if (ed) {
      editor ??= ed;
      // 每经记者 张三 每经编辑 李四: the reporter part of the line is the byline.
      if (!hints.byline && /记者/.test(p)) hints.byline = p.replace(/\s*\S*编辑[:：\s]*\S+\s*$/, '');
      continue;
    }
    if (source.boilerplate?.some((re) => re.test(p))) continue;
    if (!hints.byline && isByline(p)) hints.byline = p;
    for (const sp of spans) {
      const l = links[sp.id];
      hints.stockLinks!.push({
        code: l.code,
        name: p.slice(sp.start, sp.end),
        paragraph: kept.length,
        start: sp.start,
        end: sp.end,
      });
      const known = stocks.get(normaliseStockCode(l.code) ?? '');
      if (known && !known.name) known.name = p.slice(sp.start, sp.end);
    }
    kept.push(p);
  }
  // Links whose text is in no kept paragraph (an empty span, a link in a dropped line) are no mention.
  hints.stocks = [...stocks.values()];
  if (editor) hints.editor = editor;
  return { paragraphs: kept, hints };
}

/** Private-use characters around each stock link's text while the body is read; never in real text. */
const MARK_OPEN = '\uE000';
const MARK_ID_END = '\uE001';
const MARK_CLOSE = '\uE002';
const MARKS = /[\uE000-\uE002]/;
const MARKS_ALL = /[\uE000-\uE002]/g;

/**
 * The paragraph without link marks, and where each marked link's text is in it. Whitespace that the
 * marks separated is collapsed here, as cleanText would have.
 */
function markedText(marked: string): { text: string; spans: { id: number; start: number; end: number }[] } {
  if (!MARKS.test(marked)) return { text: marked, spans: [] };
  let out = '';
  const open: { id: number; start: number }[] = [];
  const spans: { id: number; start: number; end: number }[] = [];
  for (let i = 0; i < marked.length; i++) {
    const c = marked[i];
    if (c === MARK_OPEN) {
      const j = marked.indexOf(MARK_ID_END, i);
      if (j < 0) continue; // a mark cut off (never in practice): dropped, never read past
      open.push({ id: Number(marked.slice(i + 1, j)), start: out.length });
      i = j;
    } else if (c === MARK_CLOSE) {
      const o = open.pop();
      if (o) spans.push({ id: o.id, start: o.start, end: out.length });
    } else if (!(c === ' ' && (out.length === 0 || out.endsWith(' ')))) {
      out += c;
    }
  }
  const trimmed = out.replace(/ +$/, '');
  const text = trimmed;
  return {
    text,
    spans: spans
      .map((sp) => {
        let { start, end } = sp;
        end = Math.min(end, text.length);
        while (start < end && text[start] === ' ') start++;
        while (end > start && text[end - 1] === ' ') end--;
        return { id: sp.id, start, end };
      })
      .sort((a, b) => a.start - b.start || a.id - b.id),
  };
}

/** Template placeholders a feed left unfilled ({{ x }}, {% x %}, ${x}) and entities escaped twice. */
const TEMPLATE_LEFTOVER = /\{\{[^{}]*\}\}|\{%[^{}]*%\}|\$\{[^{}]*\}/g;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&nbsp;': ' ',
  '&#39;': "'",
};

function repairText(t: string): string {
  const fixed = t.replace(TEMPLATE_LEFTOVER, '').replace(/&(?:amp|lt|gt|quot|nbsp|#39);/g, (e) => ENTITIES[e]);
  return fixed === t ? t : cleanText(fixed);
}

/**
 * The body without comments, nested ones included: a commented-out block that held a comment
 * (`<!-- <p>旧 <!-- x --> 仍是注释</p> -->`) would otherwise end at the inner `-->` and show the rest
 * as text. `--!>` also closes a comment (HTML). Comments are never text (base64 images in them included).
 */
function withoutComments(html: string): string {
  if (!html.includes('<!--')) return html;
  let out = '';
  let depth = 0;
  let i = 0;
  const CLOSE = /-->|--!>|<!--/g;
  while (i < html.length) {
    if (depth === 0) {
      const open = html.indexOf('<!--', i);
      if (open < 0) {
        out += html.slice(i);
        break;
      }
      out += html.slice(i, open);
      depth = 1;
      i = open + 4;
      continue;
    }
    CLOSE.lastIndex = i;
    const m = CLOSE.exec(html);
    if (!m) break; // an unclosed comment runs to the end, as in HTML
    depth += m[0] === '<!--' ? 1 : -1;
    i = m.index + m[0].length;
  }
  return out;
}

function addStock(stocks: Map<string, StockHint>, code: string, name: string) {
  const known = stocks.get(code);
  if (!known) stocks.set(code, { code, name });
  else if (!known.name && name) known.name = name;
}

/**
 * The elements under these roots in document order. Not `$('body').find('*')`: cheerio's selector
 * engine dedupes its context with a scan per node, which made a page of 35,000 flat paragraphs
 * take seconds per MB (quadratic); this walk is linear.
 */
function elementsInOrder(roots: AnyNode[]): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [...roots].reverse().flatMap((r) => ('children' in r ? [...r.children].reverse() : []));
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type !== 'tag' && n.type !== 'script' && n.type !== 'style') continue;
    const e = n as Element;
    out.push(e);
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
  }
  return out;
}

function hasBlockInside(el: Element): boolean {
  const stack: AnyNode[] = [...el.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
      const e = n as Element;
      if (BLOCKS.has(e.tagName) || e.tagName === 'div' || e.tagName === 'table') return true;
      stack.push(...e.children);
    }
  }
  return false;
}

function editorName(text: string): string | undefined {
  const m = /责任编辑[:：]\s*([^\s　]+)/.exec(cleanText(text));
  return m?.[1];
}

/** A short paragraph naming the reporter, e.g. 新华社记者张辛欣 or 【环球时报记者 赵觉珵 胡雨薇】. */
function isByline(p: string): boolean {
  return p.length <= 40 && /记者|通讯员|撰稿|作者[:：]/.test(p) && !/[。！？]$/.test(p);
}

/**
 * The publication date, or null when it is missing or not a real date. A bad date never costs the
 * article: it is reported through `warn` and the article is stored undated.
 */
function parseDate(value: unknown, warn: (problem: string) => void): string | null {
  if (value === undefined || value === null || value === '') return null;
  const shown = JSON.stringify(value instanceof Date ? value.toISOString() : String(value));
  // A bare number is no date (JavaScript reads `12` as December 2001); a date string names its year.
  const d = value instanceof Date ? value : typeof value === 'string' && /\d{4}/.test(value) ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime())) {
    warn(`unparseable date ${shown}; stored without a publication date`);
    return null;
  }
  if (d.getTime() < EARLIEST_DATE || d.getTime() > Date.now() + YEAR_MS) {
    warn(`date ${shown} is outside 1900 .. one year from now; stored without a publication date`);
    return null;
  }
  return d.toISOString();
}

/** Elements that never hold others, and those a sibling of the same name closes (\`<p>a<p>b\`). */
const VOID_TAGS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option']);
const TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g;

/**
 * Refuses bodies nested deeper than MAX_NESTING_DEPTH. One regular-expression pass with a stack
 * (linear in size; htmlparser2's own stack is not) that follows the HTML rules which matter for depth:
 * void elements, implied closes of a same-named sibling, and end tags that close what they enclose.
 */
function assertNestingDepth(html: string, sourcePath: string): void {
  const open: string[] = [];
  const openCount = new Map<string, number>(); // so a stray end tag costs no search
  const pop = () => {
    const name = open.pop()!;
    openCount.set(name, openCount.get(name)! - 1);
  };
  for (const [, closing, rawName, selfClosing] of html.matchAll(TAG)) {
    if (!rawName) continue; // a comment
    const name = rawName.toLowerCase();
    if (closing) {
      if (openCount.get(name)) while (open.at(-1) !== name) pop();
      if (openCount.get(name)) pop();
    } else if (!VOID_TAGS.has(name) && !selfClosing) {
      if (SELF_CLOSING_SIBLINGS.has(name) && open.at(-1) === name) pop();
      open.push(name);
      openCount.set(name, (openCount.get(name) ?? 0) + 1);
      if (open.length > MAX_NESTING_DEPTH) {
        throw new ArticleParseError(sourcePath, `HTML nested deeper than ${MAX_NESTING_DEPTH} elements`);
      }
    }
  }
}

function decodeUtf8(raw: string | Buffer, sourcePath: string): string {
  if (typeof raw === 'string') return raw;
  if (raw.includes(0)) throw new ArticleParseError(sourcePath, 'binary file (contains NUL bytes)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new ArticleParseError(sourcePath, 'not valid UTF-8 text (is it GBK-encoded? convert it to UTF-8)');
  }
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** `en` when Latin letters outnumber Chinese characters four to one (a few Chinese names in English text stay English). */
function languageOf(title: string, paragraphs: string[]): 'zh' | 'en' {
  const text = [title, ...paragraphs].join(' ');
  const han = text.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return latin > 4 * han ? 'en' : 'zh';
}

/** Straight quotes around Chinese text ("国家队") become “国家队”, as the sentence splitter expects. Same length: link positions hold. */
function curlyQuotes(p: string): string {
  return p.includes('"') ? p.replace(/"([^"]{0,80}?[\u4e00-\u9fff][^"]{0,80}?)"/g, '“$1”') : p;
}

function stringOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

function listOf(v: unknown): string[] {
  const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return items.map(stringOf).filter((s): s is string => !!s);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
