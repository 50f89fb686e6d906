/**
 * Government and regulatory bodies: lexicon names (工信部 -> 工业和信息化部), place + body patterns
 * (浙江省住房和城乡建设厅, 西城房管局, 大连市金州区人民政府), sub-units of a known body (商务部外资司) and
 * bare local forms (省政府, 市住建委).
 */
import type { Doc, Mention } from './doc.js';
import { isHan, mention } from './doc.js';
import { AGENCY_NAMES, AGENCY_SUFFIXES, alternation, MEDIA, PLACES } from './lexicon.js';

const LEX = new RegExp(alternation(AGENCY_NAMES.keys()), 'g');
const SUFFIX = alternation(AGENCY_SUFFIXES);
const PLACE = `(?:${alternation(PLACES)})(?:省|市|自治区|特别行政区|新区|区|县)?`;
/** place (+ place) + up to 12 characters + body ending, e.g. 东莞市倍增计划工作领导小组办公室 */
const LOCAL = new RegExp(`(?:中共)?${PLACE}(?:${PLACE})?[\\u4e00-\\u9fff]{0,12}?(?:${SUFFIX})`, 'g');
/** Administrative committees of development zones, at a clause start: （鹿城新区管委会）. */
const ZONE = /(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}(?:新区|开发区|高新区|经开区|自贸区)管委会/g;
const PLACE_HEAD = new RegExp(`^(?:中共)?${PLACE}`);
/** 江苏省体育局和无锡市人民政府: a conjunction before another place starts a second body. */
const SECOND_BODY = new RegExp(`[和与及、](?:中共)?${PLACE}`);
const SUFFIX_TAIL = new RegExp(`(?:${SUFFIX})$`);
const LEX_ANY = new RegExp(LEX.source);
const SUFFIX_ANY = new RegExp(SUFFIX);
/** bare local forms: 省政府, 市住建委, 区人民法院 */
const BARE = new RegExp(`(?:省|市|区|县)(?:${SUFFIX})`, 'g');
/** a known central body + its department: 商务部外资司, 生态环境部固体废物与化学品司 */
const SUBUNIT = new RegExp(`(?:${alternation(AGENCY_NAMES.keys())})([\\u4e00-\\u9fff]{2,10}?(?:司|局|办公室))`, 'g');

const FOREIGN_GOV =
  /[阿埃艾奥巴拜贝比波伯布达德蒂丁杜恩法菲弗福盖戈格哈海赫基吉加杰卡凯康柯科克肯库拉莱兰朗劳雷里利林卢鲁伦罗洛马麦曼梅蒙米莫穆纳尼纽诺帕佩普奇乔萨塞桑森沙什施斯松苏索塔泰坦汤特图托瓦威韦维沃乌西希谢休逊亚扬耶伊约泽扎詹佐]{2,4}政府/g;

/** Words that cannot be inside a body's name: they mean the match ran across a clause. */
const BAD_MIDDLE =
  /[的了是将在对从向把被为等均已也都于就还并及或]|表示|通报|发布|印发|要求|提出|显示|数据|今年|去年|日前|近日|昨日|已经|正在|目前|记者|联合|召开|举行|介绍|累计|吸收|成为|利用|出台|推动|实施|开展|率先|企业|公司|市场|经济|部门|地区|全国|这|该|其|一/;
/** Characters before a bare form that mean it is part of a longer word (城市政府, 全市政府). */
const BARE_OK_BEFORE = /[和与及、，。；：“”（）\s由经据从向对在将]/;

export function findAgencies(doc: Doc): Mention[] {
  const out: Mention[] = [];
  doc.sentences.forEach((s, i) => {
    const t = s.text;
    for (const m of t.matchAll(LEX)) {
      if (isLatinInside(t, m.index!, m[0])) continue;
      // 全国人大代表, 全国政协委员: a person's status, not the body acting.
      if (/^(?:代表|委员)/.test(t.slice(m.index! + m[0].length))) continue;
      // 民政部门, 财政部门: the word 部门 (a department of any government), not the ministry.
      if (m[0].endsWith('部') && t[m.index! + m[0].length] === '门') continue;
      out.push(mention('Agency', i, m.index!, m[0], 3, AGENCY_NAMES.get(m[0])));
    }
    // Local patterns need a body ending somewhere in the sentence: a cheap test first.
    const hasSuffix = SUFFIX_ANY.test(t);
    if (hasSuffix)
      for (const m of t.matchAll(LOCAL)) {
        const name = m[0];
        const middle = name.replace(PLACE_HEAD, '');
        if (BAD_MIDDLE.test(middle.replace(SUFFIX_TAIL, ''))) continue;
        if (SECOND_BODY.test(middle)) continue;
        if (MEDIA.has(name)) continue;
        // 自治区政协委员: a person's status. 区民政部门: the word 部门.
        if (/^(?:代表|委员|门)/.test(t.slice(m.index! + name.length))) continue;
        out.push(mention('Agency', i, m.index!, name, 2));
      }
    for (const m of t.matchAll(SUBUNIT)) {
      // 财政部和税务总局 is two bodies, not a department.
      if (BAD_MIDDLE.test(m[1].slice(0, -1)) || m[1].includes('和') || /公司$/.test(m[1]) || LEX_ANY.test(m[1]))
        continue;
      out.push(mention('Agency', i, m.index!, m[0], 2));
    }
    for (const m of t.matchAll(ZONE)) out.push(mention('Agency', i, m.index!, m[0], 1));
    // A foreign leader's administration: 特朗普政府, 拜登政府.
    for (const m of t.matchAll(FOREIGN_GOV)) out.push(mention('Agency', i, m.index!, m[0], 2));
    if (hasSuffix)
      for (const m of t.matchAll(BARE)) {
        const before = t[m.index! - 1];
        if (before !== undefined && isHan(before) && !BARE_OK_BEFORE.test(before)) continue;
        out.push(mention('Agency', i, m.index!, m[0], 1));
      }
  });
  return out;
}

/** Latin abbreviations (IMF, WTO) only count as whole words. */
function isLatinInside(text: string, at: number, name: string): boolean {
  if (!/^[A-Za-z0-9]+$/.test(name)) return false;
  return /[A-Za-z0-9]/.test(text[at - 1] ?? '') || /[A-Za-z0-9]/.test(text[at + name.length] ?? '');
}
