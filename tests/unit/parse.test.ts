import { describe, expect, it } from 'vitest';
import { ArticleParseError, articleIdFromPath, MAX_NESTING_DEPTH, parseArticle } from '../../src/ingest/parse.js';

const article = (body: string, front = "title: '测试标题'\ndate: Thu, 17 Mar 2022 12:00:41 GMT") =>
  `---\n${front}\n---\n${body}`;

describe('parseArticle', () => {
  it('reads front matter and keeps only visible paragraph text', () => {
    const a = parseArticle(
      article(
        `<div><p>　　第一段，有内容。</p><script>var x = "不是正文";</script><style>.a{}</style>
         <!-- 注释不是正文 --><p>　　第二段<b>加粗</b>也算。</p><p>   </p>
         <div class="appendQr_wrap"><div class="appendQr_normal_txt">海量资讯尽在APP</div></div>
         <p class="article-editor">责任编辑：李四 </p></div>`,
        "title: '标题'\ncategories:\n - 金融\n - 新浪财经\nauthor: 新浪财经\ndate: Thu, 17 Mar 2022 12:00:41 GMT\nheadimg: 'https://example.com/a.png'",
      ),
      'dir/sample-1.md',
    );
    expect(a).toMatchObject({
      id: 'sample-1',
      title: '标题',
      publishedAt: '2022-03-17T12:00:41.000Z',
      categories: ['金融', '新浪财经'],
      author: '新浪财经',
      images: ['https://example.com/a.png'],
      paragraphs: ['第一段，有内容。', '第二段加粗也算。'],
      hints: { editor: '李四', stocks: [] },
    });
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('collects stock spans and the keyword comment as hints', () => {
    const a = parseArticle(
      article(
        '<p>推动<span id="stock_sz300959"><a href="#">线上线下</a></span>连接。</p><!-- news_keyword_pub,stock,sz300959,sh600519 -->',
      ),
      'x.md',
    );
    expect(a.hints.stocks).toEqual([
      { code: 'sz300959', name: '线上线下' },
      { code: 'sh600519', name: '' },
    ]);
    expect(a.paragraphs).toEqual(['推动线上线下连接。']);
  });

  it('separates the original-title line and recognises a byline', () => {
    const a = parseArticle(article('<p>　　原标题：原来的标题</p><p>　　新华社记者王五</p><p>　　正文。</p>'), 'x.md');
    expect(a.hints.originalTitle).toBe('原来的标题');
    expect(a.hints.byline).toBe('新华社记者王五');
    expect(a.paragraphs).toEqual(['新华社记者王五', '正文。']);
  });

  it('accepts ISO dates, a BOM, CRLF line ends and leading blank lines', () => {
    const raw = `\uFEFF\r\n${article('<p>正文。</p>', "title: 'T'\ndate: 2022-04-02T08:30:00+08:00").replace(/\n/g, '\r\n')}`;
    const a = parseArticle(raw, 'x.md');
    expect(a.publishedAt).toBe('2022-04-02T00:30:00.000Z');
    expect(a.paragraphs).toEqual(['正文。']);
  });

  it('renders table rows as one paragraph each', () => {
    const a = parseArticle(
      article('<table><tr><td>指标</td><td>数值</td></tr><tr><td>GDP</td><td>5%</td></tr></table>'),
      'x.md',
    );
    expect(a.paragraphs).toEqual(['指标 数值', 'GDP 5%']);
  });

  it.each([
    ['', 'file is empty'],
    ['<p>没有前言</p>', 'no YAML front matter'],
    ['---\ntitle: [unclosed\n---\n<p>x</p>', 'malformed front matter'],
    ['---\nauthor: x\n---\n<p>x</p>', 'no title'],
  ])('rejects %j with a clear reason', (raw, reason) => {
    expect(() => parseArticle(raw, 'bad.md')).toThrow(ArticleParseError);
    expect(() => parseArticle(raw, 'bad.md')).toThrow(new RegExp(`^bad.md: .*${reason}`));
  });

  it('stores a title-only page (a headline post, a truncated body) with a warning instead of refusing it', () => {
    const a = parseArticle('---\ntitle: t\n---\n<div>  </div>', 'title-only.md');
    expect(a.title).toBe('t');
    expect(a.paragraphs).toEqual([]);
    expect(a.warnings).toEqual(['body has no visible text; stored with its title only']);
  });

  it('rejects binary and non-UTF-8 bytes', () => {
    expect(() => parseArticle(Buffer.from([0x2d, 0x00, 0x01, 0x02]), 'bin.md')).toThrow(/binary/);
    const gbk = Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xd6, 0xd0, 0xce, 0xc4]); // "---\n中文" in GBK
    expect(() => parseArticle(gbk, 'gbk.md')).toThrow(/not valid UTF-8/);
  });

  it.each([
    ['Invalid Date', /unparseable date "Invalid Date"/],
    ['去年春天', /unparseable date "去年春天"/],
    ['12', /unparseable date "12"/],
    ["'0'", /unparseable date "0"/],
    ['1899-12-31', /outside 1900/],
    ['+275760-09-13T00:00:00Z', /outside 1900/],
    ['-000001-01-01T00:00:00Z', /outside 1900/],
  ])('stores an article dated %j without a date and says why', (date, warning) => {
    const a = parseArticle(article('<p>正文。</p>', `title: T\ndate: ${date}`), 'd.md');
    expect(a.publishedAt).toBeNull();
    expect(a.paragraphs).toEqual(['正文。']);
    expect(a.warnings).toHaveLength(1);
    expect(a.warnings![0]).toMatch(warning);
  });

  it('keeps real dates, and a missing date is no warning', () => {
    expect(parseArticle(article('<p>正文。</p>', 'title: T\ndate: 1900-01-01'), 'd.md')).toMatchObject({
      publishedAt: '1900-01-01T00:00:00.000Z',
      warnings: [],
    });
    expect(parseArticle(article('<p>正文。</p>', "title: T\ndate: '2022-03-17 12:00:41'"), 'd.md').publishedAt).toMatch(
      /^2022-03-17T/,
    );
    expect(parseArticle(article('<p>正文。</p>', 'title: T'), 'd.md')).toMatchObject({
      publishedAt: null,
      warnings: [],
    });
  });

  it(`refuses HTML nested deeper than ${MAX_NESTING_DEPTH} elements, and reads it up to that depth`, () => {
    const nested = (depth: number) => `${'<div>'.repeat(depth - 1)}<p>深处的段落。</p>${'</div>'.repeat(depth - 1)}`;
    expect(parseArticle(article(nested(MAX_NESTING_DEPTH)), 'ok.md').paragraphs).toEqual(['深处的段落。']);
    expect(() => parseArticle(article(nested(MAX_NESTING_DEPTH + 1)), 'deep.md')).toThrow(
      /^deep.md: HTML nested deeper than 256 elements$/,
    );
    // Unclosed bombs (<b> never closed) count as nesting; siblings that close each other, void elements and stray end tags do not.
    expect(() => parseArticle(article('<b>x'.repeat(MAX_NESTING_DEPTH + 1)), 'bomb.md')).toThrow(/nested deeper/);
    const flat = '<p>一<p>二<br><img src="a.png"></span>'.repeat(MAX_NESTING_DEPTH * 2);
    expect(parseArticle(article(`<div>${flat}</div>`), 'flat.md').paragraphs).toHaveLength(MAX_NESTING_DEPTH * 4);
  });

  it('parses a page of many sibling elements in time linear in their number', () => {
    // cheerio's find() de-duplicated the body's children with a quadratic scan: 100,000 siblings took minutes.
    const page = (n: number) =>
      article(`${'<div class="a"><span>x</span></div>\n'.repeat(n)}<p>　　国家统计局发布数据。</p>`);
    const fastest = (n: number) => {
      const md = page(n);
      let best = Infinity;
      for (let k = 0; k < 2; k++) {
        const t = performance.now();
        expect(parseArticle(md, 'flat.md').paragraphs).toEqual(['国家统计局发布数据。']);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    fastest(2_000); // warm-up
    const small = fastest(20_000);
    const large = fastest(80_000);
    // Linear: ~4x; quadratic: ~16x.
    expect(large / small).toBeLessThan(8);
  }, 120_000);

  it('derives the article id from the file name', () => {
    expect(articleIdFromPath('/a/b/ng-01-x.md')).toBe('ng-01-x');
  });
});
