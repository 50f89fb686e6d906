/**
 * Person names. A Chinese name is a known surname + one or two characters; it is accepted only with
 * evidence: a title before it (总工程师田玉龙, 记者 张辛欣), a speech verb after it at a clause start
 * (贺强建议), a list next to an accepted name (李富荣、梁戈亮), an interview line (杨喆：) or jieba tagging it
 * as a person next to such context. Foreign names (基辛格) need a title. Every later occurrence of an
 * accepted name is a mention too.
 */
import type { Doc, Mention } from './doc.js';
import { isHan, mention } from './doc.js';
import { alternation, PERSON_STOP, PERSON_TITLES, PLACES, SPEECH_VERBS, SURNAMES } from './lexicon.js';
import { tokenize } from './segment.js';

const TITLE = new RegExp(`(?:${alternation(PERSON_TITLES)})[ 　]?`, 'g');
const COMPOUND = [...SURNAMES].filter((s) => s.length === 2);
const COMPOUND_FIRST = new Set(COMPOUND.map((s) => s[0]));
/** Characters foreign names are transliterated with. */
const TRANSLIT =
  /^[阿埃艾爱安奥巴拜班邦贝本比彼宾波伯博布查达戴丹道德登迪蒂丁杜顿多厄恩法菲费芬丰弗福盖冈戈格贡古哈海汉豪赫亨洪华霍基吉加贾杰金卡凯坎康柯科克肯库奎拉莱赖兰朗劳勒雷蕾里丽利林琳隆卢鲁路伦罗洛马玛迈麦曼梅门蒙米敏明摩莫姆穆纳娜奈内尼宁纽诺欧帕潘佩彭蓬皮珀普奇齐乔切琼丘萨塞桑瑟森沙珊尚舍什施史斯松苏索塔泰坦汤唐特图托瓦万威韦维温沃乌武西希锡夏谢辛休许逊亚雅扬耶伊因英尤于约泽扎詹朱兹佐]{2,5}$/;
/** What may follow a name: punctuation, end, a space, a speech verb or a function word. */
const AFTER = new RegExp(
  `(?:$|[\\s，。；：！？、“”‘’（）()【】》…—,.;:!?]|${alternation(SPEECH_VERBS)}|\\d|今年|近日|日前|此前|目前|曾经|昨日|认为|先生|女士|博士|教授|本人|所说|所言|团队|一行|同志|指出|日|摄|报道|总理|总统|主席|手中|接受|进一步|身价|本次|此次)`,
  'y',
);
/** A title after the name: 李克强总理, 尼克松总统. */
const TITLE_AFTER = /^(?:总理|总统|主席|先生|女士|教授|博士|院士|大使|国务卿)/;
/** Bracketed bylines: （新浪财经 刘丽丽）, 【文/观察者网 王慧】. */
const BRACKET = /[（(【][^（）()【】]{0,14}[ /]([\u4e00-\u9fff]{2,3})[）)】]/g;
const PLACE_SET = new Set(PLACES);
/** Endings of ordinary words that jieba sometimes tags as names (高端化, 许可证, 彭博社, 金石滩). */
const NOT_NAME_END =
  /[化区证社杆滩港省市县镇村路街楼河湖岛桥站厂局部司院所校会团队组处科室网报刊台馆店行业品费率价量额股债券权法制案单表图书卡机器车船线点面体型类性度期年月日时节念誉富威正转工麟]$/;
const FOREIGN_GOV = /([\u4e00-\u9fff]{2,4})政府/g;
const CLAUSE_BEFORE = /[，。；：！？、“”‘’（）()【】\s]/;
const SPEECH_AFTER = /^(?:表示|认为|指出|建议|强调|坦言|透露|告诉|介绍|分析称|分析认为|提到|直言|解释|说|称)/;

export interface PersonResult {
  mentions: Mention[];
  names: Set<string>;
  /**
   * names with the strongest evidence: a title right before them, a bracketed byline (记者 张辛欣,
   * （新浪财经 刘丽丽）), or jieba's person tag with a speech verb or 也/曾/在 right after (马化腾也在)
   */
  titled: Set<string>;
}

