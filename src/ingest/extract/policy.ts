/**
 * Policies: 《titles》 of plans, laws and documents; quoted terms used as policies (“专精特新”, “5G+工业互联网”);
 * well-known national slogans from the lexicon (十四五, 房住不炒); unquoted names headed by 计划/方案/工程/
 * 试点示范/改革... (制造业数字化转型行动计划); 政府工作报告; and measures named as the subject of
 * "…是重点举措" (降低数字化门槛). Short references (《规划》, 以下简称“方案”) become aliases.
 */
import type { Doc, Mention } from './doc.js';
import { mention } from './doc.js';
import { alternation, MEDIA, POLICY_TERMS } from './lexicon.js';
import type { Token } from './segment.js';

export interface PolicyResult {
  mentions: Mention[];
  /** short reference -> full name, for this article */
  aliases: Map<string, string>;
}

const BOOK = /《([^《》]{2,60})》/g;
const QUOTE = /[“"]([^“”"]{2,25})[”"]/g;
const TITLE_HEAD =
  /(?:规划|计划|方案|意见|通知|办法|条例|规定|细则|纲要|决定|公告|法|标准|目录|清单|指引|工作报告|提案|协定|政策|措施|指南|要点|通报|批复|决议|战略|制度)(?:[（(](?:征求意见稿|试行|草案|修订稿|修订)[）)])?$/;
const SHORT_REF =
  /^(?:规划|意见|方案|通知|办法|纲要|计划|条例|决定|公告|报告|清单|目录|指导意见|实施意见|工作方案|实施方案|提案)$/;
const MEDIA_TITLE = /(?:报|日报|晚报|周刊|杂志|时报|新闻|网|导刊|周报|月刊)$/;
const QUOTE_HEAD =
  /(?:计划|规划|方案|行动|工程|政策|试点|改革|制|战略|清单|城市|外交|协定|倡议|示范|新政|条例|专项行动|年)$/;
/** Documents of a company, not public policy: 员工持股计划（草案）, 关于…的议案. */
const CORPORATE = /公司|股份|员工持股|资产管理计划|议案|董事会|股东大会|理财/;
const QUOTE_NEXT =
  /^[”"](?:活动|行动|工程|建设|战略|政策|试点|目标|理念|格局|方针|倡议|专项|计划|改革|工作|期间|时期|规划)/;
const QUOTE_PREV =
  /(?:实施|推进|落实|推动|培育|坚持|深化|贯彻|开展|打造|出台|发布|印发|部署|启动|践行|围绕|聚焦|支持|发展|建设|坚决|守住|做好|着力|提出|一批|坚持|推广)$/;
const NOT_QUOTE = /[，。？！：；,?!;:]|^(?:这|那)|(?:图|榜|奖|节|会|展|赛|们|者|人|家|店|号|局|部|委|厅|院|期)$/;
const SLOGAN =
  /^(?:双[\u4e00-\u9fff]{1,4}|六[稳保]|[\u4e00-\u9fffA-Za-z0-9]+\+[\u4e00-\u9fffA-Za-z0-9]*|\d\+[A-Za-z]+)$/;
const TERMS = new RegExp(alternation(POLICY_TERMS.keys()), 'g');
/** Heads of unquoted policy names. */
const HEADS = new Set([
  '规划',
  '计划',
  '行动计划',
  '方案',
  '实施方案',
  '工作方案',
  '工程',
  '试点',
  '示范',
  '试点示范',
  '改革',
  '战略',
  '清单',
  '负面清单',
  '协定',
  '条例',
  '办法',
  '纲要',
  '三年行动方案',
  '综合试点',
  '行动',
  '专项行动',
  '排查行动',
  '制度',
]);
/** Verbs that name an activity inside a policy name (节能减排, 融合发展, 绿色升级). */
const NOMINAL_VERBS = new Set([
  '发展',
  '建设',
  '改革',
  '融合',
  '转型',
  '提升',
  '减排',
  '防治',
  '改造',
  '管理',
  '服务',
  '保护',
  '治理',
  '创新',
  '开放',
  '升级',
  '示范',
  '试点',
  '投资',
  '控制',
  '利用',
  '整治',
  '振兴',
  '补贴',
  '消费',
  '采购',
  '监管',
  '节能',
  '降碳',
  '排查',
  '稽核',
  '调查',
  '认证',
  '互认',
  '扩大',
  '优化',
  '赋能',
  '排放',
  '流入',
  '引导',
  '帮扶',
  '攻坚',
  '巩固',
  '降低',
  '减税',
  '降费',
  '引进',
  '共享',
  '准入',
  '防止',
]);
const NOUNY = new Set(['n', 'vn', 'nz', 'ns', 'nt', 'j', 'eng', 'm', 'b', 'x', 'an', 'ng', 'nrt', 'a', 't']);
// (idioms, tag l, are left out: 全面完成 is a clause, not a name)
/** Verbs that start the clause around a policy name, never part of it. */
const BLOCK = new Set([
  '健全',
  '完善',
  '建立健全',
  '这是',
  '就是',
  '也是',
  '都是',
  '即',
  '实施',
  '开展',
  '推进',
  '推动',
  '加快',
  '加强',
  '提出',
  '印发',
  '发布',
  '制定',
  '落实',
  '启动',
  '建立',
  '是',
  '有',
  '为',
  '将',
  '要',
  '发起',
  '推出',
  '出台',
  '部署',
  '明确',
  '进行',
  '完成',
  '参与',
  '纳入',
  '列入',
  '根据',
  '按照',
  '通过',
  '挖掘',
  '推广',
  '深化',
  '贯彻',
  '持续',
  '全面',
  '积极',
  '稳步',
  '继续',
  '进一步',
  '扎实',
  '编制',
  '修订',
  '发挥',
  '支持',
  '鼓励',
  '批复',
  '同意',
  '显示',
  '表示',
  '认为',
]);
const LEAD_TRIM = new Set([
  '相关',
  '有关',
  '一系列',
  '该',
  '这',
  '此',
  '各项',
  '主要',
  '重要',
  '本次',
  '各类',
  '一批',
  '多项',
  '系列',
  '未来',
  '今年',
  '去年',
  '明年',
  '这项',
  '此次',
  '一项',
  '多个',
  '各地',
  '具体',
  '一个',
  '这个',
]);
const MEASURE =
  /(?:^|[，。；：、])((?:降低|加强|扩大|推进|提升|促进|深化|优化|完善|稳定|加快|推动|保障|减轻|强化|健全|落实)[\u4e00-\u9fff]{2,12})(?:是|为|成为)[^，。；]{0,30}?(?:举措|措施|着力点|重点任务|抓手|重中之重)/g;
const MEASURE_HINT = /举措|措施|着力点|重点任务|抓手|重中之重/;
const GOV_REPORT = /(?:\d{4}年)?(?:中央|[\u4e00-\u9fff]{2,4}?[省市区县])?政府工作报告/g;

export function findPolicies(doc: Doc): PolicyResult {
  const mentions: Mention[] = [];
  const aliases = new Map<string, string>();
  const fullTitles: string[] = [];
  doc.sentences.forEach((s, i) => {
    const t = s.text;
    for (const m of t.matchAll(BOOK)) {
      const name = m[1].trim();
      const at = m.index! + 1;
      if (MEDIA.has(name) || MEDIA_TITLE.test(name)) continue;
      if (SHORT_REF.test(name)) {
        const full = [...fullTitles]
          .reverse()
          .find((f) => f.endsWith(name) || f.replace(/[（(][^）)]*[）)]$/, '').endsWith(name));
        if (full) {
          aliases.set(name, full);
          mentions.push(mention('Policy', i, at, name, 2));
        }
        continue;
      }
      if ((!TITLE_HEAD.test(name) && !/^关于/.test(name)) || CORPORATE.test(name)) continue;
      fullTitles.push(name);
      mentions.push(mention('Policy', i, at, name, 3));
      // 《X》（以下简称《Y》 / “Y”）
      const abbr = /^[（(]以下简称[《“"]([^》”"]{1,12})[》”"]/.exec(t.slice(m.index! + m[0].length));
      if (abbr) aliases.set(abbr[1], name);
    }
    for (const m of t.matchAll(QUOTE)) {
      const name = m[1].trim();
      const at = m.index! + 1;
      if (NOT_QUOTE.test(name) || CORPORATE.test(name)) continue;
      const after = t.slice(m.index! + m[0].length - 1);
      const before = t.slice(Math.max(0, m.index! - 6), m.index!);
      const ok =
        POLICY_TERMS.has(name) ||
        /十[一二三四五六七八九]五/.test(name) ||
        (QUOTE_HEAD.test(name) && name.length >= 3) ||
        QUOTE_NEXT.test(after) ||
        SLOGAN.test(name) ||
        (QUOTE_PREV.test(before) && name.length <= 10);
      if (ok) mentions.push(mention('Policy', i, at, name, 2, POLICY_TERMS.get(name)));
    }
    for (const m of t.matchAll(TERMS)) {
      mentions.push(mention('Policy', i, m.index!, m[0], 1, POLICY_TERMS.get(m[0])));
    }
    if (t.includes('政府工作报告'))
      for (const m of t.matchAll(GOV_REPORT)) mentions.push(mention('Policy', i, m.index!, m[0], 2));
    if (MEASURE_HINT.test(t))
      for (const mm of t.matchAll(MEASURE)) {
        mentions.push(mention('Policy', i, mm.index! + mm[0].indexOf(mm[1]), mm[1], 1));
      }
    mentions.push(...headed(doc.tokens(i), t, i));
  });
  // Aliases declared by 以下简称 apply to every later bare use of the short form in quotes or books.
  for (const [short, full] of aliases) {
    doc.sentences.forEach((s, i) => {
      for (const m of s.text.matchAll(new RegExp(`[《“"]${escapeRegExp(short)}[》”"]`, 'g'))) {
        mentions.push(mention('Policy', i, m.index! + 1, short, 2));
      }
    });
    void full;
  }
  return { mentions, aliases };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Unquoted names ending in a policy head: walk back over noun-like words to the clause's verb. */
function headed(tokens: Token[], t: string, i: number): Mention[] {
  const out: Mention[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const head = tokens[k];
    if (!HEADS.has(head.word)) continue;
    const next = tokens[k + 1];
    // The head must end the phrase: 试点 in 试点示范 or 改革 in 改革开放 is not the end.
    if (next && /^(?:n|vn|nz|j|eng|zg|ng|k)$/.test(next.tag) && !/^(?:工作|期间|方面)$/.test(next.word)) continue;
    let j = k - 1;
    const parts: Token[] = [];
    while (j >= 0) {
      const tok = tokens[j];
      if (BLOCK.has(tok.word) || /[^\u4e00-\u9fffA-Za-z0-9+]/.test(tok.word)) break;
      const conj = tok.word === '与' && parts.length > 0 && j > 0 && NOUNY.has(tokens[j - 1].tag);
      if (!NOUNY.has(tok.tag) && !NOMINAL_VERBS.has(tok.word) && !conj) break;
      if (head.end - tok.start > 26) break;
      parts.unshift(tok);
      j--;
    }
    while (parts.length && LEAD_TRIM.has(parts[0].word)) parts.shift();
    while (parts.length && (parts[0].tag === 'v' || (parts[0].tag === 'vn' && !NOMINAL_VERBS.has(parts[0].word))))
      parts.shift();
    if (!parts.length) continue;
    const start = parts[0].start;
    const name = t.slice(start, head.end);
    if (name.length < 5 || CORPORATE.test(name)) continue;
    if (t[start - 1] === '“' || t[start - 1] === '《') continue;
    out.push(mention('Policy', i, start, name, 1));
  }
  return out;
}
