/**
 * The derived rows' incremental rules (no database): random sequences of changed and deleted
 * articles, applied as deltas (with a refill from the full article set when a rule asks for one),
 * always equal the from-scratch build of the articles left.
 */
import { describe, expect, it } from 'vitest';
import {
  type ArticleInput,
  applyCo,
  applyLink,
  batchDeltas,
  buildRows,
  type CoRow,
  contributions,
  emptyCoRow,
  emptyLinkRow,
  type LinkRow,
  UNDATED_KEY,
} from '../../src/db/derived-model.js';
import { mulberry32 as rng } from '../../src/prng.js';

const ENTITIES = [
  'Policy:数字化',
  'Policy:减税',
  'Company:京东',
  'Company:快手',
  'Company:联想',
  'Agency:工信部',
  'Person:张三',
];
const POOL = Array.from({ length: 30 }, (_, i) => `句子${i}。`);

function randomArticle(rand: () => number, id: string): ArticleInput {
  const n = 5 + Math.floor(rand() * 6);
  const sentences = Array.from({ length: n }, () => POOL[Math.floor(rand() * POOL.length)]);
  const sentenceParagraphs = sentences.map((_, i) => Math.floor(i / 2));
  const mentions = ENTITIES.filter(() => rand() < 0.55).map((entityId) => {
    const ss = [
      ...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * (n + 1)) - 1)),
    ].sort((x, y) => x - y);
    return {
      entityId,
      count: ss.length,
      sentences: ss,
      paragraphs: [...new Set(ss.map((i) => (i === -1 ? -1 : sentenceParagraphs[i])))].sort((x, y) => x - y),
      evidence: ss.map((i) => (i === -1 ? '标题' : sentences[i])),
    };
  });
  // a few ties and undated articles, so the id tie-break and undated-last order are exercised
  const r = rand();
  const key =
    r < 0.15 ? UNDATED_KEY : r < 0.3 ? 1_650_000_000_000 : 1_600_000_000_000 + Math.floor(rand() * 40) * 86_400_000;
  return { id, key, text: { title: '标题', sentences, sentenceParagraphs }, mentions };
}

const countsOnly = (a: ArticleInput): ArticleInput => ({
  ...a,
  text: null,
  mentions: a.mentions.map((m) => ({ ...m, evidence: [] })),
});

describe('derived rows, incrementally', () => {
  it('stay equal to a from-scratch build through random changes and deletes', () => {
    for (const seed of [1, 2, 3]) {
      const rand = rng(seed);
      const articles = new Map<string, ArticleInput>();
      const co = new Map<string, CoRow>();
      const links = new Map<string, LinkRow>();
      let refills = 0;
      let evidenceRefills = 0;
      for (let step = 0; step < 60; step++) {
        const ids = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => `a${Math.floor(rand() * 40)}`);
        const del = rand() < 0.3;
        const batch = [...new Set(ids)];
        const before = batch.filter((id) => articles.has(id)).map((id) => countsOnly(articles.get(id)!));
        for (const id of batch) {
          if (del) articles.delete(id);
          else articles.set(id, randomArticle(rand, id));
        }
        const after = del ? [] : batch.map((id) => articles.get(id)!);
        const truth = buildRows(articles.values());
        const { co: dco, links: dlinks } = batchDeltas(before, after);
        for (const [k, d] of dco) {
          const { row, refill } = applyCo(co.get(k) ?? emptyCoRow(d.from, d.to), d);
          if (refill) {
            refills++;
            row.recent = truth.co.get(k)!.recent;
          }
          if (row.articles > 0) co.set(k, row);
          else co.delete(k);
        }
        for (const [k, d] of dlinks) {
          const { row, refill } = applyLink(links.get(k) ?? emptyLinkRow(d.policy, d.company), d);
          for (const scope of refill) {
            evidenceRefills++;
            row[scope].evidence = truth.links.get(k)![scope].evidence;
          }
          if (row.article.links > 0) links.set(k, row);
          else links.delete(k);
        }
        expect(co).toEqual(truth.co);
        expect(links).toEqual(truth.links);
      }
      // both kinds of refill happen (the rules that ask for one are exercised)
      expect(refills).toBeGreaterThan(0);
      expect(evidenceRefills).toBeGreaterThan(0);
    }
  }, 60_000);

  it('scores and shows what linkedCompanies defines at each scope', () => {
    const { links } = contributions({
      id: 'a',
      key: 0,
      text: {
        title: 'T',
        sentences: ['工信部降低数字化门槛。', '京东设计方案。', '快手搭建平台。', '华纬提升效率。'],
        sentenceParagraphs: [0, 0, 0, 1],
      },
      mentions: [
        {
          entityId: 'Policy:数字化门槛',
          count: 1,
          paragraphs: [0],
          sentences: [0],
          evidence: ['工信部降低数字化门槛。'],
        },
        { entityId: 'Company:快手', count: 1, paragraphs: [0], sentences: [2], evidence: ['快手搭建平台。'] },
        { entityId: 'Company:华纬', count: 1, paragraphs: [1], sentences: [3], evidence: ['华纬提升效率。'] },
      ],
    });
    const kuaishou = links.find((l) => l.company === 'Company:快手')!;
    expect(kuaishou.shared).toEqual({ article: 1, paragraph: 1, sentence: 0 });
    expect(kuaishou.shows.paragraph).toEqual(['工信部降低数字化门槛。', '快手搭建平台。']);
    expect(kuaishou.shows.article).toEqual(['快手搭建平台。']);
    expect(links.find((l) => l.company === 'Company:华纬')!.shared).toEqual({ article: 1, paragraph: 0, sentence: 0 });
  });
});
