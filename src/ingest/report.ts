/**
 * The per-feed report of `newsgraph ingest --report`: files, refused files with reasons, title-only
 * bodies, stock links accepted and rejected with the top reasons. A read-only pass (parse + stock-link
 * review, no tagger, no database), so it covers unchanged files too.
 */
import { readArticleFile } from './article.js';
import { reviewStockHints } from './extract/stock-links.js';
import { collectArticleFiles } from './files.js';
import { ArticleParseError, parseArticle } from './parse.js';
import { sourceOf } from './sources/index.js';

export interface SourceReport {
  files: number;
  refused: Record<string, number>;
  emptyBodies: number;
  linksAccepted: number;
  linksRejected: Record<string, number>;
}

export type FeedReport = Record<string, SourceReport>;

export async function feedReport(paths: string[]): Promise<FeedReport> {
  const report: FeedReport = {};
  const of = (source: string) =>
    (report[source] ??= { files: 0, refused: {}, emptyBodies: 0, linksAccepted: 0, linksRejected: {} });
  const { files, problems } = await collectArticleFiles(paths);
  for (const p of problems) bump(of('unknown').refused, refusalKind(p.reason), of('unknown'));
  for (const path of files) {
    let raw: Buffer | undefined;
    try {
      raw = await readArticleFile(path);
      const article = parseArticle(raw, path);
      const r = of(article.source ?? 'generic');
      r.files++;
      if (article.paragraphs.length === 0) r.emptyBodies++;
      const review = reviewStockHints(article.paragraphs, article.hints)?.review;
      r.linksAccepted += review?.accepted.length ?? 0;
      for (const x of review?.rejected ?? [])
        r.linksRejected[rejectionKind(x.reason)] = (r.linksRejected[rejectionKind(x.reason)] ?? 0) + 1;
    } catch (err) {
      const reason = err instanceof ArticleParseError ? err.reason : (err as Error).message;
      const r = of(raw ? guessSource(raw.toString('utf8')) : 'unknown');
      bump(r.refused, refusalKind(reason), r);
    }
  }
  return report;
}

function bump(counts: Record<string, number>, key: string, r: SourceReport) {
  r.files++;
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The feed of a file that could not be parsed, from its front-matter lines (categories, author). */
function guessSource(raw: string): string {
  const head = raw.slice(0, 2000);
  const categories = [...head.matchAll(/^\s*-\s*(.+?)\s*$/gm)].map((m) => m[1].replace(/^['"]|['"]$/g, ''));
  const author = /^author:\s*(.+?)\s*$/m.exec(head)?.[1] ?? null;
  return sourceOf({ categories, author, host: null, html: '' }).id;
}

/** Reasons without the file-specific part, so equal defects count together. */
function refusalKind(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/ used by .*/, ' used by another file')
    .replace(/^file is [\d.]+ MiB/, 'file is too large');
}

function rejectionKind(reason: string): string {
  return reason
    .replace(/ \(.*\)$/, '')
    .replace(/^malformed code .*/, 'malformed code')
    .replace(/^code \S+ is not a listed company$/, 'code not listed');
}

/** The report as a table per feed, then refusals and rejected-link reasons, most frequent first. */
export function renderFeedReport(report: FeedReport): string {
  const rows = Object.entries(report).sort((a, b) => b[1].files - a[1].files || a[0].localeCompare(b[0]));
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const top = (o: Record<string, number>, n = 3) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, n)
      .map(([k, v]) => `${v} × ${k}`)
      .join('; ');
  const lines = ['source       files  refused  empty  links accepted  links rejected'];
  for (const [source, r] of rows) {
    lines.push(
      `${source.padEnd(12)} ${String(r.files).padStart(5)}  ${String(sum(r.refused)).padStart(7)}  ${String(r.emptyBodies).padStart(5)}  ${String(r.linksAccepted).padStart(14)}  ${String(sum(r.linksRejected)).padStart(14)}`,
    );
  }
  for (const [source, r] of rows) {
    if (sum(r.refused)) lines.push(`${source} refused: ${top(r.refused, 10)}`);
    if (sum(r.linksRejected)) lines.push(`${source} stock links rejected: ${top(r.linksRejected)}`);
  }
  return lines.join('\n');
}
