/**
 * Companies: well-known names from the lexicon (with business-unit extensions such as 京东工业品),
 * names ending in a company suffix (华纬科技, 国网杭州市临平区供电公司, ...有限公司) whose prefix
 * is distinctive (a place, a proper noun or a word jieba does not know), and stock short names.
 */
import type { Doc, Mention } from './doc.js';
import { isHan, mention } from './doc.js';
import { alternation, COMPANY_NAMES, COMPANY_STOP, COMPANY_SUFFIXES, MEDIA, PLACES } from './lexicon.js';
import { type Token, tokenize } from './segment.js';

const LEX = new RegExp(alternation(COMPANY_NAMES.keys()), 'g');
/** Short names that are also ordinary words: accepted only at a clause start or in a list. */
const AMBIGUOUS = new Set([
  '联想',
  '美的',
  '小米',
  '富国',
  '国泰',
  '阿里',
  '中金',
  '国网',
  '嘉实',
  '博时',
  '高通',
  '三星',
  '花旗',
  '吉利',
]);
/** Units named after a parent brand: 京东工业品, 特斯拉中国, 中粮期货. */
const UNIT = /^(?:工业品|物流|健康|数科|云|中国|汽车|商城|集团|证券|基金|期货|银行|保险|资管|股份|研究院)/;
const SUFFIX = new RegExp(alternation(COMPANY_SUFFIXES), 'g');
/** Suffixes formal enough that the whole clause-initial phrase before them is the name. */
const FORMAL = /(?:有限公司|有限责任公司|合伙企业|经纪中心)$/;
const DISTINCT_TAGS = new Set(['ns', 'nr', 'nrt', 'nrfg', 'nz', 'nt', 'x', 'eng', 's']);
const PREFIX_TAGS = new Set([...DISTINCT_TAGS, 'n', 'vn', 'b', 'l', 'an', 'ng', 'j']);
const STOP_TOKENS = new Set([
  '的',
  '旗下',
  '子公司',
  '公司',
  '包括',
  '如',
  '等',
  '和',
  '与',
  '及',
  '以及',
  '家',
  '该',
  '这',
  '其',
  '在',
  '由',
  '对',
  '记者',
  '据',
  '数据',
  '显示',
  '报告',
  '研究',
  '分析',
  '认为',
  '表示',
  '为',
  '是',
  '、',
]);
const GENERIC_LEAD = new Set([
  '大型',
  '头部',
  '相关',
  '部分',
  '多家',
  '各',
  '国内',
  '国外',
  '海外',
  '全球',
  '中小',
  '上市',
  '一家',
  '某',
  '知名',
  '龙头',
  '国有',
  '民营',
  '中资',
  '外资',
  '内资',
  '本土',
  '新兴',
  '传统',
  '其他',
  '主要',
  '不少',
  '众多',
  '多个',
  '首家',
  '新',
  '老',
  '大',
  '小',
  '中国',
  '全国',
  '我国',
  '多',
  '一些',
  '几家',
  '两家',
  '三家',
]);
const NOT_COMPANY =
  /大学|学院|研究所|协会|学会|委员会|政府|联合会|商会|党委|法院|日报|晚报|时报|杂志|电视台|[部会委局署]研究院|(?:证券|银行|基金|集团)研究[院所]$/;
const PLACE_SET = new Set(PLACES);
const CLAUSE_CUT = /[，。；：！？、“”‘’（）()《》\s]|的/g;
/** Function words that can never sit inside a company name. */
const HARD_FN = new Set([
  '该',
  '其',
  '且',
  '为',
  '在',
  '的',
  '将',
  '占',
  '还',
  '会',
  '和',
  '与',
  '及',
  '被',
  '把',
  '对',
  '向',
  '从',
  '于',
  '是',
  '这',
  '那',
]);
const LEAD_VERB = new Set(['v', 'd', 'p', 'c', 'uj', 'r', 'ul', 'm', 'q']);

export function findCompanies(doc: Doc, stockNames: string[]): Mention[] {
  const out: Mention[] = [];
  const stockSet = new Set(stockNames.filter((n) => n.length >= 2));
  doc.sentences.forEach((s, i) => {
    const t = s.text;
    for (const m of t.matchAll(LEX)) {
      const at = m.index!;
      const name = m[0];
      const rest = t.slice(at + name.length);
      const unit = UNIT.exec(rest);
      // 特斯拉中国 but not 特斯拉中国工厂.
      if (unit && (unit[0] !== '中国' || !isHan(rest[2])) && !/^[会业]/.test(rest.slice(unit[0].length))) {
        out.push(mention('Company', i, at, name + unit[0], 2));
      }
      if (AMBIGUOUS.has(name) && !clauseStart(t, at)) continue;
      // 中国银行业: the banking industry, not the bank.
      if (name.endsWith('银行') && rest[0] === '业') continue;
      if (isHan(name[0]) && isHan(t[at - 1]) && name.length <= 2 && !clauseStart(t, at)) continue;
      out.push(mention('Company', i, at, name, 2, COMPANY_NAMES.get(name)));
    }
    for (const name of stockSet) {
      let at = t.indexOf(name);
      while (at >= 0) {
        out.push(mention('Company', i, at, name, 1));
        at = t.indexOf(name, at + name.length);
      }
    }
    const tokens = doc.tokens(i);
    for (const m of t.matchAll(SUFFIX)) {
      const c = bySuffix(t, tokens, m.index!, m[0]);
      if (c) out.push(mention('Company', i, c.start, c.name, 1));
    }
  });
  return out;
}