/** Name candidates starting at `at`: 2-char first, then 3-char (贺强建议 vs 田玉龙说). */
function nameAt(t: string, at: number): string | undefined {
  const c = t[at];
  if (!SURNAMES.has(c) && !COMPOUND_FIRST.has(c)) return undefined;
  const sur =
    (COMPOUND_FIRST.has(c) ? COMPOUND.find((x) => t.startsWith(x, at)) : undefined) ??
    (SURNAMES.has(c) ? c : undefined);
  if (!sur) return undefined;
  for (const len of [sur.length + 1, sur.length + 2]) {
    const cand = t.slice(at, at + len);
    if (cand.length !== len || ![...cand].every((c) => isHan(c))) continue;
    if (PERSON_STOP.has(cand) || /(?:女士|先生|某|总|摄|中|上|下|内|外|里|后|前)$/.test(cand)) continue;
    AFTER.lastIndex = at + len;
    if (AFTER.test(t)) return cand;
  }
  return undefined;
}

function foreignAt(t: string, at: number): string | undefined {
  for (let len = 5; len >= 2; len--) {
    const cand = t.slice(at, at + len);
    if (cand.length !== len || !TRANSLIT.test(cand)) continue;
    AFTER.lastIndex = at + len;
    if (AFTER.test(t)) return cand;
  }
  return undefined;
}

export function findPersons(doc: Doc): PersonResult {
  const names = new Set<string>();
  const titled = new Set<string>();
  const accept = (n: string | undefined, strong = false) => {
    if (n && !PERSON_STOP.has(n)) {
      names.add(n);
      if (strong) titled.add(n);
    }
  };
  const texts = doc.sentences.map((s) => s.text);
  const checked = (i: number, at: number, n: string | undefined) => (n && noWordInside(doc, i, at, n) ? n : undefined);
  texts.forEach((t, i) => {
    for (const m of t.matchAll(BRACKET)) {
      const at = m.index! + m[0].length - 1 - m[1].length;
      if (nameAt(t, at) === m[1]) accept(checked(i, at, m[1]), true);
    }
    // jieba reads it as a person name and the context fits (马化腾也在, 超越了马云。).
    // 2-char words tagged nr are often ordinary words (富豪, 周转): they need a speech verb or title after.
    for (const k of doc.tokens(i)) {
      if (
        k.tag !== 'nr' ||
        k.word.length < 2 ||
        k.word.length > 3 ||
        PLACE_SET.has(k.word) ||
        NOT_NAME_END.test(k.word)
      )
        continue;
      const rest = t.slice(k.end);
      const strong = SPEECH_AFTER.test(rest) || TITLE_AFTER.test(rest) || /^(?:也|曾|在)/.test(rest);
      if (nameAt(t, k.start) === k.word && (k.word.length === 3 || strong)) accept(k.word, strong);
      else if (TITLE_AFTER.test(rest) && (SURNAMES.has(k.word[0]) || TRANSLIT.test(k.word))) accept(k.word);
    }
    // Foreign names at a clause start before a speech verb (巴菲特也曾说), and 特朗普政府.
    for (let at = 0; at < t.length; at++) {
      if (at > 0 && !CLAUSE_BEFORE.test(t[at - 1])) continue;
      const f = foreignAt(t, at);
      if (f && f.length >= 3 && /^(?:也|曾|还)?(?:表示|认为|指出|说|称|曾说|强调)/.test(t.slice(at + f.length)))
        accept(f);
    }
    // 特朗普政府 (but 伊朗政府: a country jieba knows is a place).
    for (const m of t.matchAll(FOREIGN_GOV)) {
      if (!TRANSLIT.test(m[1])) continue;
      const toks = tokenize(m[1]);
      accept(m[1], !(toks.length === 1 && toks[0].tag === 'ns'));
    }
    // TITLE + NAME, and a list of names after it (记者 方丽 张燕北).
    for (const m of t.matchAll(TITLE)) {
      let at = m.index! + m[0].length;
      let n = checked(i, at, nameAt(t, at)) ?? (m[0].trim().length >= 2 ? foreignAt(t, at) : undefined);
      while (n) {
        accept(n, true);
        at += n.length;
        const sep = /^[ 、]/.exec(t.slice(at));
        if (!sep) break;
        at += 1;
        n = checked(i, at, nameAt(t, at));
      }
    }
    // NAME + speech verb, at a clause start or where jieba cuts exactly around the name (经济学系丁长发说).
    for (let at = 0; at < t.length; at++) {
      const clause = at === 0 || CLAUSE_BEFORE.test(t[at - 1]);
      const n = nameAt(t, at);
      if (!n || !jiebaSaysName(doc, i, at, n)) continue;
      if (!clause && !doc.tokens(i).some((k) => k.start === at)) continue;
      const strictOk = noWordInside(doc, i, at, n, true);
      if (
        strictOk &&
        (SPEECH_AFTER.test(t.slice(at + n.length)) ||
          TITLE_AFTER.test(t.slice(at + n.length)) ||
          /^团队/.test(t.slice(at + n.length)))
      )
        accept(n);
      // Interview line: 杨喆：
      if (strictOk && at === 0 && t.startsWith('：', n.length)) accept(n);
    }
  });
  // Lists next to an accepted name: A、B、C / A和B.
  for (let pass = 0; pass < 2; pass++) {
    texts.forEach((t, i) => {
      for (const n of [...names]) {
        let at = t.indexOf(n);
        while (at >= 0) {
          const after = at + n.length;
          if (/^[、和及与]/.test(t.slice(after)))
            accept(checked(i, after + 1, nameAt(t, after + 1)) ?? foreignAt(t, after + 1));
          at = t.indexOf(n, after);
        }
      }
    });
  }
  const mentions: Mention[] = [];
  texts.forEach((t, i) => {
    for (const n of names) {
      let at = t.indexOf(n);
      while (at >= 0) {
        mentions.push(mention('Person', i, at, n, 2));
        at = t.indexOf(n, at + n.length);
      }
    }
  });
  return { mentions, names, titled };
}

