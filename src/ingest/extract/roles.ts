/** Roles: ORG + TITLE + NAME in one run of text, e.g. 工信部总工程师田玉龙, 广发基金资产配置部总经理杨喆. */
import { bySentence, type Doc, type Mention } from './doc.js';
import { alternation, PERSON_TITLES } from './lexicon.js';

const ENDS_WITH_TITLE = new RegExp(`(?:${alternation(PERSON_TITLES)})$`);

export interface RolePair {
  person: Mention;
  org: Mention;
  title: string;
  sent: number;
}

export function findRoles(doc: Doc, mentions: Mention[]): RolePair[] {
  const out: RolePair[] = [];
  const orgsOf = bySentence(mentions.filter((m) => m.type === 'Agency' || m.type === 'Company'));
  for (const p of mentions) {
    if (p.type !== 'Person') continue;
    const t = doc.sentences[p.sent].text;
    const org = orgsOf(p.sent)
      .filter((o) => o.end <= p.start && p.start - o.end <= 14)
      .sort((a, b) => b.end - a.end)[0];
    if (!org) continue;
    const title = t.slice(org.end, p.start).trim();
    if (!title || /[，。；：！？、“”（）()\s]/.test(title) || !ENDS_WITH_TITLE.test(title)) continue;
    if (title === '记者' || title === '编辑') continue;
    out.push({ person: p, org, title, sent: p.sent });
  }
  return out;
}
