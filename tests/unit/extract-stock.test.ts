import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/ingest/extract/index.js';
import type { ParsedArticle } from '../../src/ingest/types.js';

const article = (paragraphs: string[], stocks: { code: string; name: string }[]): ParsedArticle => ({
  id: 'a',
  sourcePath: 'a.md',
  title: '',
  publishedAt: null,
  categories: [],
  author: null,
  sourceUrl: null,
  images: [],
  paragraphs,
  hints: { stocks },
  contentHash: '',
});

describe('stock extraction', () => {
  it('makes a Stock per hint with the code as name and the short name as alias', () => {
    const x = extractArticle(article(['推动线上线下有效连接。'], [{ code: 'sz300959', name: '线上线下' }]));
    const stocks = x.entities.filter((e) => e.type === 'Stock');
    expect(stocks).toHaveLength(1);
    expect(stocks[0].name).toBe('sz300959');
    expect(stocks[0].aliases).toEqual(['线上线下']);
    expect(stocks[0].sites).toEqual([{ paragraph: 0, sentence: 0, text: '推动线上线下有效连接。' }]);
  });

  it('splits codes joined with & and drops duplicates', () => {
    const x = extractArticle(
      article(
        ['无关文字。'],
        [
          { code: 'sh600001', name: '' },
          { code: 'sh600001&sz000002', name: '' },
        ],
      ),
    );
    expect(x.entities.filter((e) => e.type === 'Stock').map((e) => e.name)).toEqual(['sh600001', 'sz000002']);
  });

  it('reads a bare A-share code in brackets after a name', () => {
    const x = extractArticle(article(['金桥期货（836001）发布公告。'], []));
    const s = x.entities.find((e) => e.type === 'Stock');
    expect(s?.name).toBe('bj836001');
    expect(s?.aliases).toEqual(['金桥期货']);
  });
});