/** No verb, particle or preposition inside the span (解释道, 关注的, 解读篇 are not names). */
function noWordInside(doc: Doc, i: number, at: number, n: string, strict = false): boolean {
  const toks = doc.tokens(i).filter((k) => k.start >= at && k.end <= at + n.length);
  return !toks.some(
    (k) =>
      (k.word.length >= 2 && /^(?:v|vn|uj|ud|ul|d|p|c|r|q|f)$/.test(k.tag)) ||
      (k.word.length >= 2 && strict && k.start === at && /^(?:n|a|ns|t|m)$/.test(k.tag)) ||
      (k.word.length === 1 && k.start > at && /^(?:uj|ul|ud|f|p|c)$/.test(k.tag)),
  );
}

/** jieba must not read the span as an ordinary word (公司表示, 国家表示): nr, unknown, or split. */
function jiebaSaysName(doc: Doc, i: number, at: number, n: string): boolean {
  const toks = doc.tokens(i).filter((k) => k.end > at && k.start < at + n.length);
  if (toks.some((k) => k.start === at && k.end === at + n.length && !/^(?:nr|nrfg|nrt|x)$/.test(k.tag))) return false;
  if (toks.some((k) => k.start < at || k.end > at + n.length)) return false;
  return true;
}

/** Persons named by the page outside the text: byline journalists and the responsible editor. */
export function bylineNames(byline: string | undefined): string[] {
  if (!byline) return [];
  const m = /记者[ 　:：]*([\u4e00-\u9fff ·、]+)/.exec(byline);
  if (!m) return [];
  // Each part must read as a name on its own (丁伟摄 is 丁伟 + 摄 "photo").
  return m[1]
    .split(/[ 、]+/)
    .map((part) => nameAt(`${part} `, 0) ?? '')
    .filter((n) => n.length >= 2);
}

export function editorName(editor: string | undefined): string | undefined {
  const m = /^[\u4e00-\u9fff·]{2,5}/.exec((editor ?? '').trim());
  return m?.[0];
}
