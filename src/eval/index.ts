/** `newsgraph eval`: run extraction over the gold articles and score it (see score.ts for the rules). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENTITY_TYPES, type EntityType } from '../graph/vocabulary.js';
import { extractArticle } from '../ingest/extract/index.js';
import { parseArticle } from '../ingest/parse.js';
import type { Extraction } from '../ingest/types.js';
import {
  type ArticleLabels,
  type ArticleScore,
  add,
  emptyCounts,
  finish,
  SCORE_ROWS,
  type ScoreRow,
  type Scores,
  scoreArticle,
} from './score.js';

export * from './score.js';

export interface GoldLine {
  file: string;
  entities: Partial<Record<EntityType, string[][]>>;
  issued?: [string, string][];
}

export interface EvalReport {
  articles: number;
  scores: Record<ScoreRow, Scores>;
  perArticle: { file: string; score: ArticleScore }[];
}

export function readGold(goldPath: string): GoldLine[] {
  return readFileSync(goldPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as GoldLine;
      } catch (err) {
        throw new Error(`${goldPath}:${i + 1}: not JSON: ${(err as Error).message}`);
      }
    });
}

/** Extraction output in the gold shape: every entity as its list of names. */
export function labelsOf(x: Extraction): ArticleLabels {
  const entities: ArticleLabels['entities'] = {};
  for (const t of ENTITY_TYPES) entities[t] = [];
  for (const e of x.entities) entities[e.type]!.push([e.name, ...e.aliases]);
  return { entities, issued: x.issued.map((i) => [i.agency, i.policy]) };
}

export function runEval(goldPath: string, root: string): EvalReport {
  const perArticle: EvalReport['perArticle'] = [];
  const totals = Object.fromEntries(SCORE_ROWS.map((r) => [r, emptyCounts()])) as Record<
    ScoreRow,
    ReturnType<typeof emptyCounts>
  >;
  for (const g of readGold(goldPath)) {
    const path = resolve(root, g.file);
    const article = parseArticle(readFileSync(path), path);
    const score = scoreArticle(labelsOf(extractArticle(article)), { entities: g.entities, issued: g.issued ?? [] });
    perArticle.push({ file: g.file, score });
    for (const r of SCORE_ROWS) totals[r] = add(totals[r], score.counts[r]);
  }
  const scores = Object.fromEntries(SCORE_ROWS.map((r) => [r, finish(totals[r])])) as Record<ScoreRow, Scores>;
  return { articles: perArticle.length, scores, perArticle };
}

const pct = (x: number) => x.toFixed(3);

/** A table of P/R/F1 per row; the last line is one JSON object with the same figures. */
export function formatReport(report: EvalReport, verbose = false): string {
  const lines: string[] = [];
  if (verbose) {
    for (const { file, score } of report.perArticle) {
      const parts: string[] = [];
      for (const r of SCORE_ROWS) {
        const fp = score.fp[r] ?? [];
        const fn = score.fn[r] ?? [];
        if (fp.length) parts.push(`  ${r} FP: ${fp.join('; ')}`);
        if (fn.length) parts.push(`  ${r} FN: ${fn.join('; ')}`);
      }
      if (parts.length) lines.push(file, ...parts);
    }
    lines.push('');
  }
  lines.push(`articles: ${report.articles}`);
  lines.push(
    [
      'type'.padEnd(18),
      'P'.padStart(6),
      'R'.padStart(6),
      'F1'.padStart(6),
      'pred'.padStart(6),
      'gold'.padStart(6),
    ].join(' '),
  );
  for (const r of SCORE_ROWS) {
    const s = report.scores[r];
    lines.push(
      [
        r.padEnd(18),
        pct(s.precision).padStart(6),
        pct(s.recall).padStart(6),
        pct(s.f1).padStart(6),
        String(s.pred).padStart(6),
        String(s.gold).padStart(6),
      ].join(' '),
    );
  }
  const json: Record<string, { p: number; r: number; f1: number }> = {};
  for (const r of SCORE_ROWS) {
    const s = report.scores[r];
    json[r] = { p: round(s.precision), r: round(s.recall), f1: round(s.f1) };
  }
  lines.push(JSON.stringify({ articles: report.articles, ...json }));
  return lines.join('\n');
}

const round = (x: number) => Math.round(x * 1000) / 1000;
