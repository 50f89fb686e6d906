/**
 * Tagger output as extraction candidates, with the guideline's exclusions applied on top (ANNOTATION.md):
 * news media are neither Agency nor Company; universities, research institutes and associations are not
 * Agencies; a Person is a name, not a title.
 */
import type { Doc, Mention } from '../doc.js';
import { mention } from '../doc.js';
import { AGENCY_NAMES, COMPANY_STOP, MEDIA, PERSON_STOP } from '../lexicon.js';
import { tokenize } from '../segment.js';
import { gazetteers } from './gazetteers.js';
import { defaultTagger, type Tagger } from './index.js';

/** Priority below the rules' lexicon matches (2-3): on equal spans a lexicon's type wins. */
export const TAGGER_PRIO = 1.5;

const NOT_AGENCY =
  /(?:大学|学院|学校|中学|小学|研究院|研究所|研究中心|协会|学会|商会|联合会|基金会|日报|晚报|时报|电视台|新闻|网)$/;
const NOT_COMPANY = /(?:大学|学院|学校|协会|学会|商会|日报|晚报|电视台)$/;
const NOT_PERSON = /[\d\s，。、：；！？（）《》“”]|^(?:记者|编辑|部长|主任|总裁|董事长|经理)$|[摄]$/;
/** Category words that end a generic phrase (互联网公司, 地方政府, 生态环境部门), not a name. */
const GENERIC_HEAD = /(?:公司|企业|集团|机构|政府|部门|机关)$/;
/** POS tags of words that make a name distinctive: places, names, organisations, proper nouns, foreign words. */
const DISTINCT = /^(?:ns|nr|nrt|nrfg|nt|nz|x|eng|j)$/;

/** POS tags of name characters jieba does not join into a word (中讯: 中/f 讯/ng). */
const NAME_SINGLE = /^(?:ng|nr|ns|nz|nt|j|x|f|g|tg|zg)$/;

/** 互联网公司, 当地政府: the words before the category word are all ordinary words. */
export function isGeneric(s: string): boolean {
  const head = GENERIC_HEAD.exec(s);
  if (!head) return false;
  const prefix = s.slice(0, head.index);
  if (!prefix) return true;
  const known = gazetteers();
  if (known.company.has(s) || known.company.has(prefix) || known.agency.has(s)) return false;
  // A name jieba does not know falls apart into single characters (中讯集团: 中/f 讯/ng): not generic.
  const toks = tokenize(prefix, false);
  if (toks.some((t) => t.word.length === 1 && NAME_SINGLE.test(t.tag))) return false;
  return toks.every((t) => !DISTINCT.test(t.tag) && /^[\u4e00-\u9fff]+$/.test(t.word));
}

const knownBody = (s: string) => AGENCY_NAMES.has(s) || gazetteers().agency.has(s);

/** 中共中央国务院: two known bodies written together are two agencies, which the lexicon finds. */
export function twoBodies(s: string): boolean {
  for (let k = 2; k <= s.length - 2; k++) if (knownBody(s.slice(0, k)) && knownBody(s.slice(k))) return true;
  return false;
}

export function keepTagged(type: Mention['type'], s: string): boolean {
  if (s.length < 2 || MEDIA.has(s)) return false;
  if (type === 'Agency') return !NOT_AGENCY.test(s) && !isGeneric(s) && !twoBodies(s);
  if (type === 'Company') return !NOT_COMPANY.test(s) && !COMPANY_STOP.has(s) && !isGeneric(s);
  if (type === 'Person') return !PERSON_STOP.has(s) && !NOT_PERSON.test(s) && s.length <= 20;
  return true;
}

const OPEN = '（(【[《“';
const CLOSE = '）)】]》”';
/** Brackets must pair up inside a name: 紫风投资（紫金矿业… and CNN） are cut mid-aside. */
function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch) && --depth < 0) return false;
  }
  return depth === 0;
}
/** 恒力旗下德力化纤, 子公司东方财富证券: the name is what follows the ownership word. */
const OWNER_WORD = /^.*(?:旗下|全资子公司|控股子公司|子公司|孙公司)/;
/**
 * 光大银行金融市场部: a company's department is the company (the guideline labels the business). A centre that
 * operates as a business unit (交通银行太平洋信用卡中心) stays whole.
 */
const DEPARTMENT =
  /^(.{2,}?(?:银行|证券|基金|资管|保险|集团|公司|期货|信托|控股))[\u4e00-\u9fff]{2,8}(?:部|处|室|团队)$/;
/** 魏静用, 匡伟则: a function character glued to a name. */
const GLUED = /[用则称说曾也等和的在对向与及将]$/;

/** The span adjusted to the guideline (start offset within it and text), or null to drop it. */
export function refine(type: Mention['type'], text: string): { skip: number; text: string } | null {
  if (!balanced(text) || /[，。、；：！？\s]/.test(text)) return null;
  // 增且证券业务占该公司: a run across a clause (a pronoun or particle inside), not a name.
  if (type !== 'Person' && /[该且]|的/.test(text)) return null;
  let skip = 0;
  let t = text;
  if (type === 'Company') {
    const owner = OWNER_WORD.exec(t);
    // 紫金矿业全资子公司: a description of an unnamed subsidiary, not a name.
    if (owner && owner[0].length === t.length) return null;
    if (owner && owner[0].length < t.length) {
      skip = owner[0].length;
      t = t.slice(skip);
    }
    const dep = DEPARTMENT.exec(t);
    if (dep) t = dep[1];
  }
  if (type === 'Person') {
    if (/^[\u4e00-\u9fff]{3,4}$/.test(t) && GLUED.test(t)) t = t.slice(0, -1);
    // One ordinary dictionary word (毛皮, 纪念) is not a name.
    const toks = tokenize(t, false);
    if (toks.length === 1 && t.length >= 2 && !/^(?:nr|nrfg|nrt|x|eng|ns|nz)$/.test(toks[0].tag)) return null;
  }
  return keepTagged(type, t) ? { skip, text: t } : null;
}

/** A name the guideline leaves out because of what it is (a research centre, a university, a newspaper). */
export function otherInstitution(type: Mention['type'], s: string): boolean {
  if (!balanced(s) || /[，。、；：！？\s]/.test(s)) return false;
  return MEDIA.has(s) || (type === 'Agency' && NOT_AGENCY.test(s)) || (type === 'Company' && NOT_COMPANY.test(s));
}

/**
 * The tagger's names as candidates. With `institutions`, the tagger's names of bodies the guideline leaves
 * out (otherInstitution) are collected there: a name inside one (住房和城乡建设部 in 住房和城乡建设部政策研究中心)
 * names that institution, not its parent.
 */
export function taggedMentions(doc: Doc, tagger: Tagger | null = defaultTagger(), institutions?: Mention[]): Mention[] {
  if (!tagger) return [];
  const out: Mention[] = [];
  doc.sentences.forEach((s, i) => {
    for (const sp of tagger.tag(s.text, doc.tokens(i))) {
      const r = refine(sp.type, sp.text);
      if (r) out.push(mention(sp.type, i, sp.start + r.skip, r.text, TAGGER_PRIO));
      else if (institutions && otherInstitution(sp.type, sp.text))
        institutions.push(mention(sp.type, i, sp.start, sp.text, 0));
    }
  });
  return out;
}
