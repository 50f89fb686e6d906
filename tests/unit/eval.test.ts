import { describe, expect, it } from 'vitest';
import { type EvalReport, formatReport } from '../../src/eval/index.js';
import {
  type ArticleLabels,
  countMatches,
  finish,
  relaxedMatch,
  scoreArticle,
  strictMatch,
} from '../../src/eval/score.js';

const labels = (entities: ArticleLabels['entities'], issued: [string, string][] = []): ArticleLabels => ({
  entities,
  issued,
});

describe('scoring', () => {
  it('matches by any alias, ignoring spaces and full/half width', () => {
    expect(strictMatch(['工业和信息化部', '工信部'], ['工信部'])).toBe(true);
    expect(strictMatch(['５Ｇ＋工业互联网'], ['5G+ 工业互联网'])).toBe(true);
    expect(strictMatch(['工信部'], ['商务部'])).toBe(false);
  });

  it('relaxed matching needs containment with the shorter at least 2 chars', () => {
    expect(relaxedMatch(['降低数字化门槛'], ['数字化门槛'])).toBe(true);
    expect(relaxedMatch(['稳'], ['稳增长'])).toBe(false);
    expect(relaxedMatch(['稳增长'], ['稳就业'])).toBe(false);
  });

  it('counts precision over predictions and recall over gold entities', () => {
    const c = countMatches([['A1', 'A'], ['B'], ['X']], [['A'], ['B'], ['C'], ['D']], strictMatch);
    expect([c.tp_pred, c.pred, c.tp_gold, c.gold]).toEqual([2, 3, 2, 4]);
    const s = finish(c);
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.recall).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5));
  });

  it('scores an article per type, relaxed policy and ISSUED by aliases of both ends', () => {
    const gold = labels(
      {
        Agency: [['工信部', '工业和信息化部']],
        Policy: [['降低数字化门槛', '数字化门槛'], ['专精特新']],
        Person: [['张三']],
      },
      [
        ['工信部', '数字化门槛'],
        ['工信部', '专精特新'],
      ],
    );
    const pred = labels(
      {
        Agency: [['工业和信息化部', '工信部']],
        Policy: [['数字化门槛降低行动'], ['专精特新']],
        Person: [['张三'], ['李四']],
      },
      [
        ['工业和信息化部', '专精特新'],
        ['工业和信息化部', '数字化门槛降低行动'],
      ],
    );
    const s = scoreArticle(pred, gold);
    expect(s.counts.Agency).toEqual({ tp_pred: 1, tp_gold: 1, pred: 1, gold: 1 });
    expect(s.counts.Person).toEqual({ tp_pred: 1, tp_gold: 1, pred: 2, gold: 1 });
    expect(s.counts.Policy).toEqual({ tp_pred: 1, tp_gold: 1, pred: 2, gold: 2 });
    expect(s.counts['Policy (relaxed)']).toEqual({ tp_pred: 2, tp_gold: 2, pred: 2, gold: 2 });
    expect(s.counts.ISSUED).toEqual({ tp_pred: 1, tp_gold: 1, pred: 2, gold: 2 });
    expect(s.counts['ISSUED (relaxed)']).toEqual({ tp_pred: 2, tp_gold: 2, pred: 2, gold: 2 });
    expect(s.fp.Person).toEqual(['李四']);
    expect(s.counts.Company).toEqual({ tp_pred: 0, tp_gold: 0, pred: 0, gold: 0 });
  });

  it('treats an empty type as perfect, not as zero', () => {
    const s = finish({ tp_pred: 0, tp_gold: 0, pred: 0, gold: 0 });
    expect([s.precision, s.recall, s.f1]).toEqual([1, 1, 1]);
  });

  it('prints a table whose last line is one JSON object with the figures', () => {
    const gold = labels({ Company: [['甲公司']] });
    const s = scoreArticle(labels({ Company: [['甲公司'], ['乙公司']] }), gold);
    const scores = Object.fromEntries(Object.entries(s.counts).map(([k, c]) => [k, finish(c)])) as EvalReport['scores'];
    const text = formatReport({ articles: 1, scores, perArticle: [{ file: 'a.md', score: s }] }, true);
    const last = JSON.parse(text.trim().split('\n').at(-1)!);
    expect(last.articles).toBe(1);
    expect(last.Company).toEqual({ p: 0.5, r: 1, f1: 0.667 });
    expect(text).toContain('Company FP: 乙公司');
  });
});
