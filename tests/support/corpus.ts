/**
 * Test-time corpora (nothing here is committed as data):
 *   - `writeBadCorpus`: one file (or tree entry) per kind of bad input, with what newsgraph
 *     is expected to do with it: accept it as an article, or reject it with a reason;
 *   - `writeGeneratedCorpus`: N well-formed articles recombined from paragraphs of real
 *     sample articles, deterministic for a given seed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 as rng } from '../../src/prng.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');
export const SHARED_ARTICLES_DIR = join(REPO_ROOT, '..', 'shared', 'corpus', 'articles');

export interface BadKind {
  kind: string;
  /** path of the file (or tree entry) this kind writes */
  path: string;
  /** accepted: becomes an Article with this id; rejected: reported with a reason matching `reason` */
  expect: { accepted: true; id: string; title: string } | { accepted: false; reason: RegExp };
}

const FM = (title: string, extra = '') =>
  `---\ntitle: '${title}'\ndate: 2022-03-18T08:00:00+08:00\ncategories:\n - 金融\n${extra}---\n`;
const BODY =
  '<div>\n<p>　　工信部表示，将推动中小企业数字化转型，降低数字化门槛。</p>\n<p>　　中国人民银行当日发布通知。</p>\n</div>\n';

/** "中国人民银行发布通知" encoded as GBK (hand-written bytes: Node has no GBK encoder). */
const GBK_TITLE = Buffer.from([
  0xd6, 0xd0, 0xb9, 0xfa, 0xc8, 0xcb, 0xc3, 0xf1, 0xd2, 0xf8, 0xd0, 0xd0, 0xb7, 0xa2, 0xb2, 0xbc, 0xcd, 0xa8, 0xd6,
  0xaa,
]);

/**
 * Writes the bad-input corpus into `dir` and returns the kinds with their expectations.
 * `vanishing` names a file the caller deletes while the run is under way (after the walk).
 */
