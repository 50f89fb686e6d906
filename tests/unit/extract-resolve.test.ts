import { describe, expect, it } from 'vitest';
import { Doc, mention } from '../../src/ingest/extract/doc.js';
import { extractArticle, extractText } from '../../src/ingest/extract/index.js';
import { group, resolveOverlaps } from '../../src/ingest/extract/resolve.js';
import type { ParsedArticle } from '../../src/ingest/types.js';

describe('overlap resolution', () => {
  it('keeps the longest span and drops what it covers', () => {
    const kept = resolveOverlaps([
      mention('Company', 0, 0, '东方证券资管'),
      mention('Company', 0, 0, '东方证券'),
      mention('Person', 0, 2, '证券'),
    ]);
    expect(kept.map((m) => m.surface)).toEqual(['东方证券资管']);
  });

  it('lets an agency stay inside a policy title', () => {
    const kept = resolveOverlaps([mention('Policy', 0, 0, '商务部关于外贸的通知'), mention('Agency', 0, 0, '商务部')]);
    expect(kept.map((m) => m.type).sort()).toEqual(['Agency', 'Policy']);
  });

  it('groups forms linked as aliases and by lexicon canonical name', () => {
    const groups = group(
      [
        mention('Agency', 0, 0, '工信部', 1, '工业和信息化部'),
        mention('Agency', 1, 0, '工业和信息化部', 1, '工业和信息化部'),
        mention('Policy', 1, 0, '规划'),
        mention('Policy', 0, 0, '长江航运规划'),
      ],
      new Map([['Policy:规划', '长江航运规划']]),
    );
    expect([...groups.values()].map((g) => [...g.forms].sort())).toEqual([
      ['工业和信息化部', '工信部'],
      ['规划', '长江航运规划'],
    ]);
  });
});

describe('sites', () => {
  it('indexes sentences across paragraphs with the title as -1', () => {
    const article: ParsedArticle = {
      id: 'a',
      sourcePath: 'a.md',
      title: '商务部发布新规',
      publishedAt: null,
      categories: [],
      author: null,
      sourceUrl: null,
      images: [],
      paragraphs: ['第一句。第二句提到商务部。', '商务部再次回应。'],
      hints: { stocks: [] },
      contentHash: '',
    };
    const doc = new Doc(article.id, article.title, article.paragraphs, article.hints);
    expect(doc.sentences.map((s) => [s.paragraph, s.index])).toEqual([
      [-1, -1],
      [0, 0],
      [0, 1],
      [1, 2],
    ]);
    const agency = extractArticle(article).entities.find((e) => e.type === 'Agency');
    expect(agency?.sites.map((s) => [s.paragraph, s.sentence])).toEqual([
      [-1, -1],
      [0, 1],
      [1, 2],
    ]);
    expect(agency?.sites[1].text).toBe('第二句提到商务部。');
  });

  it('treats each input line as a paragraph in plain text', () => {
    const x = extractText('t', '商务部表示。\n\n  商务部再次表示。  ');
    expect(x.entities[0].sites.map((s) => s.paragraph)).toEqual([0, 1]);
  });
});