function clauseStart(t: string, at: number): boolean {
  const before = t[at - 1];
  return before === undefined || /[，。；：！？、“”‘’（）()《》\s和与及如像]/.test(before);
}

/** Name ending in `suffix` at `at`, or undefined when the prefix is generic. */
function bySuffix(t: string, tokens: Token[], at: number, suffix: string): { start: number; name: string } | undefined {
  const end = at + suffix.length;
  // The suffix must end a word: 证券 in 证券日报 is not a company ending.
  if (!tokens.some((k) => k.end === end)) return undefined;
  if (FORMAL.test(suffix)) {
    let start = 0;
    for (const m of t.slice(0, at).matchAll(CLAUSE_CUT)) start = m.index! + m[0].length;
    start = Math.max(start, at - 25);
    // 将全额认购华安证券股份有限公司: start after the clause's last verb unless the name opens with a place.
    const span = tokens.filter((k) => k.start >= start && k.end <= at);
    const place = span.find((k) => k.tag === 'ns' || PLACE_SET.has(k.word.replace(/[省市]$/, '')));
    if (place) start = place.start;
    else {
      const lastVerb = span.map((k) => LEAD_VERB.has(k.tag)).lastIndexOf(true);
      if (lastVerb >= 0) start = lastVerb + 1 < span.length ? span[lastVerb + 1].start : at;
    }
    const name = t.slice(start, end);
    if (at - start >= 2 && !NOT_COMPANY.test(name) && !MEDIA.has(name)) return { start, name };
    return undefined;
  }
  const before: Token[] = [];
  for (let k = tokens.length - 1; k >= 0; k--) {
    const tok = tokens[k];
    if (tok.start >= at) continue;
    if (tok.end > at) {
      // A token straddling the suffix (供电公司): its head belongs to the prefix.
      before.unshift({ ...tok, word: tok.word.slice(0, at - tok.start), end: at, tag: 'n' });
      continue;
    }
    if (
      STOP_TOKENS.has(tok.word) ||
      !(PREFIX_TAGS.has(tok.tag) || PLACE_SET.has(tok.word)) ||
      /[^\u4e00-\u9fffA-Za-z0-9]/.test(tok.word)
    )
      break;
    if (at - tok.start > 10) break;
    before.unshift(tok);
  }
  while (before.length && GENERIC_LEAD.has(before[0].word)) before.shift();
  // The name starts at its distinctive word: 的华纬科技 -> 华纬科技, 2022年广东... is not a name.
  const isDistinct = (k: Token) => DISTINCT_TAGS.has(k.tag) || COMPANY_NAMES.has(k.word) || PLACE_SET.has(k.word);
  while (before.length && !isDistinct(before[0])) before.shift();
  if (!before.length) return undefined;
  if (suffix === '控股' && /^(?:股东|子公司|股份|公司|的)/.test(t.slice(end))) return undefined;
  // Context glued to the prefix (有位恒星, 多为格力, 晋升期货): re-segment it alone and cut after its last function word.
  const alone = tokenize(t.slice(before[0].start, at), false);
  let lastFn = -1;
  // Leading verbs/adverbs (a measure word only right after one: 有位).
  const leadOk = (k: Token, afterFn: boolean) =>
    !PLACE_SET.has(k.word) && (/^(?:v|d|p|c|r|uj|ul)$/.test(k.tag) || (afterFn && /^(?:q|m)$/.test(k.tag)));
  while (lastFn + 1 < alone.length && leadOk(alone[lastFn + 1], lastFn >= 0)) lastFn++;
  lastFn = Math.max(lastFn, alone.map((k) => HARD_FN.has(k.word)).lastIndexOf(true));
  // Cut only where jieba's own reading also has a word boundary (兴证 is one unknown word, not 兴 + 证).
  if (lastFn >= 0 && before.some((k) => k.end === before[0].start + alone[lastFn].end)) {
    const cut = before[0].start + alone[lastFn].end;
    while (before.length && before[0].start < cut) before.shift();
    if (!before.length) {
      const name = t.slice(cut, end);
      return cut < at && !COMPANY_STOP.has(name) && COMPANY_NAMES.has(t.slice(cut, at))
        ? { start: cut, name }
        : undefined;
    }
  }
  if (!before.length) return undefined;
  const start = before[0].start;
  const prefix = t.slice(start, at);
  const name = t.slice(start, end);
  if (prefix.length < 2 || COMPANY_STOP.has(name) || COMPANY_STOP.has(prefix) || MEDIA.has(name) || MEDIA.has(prefix))
    return undefined;
  if (NOT_COMPANY.test(name)) return undefined;
  const distinct = before.some((k) => DISTINCT_TAGS.has(k.tag) || COMPANY_NAMES.has(k.word));
  if (!distinct) return undefined;
  // Only places + generic words before a generic ending (河南省高新技术, 粤港澳大湾区国际科技) is not a name.
  const distinctNonPlace = before.some(
    (k) => (DISTINCT_TAGS.has(k.tag) && k.tag !== 'ns' && !PLACE_SET.has(k.word)) || COMPANY_NAMES.has(k.word),
  );
  if (!distinctNonPlace && !/(?:公司|集团|银行|证券)$/.test(suffix)) return undefined;
  if (/(?:混合|债券|指数|股票|货币|联接|ETF|LOF|回报|优选|精选)基金$/.test(name)) return undefined;
  return { start, name };
}
