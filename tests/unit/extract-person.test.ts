import { describe, expect, it } from 'vitest';
import { extractArticle, extractText } from '../../src/ingest/extract/index.js';
import type { ParsedArticle } from '../../src/ingest/types.js';
import { allNames } from './extract-helpers.js';

describe('person extraction', () => {
  it('finds a name after a title, choosing the right length', () => {
    const x = extractText('t', '财政部副部长周海涛说，今年将加大投入。人民大学教授贺平建议，继续减税。');
    const names = allNames(x, 'Person');
    expect(names).toContain('周海涛');
    expect(names).toContain('贺平');
    expect(names.has('贺平建')).toBe(false);
  });

  it('finds a speaker at a clause start and every later mention', () => {
    const x = extractText('t', '对此，林建华表示，市场总体平稳。\n林建华还提到了出口。');
    const [p] = x.entities.filter((e) => e.type === 'Person');
    expect(p.name).toBe('林建华');
    expect(p.sites.map((s) => s.paragraph)).toEqual([0, 1]);
  });

  it('finds names listed after an accepted one', () => {
    const x = extractText('t', '参赛选手郑小龙、蒋雨辰和美国运动员一起参加活动。');
    const names = allNames(x, 'Person');
    expect(names).toContain('郑小龙');
    expect(names).toContain('蒋雨辰');
  });

  it('does not take ordinary words that look like names', () => {
    const x = extractText('t', '政府给予大力支持，推动智能化升级，高质量发展是方向。公司表示将加快转型。');
    const names = allNames(x, 'Person');
    expect(names.size).toBe(0);
  });

  it('does not split a name into a shorter false one', () => {
    const x = extractText('t', '商务部总工程师方玉龙说，要稳外贸。');
    const names = allNames(x, 'Person');
    expect(names).toEqual(new Set(['方玉龙']));
  });

  it('takes the byline journalist and the editor from the page', () => {
    const article: ParsedArticle = {
      id: 'a',
      sourcePath: 'a.md',
      title: '标题',
      publishedAt: null,
      categories: [],
      author: null,
      sourceUrl: null,
      images: [],
      paragraphs: ['新华社记者李向阳', '今天天气很好。'],
      hints: { stocks: [], byline: '新华社记者李向阳', editor: '孙悦 SF001' },
      contentHash: '',
    };
    const x = extractArticle(article);
    expect(x.journalists).toEqual(['李向阳']);
    expect(x.editor).toBe('孙悦');
    expect(allNames(x, 'Person')).toEqual(new Set(['李向阳', '孙悦']));
  });
});

describe('byline names', () => {
  it('reads a photo credit as the name without 摄', async () => {
    const { bylineNames } = await import('../../src/ingest/extract/person.js');
    expect(bylineNames('（某某新闻见习记者丁一摄）')).toEqual(['丁一']);
    expect(bylineNames('【某报记者 赵一鸣 钱二】')).toEqual(['赵一鸣', '钱二']);
  });
});