export function writeBadCorpus(dir: string): { kinds: BadKind[]; vanishing: string } {
  mkdirSync(dir, { recursive: true });
  const kinds: BadKind[] = [];
  const put = (name: string, content: string | Buffer, expect: BadKind['expect'], kind = name) => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    kinds.push({ kind, path, expect });
  };
  const accepted = (id: string, title: string) => ({ accepted: true as const, id, title });
  const rejected = (reason: RegExp) => ({ accepted: false as const, reason });

  put('empty.md', '', rejected(/^file is empty$/), 'empty file');
  put('whitespace-only.md', ' \n\t\r\n  \n', rejected(/^file is empty$/), 'whitespace-only file');
  put(
    'binary.md',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x00, 0x01]),
    rejected(/binary file/),
    'binary bytes',
  );
  put(
    'gbk.md',
    Buffer.concat([
      Buffer.from("---\ntitle: '"),
      GBK_TITLE,
      Buffer.from("'\n---\n<p>"),
      GBK_TITLE,
      Buffer.from('</p>\n'),
    ]),
    rejected(/not valid UTF-8.*GBK/),
    'GBK-encoded text',
  );
  put('bom.md', `\uFEFF${FM('带BOM的文章')}${BODY}`, accepted('bom', '带BOM的文章'), 'UTF-8 BOM');
  put(
    'crlf.md',
    (FM('CRLF换行的文章') + BODY).replace(/\n/g, '\r\n'),
    accepted('crlf', 'CRLF换行的文章'),
    'CRLF line ends',
  );
  put('no-front-matter.md', BODY, rejected(/no YAML front matter/), 'no front matter');
  put(
    'malformed-yaml.md',
    `---\ntitle: '未闭合的引号\ncategories: [金融\n  - : :\n---\n${BODY}`,
    rejected(/^malformed front matter: /),
    'malformed YAML',
  );
  put(
    'no-title.md',
    `---\nauthor: 新浪财经\ndate: 2022-03-18\n---\n${BODY}`,
    rejected(/^front matter has no title$/),
    'front matter without title',
  );
  put(
    'blank-title.md',
    `---\ntitle: '  \u200B '\n---\n${BODY}`,
    rejected(/^front matter has no title$/),
    'title of only invisible characters',
  );
  // A date the feed got wrong costs the date, not the article (stored undated, named in a warning).
  put(
    'bad-date.md',
    `---\ntitle: '日期无法解析'\ndate: 去年春天的某一天\n---\n${BODY}`,
    accepted('bad-date', '日期无法解析'),
    'unparseable date',
  );
  put(
    'invalid-date.md',
    `---\ntitle: '导出器的占位日期'\ndate: Invalid Date\n---\n${BODY}`,
    accepted('invalid-date', '导出器的占位日期'),
    'placeholder date',
  );
  put(
    'number-date.md',
    `---\ntitle: '数字日期'\ndate: 12\n---\n${BODY}`,
    accepted('number-date', '数字日期'),
    'bare number as date',
  );
  put(
    'far-date.md',
    `---\ntitle: '遥远的日期'\ndate: +275760-09-13T00:00:00Z\n---\n${BODY}`,
    accepted('far-date', '遥远的日期'),
    'date far in the future',
  );
  // Title-only pages are real feed items (headline posts): stored with their title (issue 15).
  put(
    'no-paragraphs.md',
    `${FM('没有正文')}<div>\n  <img src="a.png">\n  <br/>\n</div>\n`,
    accepted('no-paragraphs', '没有正文'),
    'body without paragraphs',
  );
  put(
    'script-only.md',
    `${FM('只有脚本')}<script>var a = "工信部";</script>\n<style>p { color: red }</style>\n`,
    accepted('script-only', '只有脚本'),
    'body of only <script>/<style>',
  );
  {
    // Script- and style-heavy page: ~2 MB of code around two real paragraphs. Accepted; the code is not text.
    const noise = `<script>window.__DATA__ = ${JSON.stringify({ x: 'var tracker = "工信部";'.repeat(20_000) })};</script>\n<style>${'.c{color:#fff}'.repeat(40_000)}</style>\n`;
    put(
      'script-heavy.md',
      FM('脚本很多的页面') + noise + BODY + noise,
      accepted('script-heavy', '脚本很多的页面'),
      '<script>/<style>-heavy page',
    );
  }
  put(
    'deep-nesting.md',
    `${FM('深层嵌套') + '<div>'.repeat(10_000)}<p>　　国家统计局发布数据。</p>${'</div>'.repeat(10_000)}\n`,
    rejected(/^HTML nested deeper than 256 elements$/),
    'HTML nested 10,000 levels deep',
  );
  put(
    'unclosed-nesting.md',
    `${FM('未闭合的深层嵌套') + '<span><b><i>'.repeat(5_000)}<p>　　宁德时代发布公告。</p>\n`,
    rejected(/^HTML nested deeper than 256 elements$/),
    '15,000 unclosed inline tags',
  );
  put(
    'invisible-chars.md',
    FM('零宽\u200B字符\u0007与\u200D控制符') +
      '<p>　　工\u200B信\u200C部\u0001表示\uFEFF，将推动\u0008中小企业\u2060数字化转型。</p>\n',
    accepted('invisible-chars', '零宽字符与控制符'),
    'zero-width and control characters',
  );
  {
    // 20 MB: no news article is this big; parsing it took ~30 s and >1 GB. Refused by its size, unread.
    const row = '<tr><td>　　中小企业数字化转型专项资金拨付情况一览，单位：万元。</td><td>1234</td></tr>\n';
    const rows = Math.ceil((20 * 1024 * 1024) / Buffer.byteLength(row));
    put(
      'huge-20mb.md',
      `${FM('二十兆的文章')}<table>\n${row.repeat(rows)}</table>\n${BODY}`,
      rejected(/^file is 20\.0 MiB, over the \d+ MiB limit$/),
      '20 MB article',
    );
  }
  {
    const twin = FM('同一篇文章的两个文件名') + BODY;
    put('twin-a.md', twin, accepted('twin-a', '同一篇文章的两个文件名'), 'same article under two names (first)');
    put('twin-b.md', twin, accepted('twin-b', '同一篇文章的两个文件名'), 'same article under two names (second)');
  }
  // The same file name in two folders would be one article id twice: the second is refused, not merged.
  put(
    'dup-id/one/same-name.md',
    FM('同名文件一') + BODY,
    accepted('same-name', '同名文件一'),
    'same file name in two folders (first)',
  );
  put(
    'dup-id/two/same-name.md',
    FM('同名文件二') + BODY,
    rejected(/^article id "same-name" is also used by .*one\/same-name\.md/),
    'same file name in two folders (second)',
  );
  put(
    'vanishing.md',
    FM('运行中消失的文件') + BODY,
    rejected(/^file disappeared before it could be read$/),
    'file that disappears mid-run',
  );

  // A symlink that points at itself (ELOOP): reported. A directory link back up the tree: walked once, not forever.
  const loop = join(dir, 'loop.md');
  symlinkSync('loop.md', loop);
  kinds.push({ kind: 'symlink loop (link to itself)', path: loop, expect: rejected(/^symbolic link loop$/) });
  mkdirSync(join(dir, 'cycle'), { recursive: true });
  symlinkSync('..', join(dir, 'cycle', 'up'));
  // A named pipe would block a read forever, /dev/zero never ends: reported, never read.
  const pipe = join(dir, 'pipe.md');
  execFileSync('mkfifo', [pipe]);
  kinds.push({
    kind: 'named pipe called .md',
    path: pipe,
    expect: rejected(/^not a regular file \(a named pipe\); skipped$/),
  });
  const zero = join(dir, 'zero.md');
  symlinkSync('/dev/zero', zero);
  kinds.push({
    kind: 'symlink to /dev/zero',
    path: zero,
    expect: rejected(/^not a regular file \(a device\); skipped$/),
  });
  // Not an article file: ignored without a report.
  writeFileSync(join(dir, 'notes.txt'), 'not an article');

  return { kinds, vanishing: join(dir, 'vanishing.md') };
}

