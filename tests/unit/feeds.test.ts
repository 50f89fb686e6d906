/**
 * Issue 15: one fixture per feed quirk (tests/fixtures/feeds/, written for this project in each
 * feed's shape), each read end to end: the feed, the clean text, the entities and the stock-link verdicts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/ingest/extract/index.js';
import { parseArticle } from '../../src/ingest/parse.js';
import { sourceOf } from '../../src/ingest/sources/index.js';
import { normaliseStockCode } from '../../src/ingest/stock-code.js';
import { allNames } from './extract-helpers.js';

const read = (name: string) => {
  const path = new URL(`../fixtures/feeds/${name}.md`, import.meta.url).pathname;
  const article = parseArticle(readFileSync(path), path);
  return { article, x: extractArticle(article) };
};
const stocks = (x: ReturnType<typeof read>['x']) =>
  x.entities.filter((e) => e.type === 'Stock').map((e) => [e.name, ...e.aliases]);
const rejected = (x: ReturnType<typeof read>['x']) => (x.stockLinks?.rejected ?? []).map((r) => [r.name, r.reason]);

describe('stock links are evidence, not truth', () => {
  it('sina: refuses a short name inside a longer word (海洋王国, 南太平洋), keeps the real one, and the keyword comment does not bring them back', () => {
    const { article, x } = read('sina-stock-inside-word');
    expect(article.source).toBe('sina');
    expect(article.paragraphs).toEqual([
      '本周末，城东的海洋王国主题乐园迎来开园后的第一个客流高峰。',
      '一支科考船队当日从南太平洋海域返航。',
      '白酒板块午后拉升，贵州茅台收涨两个百分点。',
      '记者获悉，万科和美的集团签署了园区节能合作协议。',
      '据新华网报道，园区一期工程将于年底完工。',
    ]);
    expect(article.hints.editor).toBe('王小明');
    // 万科 is 万科A without its share class; 和美 is a word, but it does not hold all of 美的集团.
    expect(stocks(x)).toEqual([
      ['sh600519', '贵州茅台'],
      ['sz000002', '万科'],
      ['sz000333', '美的集团'],
    ]);
    expect(rejected(x)).toEqual([
      ['海洋王', 'inside a longer word (海洋王国)'],
      ['太平洋', 'inside a longer word (南太平洋)'],
      ['新华网', 'cited as a news source'],
    ]);
    expect(allNames(x, 'Company').has('海洋王')).toBe(false);
    expect(allNames(x, 'Company').has('太平洋')).toBe(false);
  });

  it('stcn: joins a split name, refuses 中国银行 inside 中国银行业…, a linked city and a malformed code, repairs a code from its name, reads links side by side', () => {
    const { article, x } = read('stcn-split-links');
    expect(article.source).toBe('stcn');
    expect(article.paragraphs[0]).toBe('证券时报网讯，山西太钢不锈钢股份有限公司今日召开业绩说明会。');
    expect(article.paragraphs[3]).toBe('新能源车板块中，比亚迪宁德时代均获机构调研。');
    expect(stocks(x)).toEqual([
      ['sz000825', '太钢不锈'],
      ['sz002594', '比亚迪'],
      ['sz300750', '宁德时代'],
      ['sh603027', '千禾味业'],
    ]);
    expect(x.stockLinks?.accepted.find((a) => a.code === 'sz000825')?.note).toBe('joined 山西太钢不锈钢股份有限公司');
    expect(x.stockLinks?.accepted.find((a) => a.code === 'sh603027')?.note).toBe('code SS60302 repaired from the name');
    expect(rejected(x)).toEqual([
      ['中国银行', 'inside a longer word (中国银行业)'],
      ['深圳', 'place name'],
      ['某某股份', 'malformed code SS60702'],
    ]);
    const companies = allNames(x, 'Company');
    expect(companies.has('中国银行')).toBe(false);
    expect(companies.has('太钢不锈')).toBe(false); // no fragment of 山西太钢不锈钢股份有限公司
    expect(companies.has('山西太钢不锈钢股份有限公司')).toBe(true);
  });

  it('xueqiu: reads cashtags as names with their codes', () => {
    const { article, x } = read('xueqiu-cashtag');
    expect(article.source).toBe('xueqiu');
    expect(article.paragraphs).toEqual(['最近加仓了贵州茅台，也在观察平安银行的分红变化。']);
    expect(stocks(x)).toEqual([
      ['sh600519', '贵州茅台'],
      ['sz000001', '平安银行'],
    ]);
  });

  it.each([
    ['sh600519', 'sh600519'],
    ['600519.SH', 'sh600519'],
    ['SZ000001', 'sz000001'],
    ['SS603019', 'sh603019'],
    ['000001', 'sz000001'],
    ['00700.HK', 'hk00700'],
    ['usbaba', 'usBABA'],
    ['SS60702', undefined],
  ])('normalises the code %s', (raw, code) => {
    expect(normaliseStockCode(raw)).toBe(code);
  });
});

describe('feed shapes', () => {
  it('cls: a plain-text telegraph with a numbered list is one paragraph per line', () => {
    const { article, x } = read('cls-telegraph-list');
    expect(article.source).toBe('cls');
    expect(article.paragraphs).toHaveLength(6);
    expect(article.paragraphs[1]).toBe('1、国家统计局发布八月份工业生产者价格数据。');
    expect(allNames(x, 'Agency').has('国家统计局')).toBe(true);
  });

  it('cls: a title-only post is stored with its title and a warning', () => {
    const { article } = read('cls-title-only');
    expect(article.title).toBe('央行今日开展逆回购操作');
    expect(article.paragraphs).toEqual([]);
    expect(article.warnings).toContain('body has no visible text; stored with its title only');
  });

  it('nbd: editor line, template leftovers, nested and base64 comments and the disclaimer are not text', () => {
    const { article, x } = read('nbd-template-leftovers');
    expect(article.source).toBe('nbd');
    expect(article.hints.editor).toBe('陈晓峰');
    expect(article.paragraphs).toEqual([
      '存储芯片公司兆易创新（603986，SH）周四晚间公告称，其第二大股东拟减持不超过百分之一的股份。',
      '公告发布后，公司股价在次日早盘一度下跌，午后收窄跌幅。',
    ]);
    expect(x.editor).toBe('陈晓峰');
    expect(stocks(x)).toEqual([['sh603986', '兆易创新']]); // the code written after the name, 每经 style
  });

  it('nbd: a reporter and an editor on one line give the byline and the editor', () => {
    const md =
      "---\ntitle: '测试'\ncategories:\n - 金融\n - 每经网\n---\n<p>每经记者 周子航 每经编辑 孙晓岚</p><p>正文第一段。</p>";
    const a = parseArticle(md, 'nbd-byline.md');
    expect(a.hints.editor).toBe('孙晓岚');
    expect(a.hints.byline).toBe('每经记者 周子航');
    expect(a.paragraphs).toEqual(['正文第一段。']);
  });

  it("a page's own private-use characters (icon fonts) are not taken for link marks", () => {
    const md =
      '---\ntitle: \'测试\'\n---\n<p>图标\uE000\uE0012\uE002之后，<span id="stock_sh600519"><a>贵州茅台</a></span>上涨。</p>';
    const { paragraphs, hints } = parseArticle(md, 'pua.md');
    expect(paragraphs).toEqual(['图标2之后，贵州茅台上涨。']);
    expect(hints.stockLinks).toEqual([{ code: 'sh600519', name: '贵州茅台', paragraph: 0, start: 6, end: 10 }]);
  });

  it('gelonghui: a quote inside alt="…", an unescaped & and a video do not spoil the text; the inline code is a Stock', () => {
    const { article, x } = read('gelonghui-broken-markup');
    expect(article.source).toBe('gelonghui');
    expect(article.paragraphs).toEqual([
      '格隆汇9月9日丨海油发展（600968.SH）披露半年度业绩，研发R&D投入同比增长，营收与利润双双上升。',
      '公司表示将继续推进降本增效。',
    ]);
    expect(stocks(x).map((s) => s[0])).toEqual(['sh600968']);
    expect(allNames(x, 'Company').has('海油发展')).toBe(true);
  });

  it('cs: unbalanced brackets and a body cut off inside a tag keep the text; the editor line is a hint', () => {
    const { article, x } = read('cs-truncated-brackets');
    expect(article.source).toBe('cs');
    expect(article.hints.editor).toBe('刘一鸣');
    expect(article.paragraphs).toEqual([
      '中国证券报记者获悉，证监会日前就《上市公司信息披露管理办法（修订草案）征求意见，要求公司及时披露重大事项。',
      '市场人士认为，新规将进一步（提升信息披露质量。',
      '此前，多家券商已组织专题培训',
    ]);
    expect(allNames(x, 'Agency').has('证监会')).toBe(true);
  });

  it('finviz: English, its own front matter, ideographic space in a name; only stock codes and ticker links are extracted', () => {
    const { article, x } = read('finviz-english');
    expect(article.source).toBe('finviz');
    expect(article.language).toBe('en');
    expect(article.paragraphs[0]).toBe('Shares of NVDA rose 3% on Friday, while Tesla Inc. (TSLA) gained 2%.');
    expect(stocks(x)).toEqual([['usNVDA', 'NVDA'], ['usTSLA', 'TSLA'], ['sh600519']]);
    expect(x.entities.every((e) => e.type === 'Stock')).toBe(true);
  });

  it('generic: an unknown feed still gives clean paragraphs; straight quotes in Chinese become curly; "Invalid Date" costs only the date', () => {
    const { article, x } = read('generic-ascii-quotes');
    expect(article.source).toBe('generic');
    expect(article.language).toBe('zh');
    expect(article.publishedAt).toBeNull();
    expect(article.paragraphs[0]).toBe('一位基金经理表示，“稳增长”仍是下半年的主线，她看好“专精特新”企业的成长空间。');
    expect(allNames(x, 'Policy').has('专精特新')).toBe(true);
  });

  it('front matter names the feed before markup does', () => {
    const page = {
      categories: ['金融', '证券时报网'],
      author: null,
      host: null,
      html: '<span id="stock_sh600519">x</span>',
    };
    expect(sourceOf(page).id).toBe('stcn');
    expect(sourceOf({ ...page, categories: [] }).id).toBe('sina');
    expect(sourceOf({ categories: [], author: null, host: 'www.nbd.com.cn', html: '' }).id).toBe('nbd');
    expect(sourceOf({ categories: [], author: null, host: null, html: '<p>x</p>' }).id).toBe('generic');
  });
});
