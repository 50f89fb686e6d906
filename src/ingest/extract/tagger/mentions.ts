/**
 * Tagger output as extraction candidates, with the guideline's exclusions applied on top (ANNOTATION.md):
 * news media are neither Agency nor Company; universities, research institutes and associations are not
 * Agencies; a Person is a name, not a title.
 */
import type { Doc, Mention } from '../doc.js';
import { mention } from '../doc.js';
import { COMPANY_STOP, MEDIA, PERSON_STOP } from '../lexicon.js';
import { tokenize } from '../segment.js';
import { gazetteers } from './gazetteers.js';
import { defaultTagger, type Tagger } from './index.js';

/** Priority below the rules' lexicon matches (2-3): on equal spans a lexicon's type wins. */
export const TAGGER_PRIO = 1.5;

const NOT_AGENCY = /(?:大学|学院|学校|中学|小学|研究院|研究所|研究中心|协会|学会|商会|联合会|基金会|日报|晚报|时报|电视台|新闻|网)$/;
const NOT_COMPANY = /(?:大学|学院|学校|协会|学会|商会|日报|晚报|电视台)$/;
const NOT_PERSON = /[\d\s，。、：；！？（）《》“”]|^(?:记者|编辑|部长|主任|总裁|董事长|经理)$|[摄]$/;
/** Category words that end a generic phrase (互联网公司, 地方政府, 生态环境部门), not a name. */
const GENERIC_HEAD = /(?:公司|企业|集团|机构|政府|部门|机关)$/;
/** POS tags of words that make a name distinctive: places, names, organisations, proper nouns, foreign words. */
const DISTINCT = /^(?:ns|nr|nrt|nrfg|nt|nz|x|eng|j)$/;

/** 互联网公司, 当地政府: the words before the category word are all ordinary words. */
export function isGeneric(s: string): boolean {
  const head = GENERIC_HEAD.exec(s);
  if (!head) return false;
  const prefix = s.slice(0, head.index);
  if (!prefix) return true;
  const known = gazetteers();
  if (known.company.has(s) || known.company.has(prefix) || known.agency.has(s)) return false;
  return tokenize(prefix, false).every((t) => !DISTINCT.test(t.tag) && /^[\u4e00-\u9fff]+$/.test(t.word));
}

export function keepTagged(type: Mention['type'], s: string): boolean {
  if (s.length < 2 || MEDIA.has(s)) return false;
  if (type === 'Agency') return !NOT_AGENCY.test(s) && !isGeneric(s);
  if (type === 'Company') return !NOT_COMPANY.test(s) && !COMPANY_STOP.has(s) && !isGeneric(s);
  if (type === 'Person') return !PERSON_STOP.has(s) && !NOT_PERSON.test(s) && s.length <= 20;
  return true;
}

export function taggedMentions(doc: Doc, tagger: Tagger | null = defaultTagger()): Mention[] {
  if (!tagger) return [];
  const out: Mention[] = [];
  doc.sentences.forEach((s, i) => {
    for (const sp of tagger.tag(s.text, doc.tokens(i))) {
      if (keepTagged(sp.type, sp.text)) out.push(mention(sp.type, i, sp.start, sp.text, TAGGER_PRIO));
    }
  });
  return out;
}
