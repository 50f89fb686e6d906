/**
 * Parse a Hexo-style Markdown article (YAML front matter + Sina Finance HTML body)
 * into clean paragraphs plus the structured hints the page gives.
 */
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import matter from 'gray-matter';
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
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'caption', 'tr', 'pre', 'dd', 'dt', 'figcaption']);
const STOCK_ID = /^stock_([a-z]{2})([A-Za-z0-9.]+)$/;
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
  const source = text.replace(/^\uFEFF/, '').replace(/^\s*\n/, '').replace(CONTROL_CHARS, '');
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
  const { paragraphs, hints } = parseBody(fm.content);
  const warnings: string[] = [];
  const publishedAt = parseDate(data.date, (problem) => warnings.push(problem));
  if (paragraphs.length === 0) throw new ArticleParseError(sourcePath, 'body has no visible text');

  return {
    id: identity?.id ?? articleIdFromPath(sourcePath),
    sourcePath,
    title,
    publishedAt,
    categories: listOf(data.categories),
    author: stringOf(data.author) ?? null,
    sourceUrl: stringOf(data.link) ?? stringOf(data.source) ?? stringOf(data.url) ?? null,
    images: unique([...listOf(data.headimg), ...listOf(data.thumbnail), ...listOf(data.images)]),
    paragraphs,
    hints,
    contentHash: identity?.contentHash ?? contentHashOf(raw),
    warnings,
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

function parseBody(html: string): { paragraphs: string[]; hints: PageHints } {
  const $ = cheerio.load(html);
  const stocks = new Map<string, StockHint>();
  $('span[id^="stock_"]').each((_, el) => {
    const m = STOCK_ID.exec($(el).attr('id') ?? '');
    if (m) addStock(stocks, (m[1] + m[2]).toLowerCase(), cleanText($(el).text()));
  });
  const keywordComment = KEYWORD_COMMENT.exec(html);
  if (keywordComment) {
    for (const code of keywordComment[1].split(',')) {
      if (/^[a-z]{2}[A-Za-z0-9.]+$/i.test(code.trim())) addStock(stocks, code.trim().toLowerCase(), '');
    }
  }

  // Not article text: code, styling, the QR/app footer, the editor line (kept as a hint).
  $('script, style, noscript, template, iframe, .appendQr_wrap').remove();
  let editor: string | undefined;
  $('.article-editor').each((_, el) => {
    editor ??= editorName($(el).text());
    $(el).remove();
  });

  const paragraphs: string[] = [];
  // `$('body *')`, not `$('body').find('*')`: cheerio's find() de-duplicates the body's children with a
  // quadratic scan, so a page of 100,000 sibling elements took minutes.
  $('body *').each((_, el) => {
    if (!BLOCKS.has(el.tagName) || hasBlockInside(el)) return;
    const t = cleanText(el.tagName === 'tr' ? $(el).children().map((_, c) => $(c).text()).get().join(' ') : $(el).text());
    if (t) paragraphs.push(t);
  });
  // Bodies without block markup: fall back to the visible text, split at line breaks.
  if (paragraphs.length === 0) {
    for (const line of $('body').text().split(/\n+/)) {
      const t = cleanText(line);
      if (t) paragraphs.push(t);
    }
  }

  const hints: PageHints = { stocks: [...stocks.values()] };
  const kept: string[] = [];
  for (const p of paragraphs) {
    const original = /^原标题[:：]\s*(.+)$/.exec(p);
    if (original && !hints.originalTitle) {
      hints.originalTitle = original[1];
      continue;
    }
    const ed = /^责任编辑[:：]/.test(p) ? editorName(p) : undefined;
    if (ed) {
      editor ??= ed;
      continue;
    }
    if (!hints.byline && isByline(p)) hints.byline = p;
    kept.push(p);
  }
  if (editor) hints.editor = editor;
  return { paragraphs: kept, hints };
}

function addStock(stocks: Map<string, StockHint>, code: string, name: string) {
  const known = stocks.get(code);
  if (!known) stocks.set(code, { code, name });
  else if (!known.name && name) known.name = name;
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
const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
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
