/**
 * Tagger output as extraction candidates, with the guideline's exclusions applied on top (ANNOTATION.md):
 * news media are neither Agency nor Company; universities, research institutes and associations are not
 * Agencies; a Person is a name, not a title.
 */
import type { Doc, Mention } from '../doc.js';
import { mention } from '../doc.js';
import { MEDIA, PERSON_STOP } from '../lexicon.js';
import { defaultTagger, type Tagger } from './index.js';

/** Priority below the rules' lexicon matches (2-3): on equal spans a lexicon's type wins. */
export const TAGGER_PRIO = 1.5;

const NOT_AGENCY = /(?:大学|学院|学校|中学|小学|研究院|研究所|研究中心|协会|学会|商会|联合会|基金会|日报|晚报|时报|电视台|新闻|网)$/;
const NOT_COMPANY = /(?:大学|学院|学校|协会|学会|商会|日报|晚报|电视台)$/;
const NOT_PERSON = /[\d\sA-Za-z，。、：；！？（）《》“”]|^(?:记者|编辑|部长|主任|总裁|董事长|经理)$/;

export function keepTagged(type: Mention['type'], s: string): boolean {
  if (s.length < 2 || MEDIA.has(s)) return false;
  if (type === 'Agency') return !NOT_AGENCY.test(s);
  if (type === 'Company') return !NOT_COMPANY.test(s);
  if (type === 'Person') return !PERSON_STOP.has(s) && !NOT_PERSON.test(s) && s.length <= 12;
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
