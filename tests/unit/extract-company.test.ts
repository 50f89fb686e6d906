import { describe, expect, it } from 'vitest';
import { extractArticle, extractText } from '../../src/ingest/extract/index.js';
import type { ParsedArticle } from '../../src/ingest/types.js';
import { allNames } from './extract-helpers.js';

describe('company extraction', () => {
  it('finds names ending in a company suffix with a distinctive prefix', () => {
    const x = extractText('t', '在专注轴承制造的瑞鸿科技，订单持续增长。国网苏州市吴江区供电公司也参与其中。');
    const names = allNames(x, 'Company');
    expect(names).toContain('瑞鸿科技');
    expect(names).toContain('国网苏州市吴江区供电公司');
  });

  it('finds formal registered names as a whole', () => {
    const x = extractText('t', '浙江青松物流有限公司已完成整改。');
    expect(allNames(x, 'Company')).toContain('浙江青松物流有限公司');
  });

  it('finds well-known companies and their business units', () => {
    const x = extractText('t', '美团推出新服务；京东工业品上线新平台；联想发起帮扶行动。');
    const names = allNames(x, 'Company');
    expect(names).toContain('美团');
    expect(names).toContain('京东工业品');
    expect(names).toContain('联想');
  });

  it('does not take a verb use of an ambiguous short name', () => {
    const x = extractText('t', '这让人联想到过去的经历。');
    expect(allNames(x, 'Company').size).toBe(0);
  });

  it('rejects generic phrases and context glued to a suffix', () => {
    const x = extractText('t', '中小企业和上市公司都在关注，多为公司的自有资金，科技公司也一样。');
    expect(allNames(x, 'Company').size).toBe(0);
  });

  it('does not take a research institute or university for a company', () => {
    const x = extractText('t', '北京大学经济研究院发布报告。');
    expect(allNames(x, 'Company').size).toBe(0);
  });

  it('takes a stock short name as a company only when it looks like one', () => {
    const article: ParsedArticle = {
      id: 'a',
      sourcePath: 'a.md',
      title: '',
      publishedAt: null,
      categories: [],
      author: null,
      sourceUrl: null,
      images: [],
      paragraphs: ['海湾证券表示，线上线下融合加快。'],
      hints: {
        stocks: [
          { code: 'sh601999', name: '海湾证券' },
          { code: 'sz300959', name: '线上线下' },
        ],
      },
      contentHash: '',
    };
    const x = extractArticle(article);
    const companies = allNames(x, 'Company');
    expect(companies).toContain('海湾证券');
    expect(companies.has('线上线下')).toBe(false);
    expect(x.listings).toEqual([{ company: '海湾证券', stock: 'sh601999' }]);
  });
});