/** Paragraph pools from real articles (examples/ and, when present, ../shared/corpus/articles). */
export function paragraphPool(): { paragraphs: string[]; titles: string[] } {
  const paragraphs: string[] = [];
  const titles: string[] = [];
  for (const dir of [EXAMPLES_DIR, SHARED_ARTICLES_DIR]) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.md') && n !== 'README.md');
    } catch {
      continue;
    }
    for (const n of names) {
      const text = readFileSync(join(dir, n), 'utf8');
      const title = /^title:\s*'?(.*?)'?\s*$/m.exec(text)?.[1];
      if (title) titles.push(title);
      for (const m of text.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)) {
        const inner = m[1].trim();
        if (inner.length > 20 && !/责任编辑|原标题|新浪财经APP/.test(inner)) paragraphs.push(inner);
      }
    }
  }
  return { paragraphs, titles };
}

/** Writes `count` articles (gen-0000.md ...) of 4-8 paragraphs drawn from the pool. Returns their paths. */
export function writeGeneratedCorpus(dir: string, count: number, seed = 42): string[] {
  mkdirSync(dir, { recursive: true });
  const { paragraphs, titles } = paragraphPool();
  if (paragraphs.length < 10) throw new Error('paragraph pool too small: examples/ missing?');
  const rand = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 4 + Math.floor(rand() * 5);
    const body = Array.from({ length: n }, () => `<p>${pick(paragraphs)}</p>`).join('\n');
    const day = new Date(Date.UTC(2022, 0, 1) + i * 3_600_000).toISOString();
    const title = `${pick(titles).replace(/'/g, '')}（${i}）`;
    const path = join(dir, `gen-${String(i).padStart(4, '0')}.md`);
    writeFileSync(
      path,
      `---\ntitle: '${title}'\ndate: ${day}\ncategories:\n - 金融\nauthor: 新浪财经\n---\n\n<div>\n${body}\n</div>\n`,
    );
    paths.push(path);
  }
  return paths;
}
