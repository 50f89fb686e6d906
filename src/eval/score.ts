/**
 * Scoring as ANNOTATION.md "Scoring" defines it: per article and type, a predicted entity matches a gold
 * entity when any of its names equals any gold alias by name key (spaces and full/half width ignored);
 * precision = matched predictions / predictions, recall = matched gold / gold, summed over articles.
 * Policy is also scored relaxed (one name contains the other, the shorter >= 2 chars). ISSUED pairs
 * match when both ends match by any alias of their entities.
 */
import { ENTITY_TYPES, type EntityType, nameKey } from '../graph/vocabulary.js';

/** An entity as a list of names (canonical first). */
export type Names = string[];

export interface ArticleLabels {
  entities: Partial<Record<EntityType, Names[]>>;
  /** [agency name, policy name] by any alias */
  issued: [string, string][];
}

export interface Counts {
  tp_pred: number; // predictions that match some gold entity
  tp_gold: number; // gold entities matched by some prediction
  pred: number;
  gold: number;
}

export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export const SCORE_ROWS = [...ENTITY_TYPES, 'Policy (relaxed)', 'ISSUED', 'ISSUED (relaxed)'] as const;
export type ScoreRow = (typeof SCORE_ROWS)[number];

export const emptyCounts = (): Counts => ({ tp_pred: 0, tp_gold: 0, pred: 0, gold: 0 });

export function finish(c: Counts): Scores {
  const precision = c.pred ? c.tp_pred / c.pred : c.gold ? 0 : 1;
  const recall = c.gold ? c.tp_gold / c.gold : c.pred ? 0 : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...c, precision, recall, f1 };
}

export function add(a: Counts, b: Counts): Counts {
  return {
    tp_pred: a.tp_pred + b.tp_pred,
    tp_gold: a.tp_gold + b.tp_gold,
    pred: a.pred + b.pred,
    gold: a.gold + b.gold,
  };
}

type Match = (a: Names, b: Names) => boolean;

export const strictMatch: Match = (a, b) => {
  const keys = new Set(a.map(nameKey));
  return b.some((n) => keys.has(nameKey(n)));
};

export const relaxedMatch: Match = (a, b) => {
  for (const x of a.map(nameKey)) {
    for (const y of b.map(nameKey)) {
      if (x === y) return true;
      const [s, l] = x.length <= y.length ? [x, y] : [y, x];
      if (s.length >= 2 && l.includes(s)) return true;
    }
  }
  return false;
};

/** Matched counts for one article and one list of items. */
export function countMatches<T>(pred: T[], gold: T[], match: (p: T, g: T) => boolean): Counts & { fp: T[]; fn: T[] } {
  const fp = pred.filter((p) => !gold.some((g) => match(p, g)));
  const fn = gold.filter((g) => !pred.some((p) => match(p, g)));
  return {
    tp_pred: pred.length - fp.length,
    tp_gold: gold.length - fn.length,
    pred: pred.length,
    gold: gold.length,
    fp,
    fn,
  };
}

/** Expand an ISSUED pair's names to the alias lists of the entities they name. */
function expandPair(pair: [string, string], labels: ArticleLabels): [Names, Names] {
  const find = (type: EntityType, n: string): Names =>
    (labels.entities[type] ?? []).find((e) => e.some((x) => nameKey(x) === nameKey(n))) ?? [n];
  return [find('Agency', pair[0]), find('Policy', pair[1])];
}

export interface ArticleScore {
  counts: Record<ScoreRow, Counts>;
  fp: Partial<Record<ScoreRow, string[]>>;
  fn: Partial<Record<ScoreRow, string[]>>;
}

export function scoreArticle(pred: ArticleLabels, gold: ArticleLabels): ArticleScore {
  const counts = {} as Record<ScoreRow, Counts>;
  const fp: ArticleScore['fp'] = {};
  const fn: ArticleScore['fn'] = {};
  const show = (n: Names) => n.join('|');
  const record = (row: ScoreRow, r: Counts & { fp: Names[]; fn: Names[] }) => {
    counts[row] = { tp_pred: r.tp_pred, tp_gold: r.tp_gold, pred: r.pred, gold: r.gold };
    fp[row] = r.fp.map(show);
    fn[row] = r.fn.map(show);
  };
  for (const type of ENTITY_TYPES) {
    record(type, countMatches(pred.entities[type] ?? [], gold.entities[type] ?? [], strictMatch));
  }
  record('Policy (relaxed)', countMatches(pred.entities.Policy ?? [], gold.entities.Policy ?? [], relaxedMatch));
  const pPairs = pred.issued.map((p) => expandPair(p, pred));
  const gPairs = gold.issued.map((p) => expandPair(p, gold));
  const pairShow = (xs: [Names, Names][]) => xs.map(([a, b]) => [`${a[0]} -> ${b[0]}`]);
  for (const [row, m] of [
    ['ISSUED', strictMatch],
    ['ISSUED (relaxed)', relaxedMatch],
  ] as const) {
    const r = countMatches(pPairs, gPairs, (p, g) => strictMatch(p[0], g[0]) && m(p[1], g[1]));
    counts[row] = { tp_pred: r.tp_pred, tp_gold: r.tp_gold, pred: r.pred, gold: r.gold };
    fp[row] = pairShow(r.fp).map((x) => x[0]);
    fn[row] = pairShow(r.fn).map((x) => x[0]);
  }
  return { counts, fp, fn };
}
