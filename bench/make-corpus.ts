/**
 * Writes N synthetic articles in the Hexo format by recombining titles, dates and body
 * paragraphs of a source directory, so entity distributions stay realistic.
 * Deterministic for a seed. Output is not committed (bench/out/ is ignored).
 *
 *   npx tsx bench/make-corpus.ts [--articles 10000] [--seed 42] [--source DIR] [--out DIR]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import matter from 'gray-matter';
import { mulberry32 as rng } from '../src/prng.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface CorpusOptions {
  articles: number;
  seed: number;
  source: string;
  out: string;
}

export function defaultSource(): string {
  const shared = join(ROOT, '..', 'shared', 'corpus', 'articles');
  return existsSync(shared) ? shared : join(ROOT, 'examples');
}

/** Titles and body paragraphs of a source directory: what synthetic articles are recombined from. */
export interface CorpusPools {
  titles: string[];
  paragraphs: string[];
}

export function loadPools(source: string): CorpusPools {
  const titles: string[] = [];
  const paragraphs: string[] = [];
  for (const name of readdirSync(source)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort()) {
    const fm = matter(readFileSync(join(source, name), 'utf8').replace(/^\s+/, ''), {});
    if (typeof fm.data.title === 'string') titles.push(fm.data.title);
    for (const m of fm.content.matchAll(/<p(?:\s[^>]*)?>[\s\S]*?<\/p>/g)) {
      if (!/责任编辑|article-editor/.test(m[0]) && m[0].replace(/<[^>]+>/g, '').trim().length > 10)
        paragraphs.push(m[0]);
    }
  }
  if (titles.length === 0 || paragraphs.length === 0) throw new Error(`no articles with paragraphs in ${source}`);
  return { titles, paragraphs };
}

const START = Date.UTC(2021, 0, 1);

/** The Markdown of synthetic article number `n` (1-based; it ends the title, so titles differ), drawn from `rand`. */
export function renderArticle(pools: CorpusPools, rand: () => number, n: number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const body = Array.from({ length: 4 + Math.floor(rand() * 10) }, () => pick(pools.paragraphs));
  const stocks = [...new Set(body.join('').match(/stock_([a-z]{2}[A-Za-z0-9.]+)/g) ?? [])].map((s) => s.slice(6));
  const date = new Date(START + Math.floor(rand() * 730 * 86_400_000)).toUTCString();
  const title = `${pick(pools.titles)}（${n}）`.replace(/'/g, "''");
  return `---
title: '${title}'
categories:
 - 金融
 - 新浪财经
author: 新浪财经
comments: false
date: ${date}
---

<div>
${body.join('\n')}
<!-- news_keyword_pub,stock,${stocks.join(',')} -->
<p class="article-editor">责任编辑：${pick(['王蒙', '李琳琳', '张恒星', '梁斌'])} </p>
</div>
`;
}

export function makeCorpus(opts: CorpusOptions): string[] {
  const pools = loadPools(opts.source);
  const rand = rng(opts.seed);
  rmSync(opts.out, { recursive: true, force: true });
  mkdirSync(opts.out, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < opts.articles; i++) {
    const path = join(opts.out, `bench-${String(i + 1).padStart(6, '0')}.md`);
    writeFileSync(path, renderArticle(pools, rand, i + 1));
    files.push(path);
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '42' },
      source: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const articles = Number(values.articles);
  const out = values.out ?? join(ROOT, 'bench', 'out', `corpus-${articles}`);
  const files = makeCorpus({ articles, seed: Number(values.seed), source: values.source ?? defaultSource(), out });
  console.log(`wrote ${files.length} articles to ${out}`);
}
