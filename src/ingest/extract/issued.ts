/**
 * ISSUED (Agency -> Policy): in one sentence, an agency and a policy with an issuing or announcing verb
 * between them (工信部明确，…“5G+工业互联网”); agencies that head a document title (财政部 税务总局…关于…公告);
 * and quotes attributed to an agency's official (“我们将实施…。”工信部总工程师田玉龙说).
 */
import type { Doc, Mention } from './doc.js';
import { alternation, ISSUE_VERBS } from './lexicon.js';

const VERB = new RegExp(`${alternation(ISSUE_VERBS)}|表示|了解到|指出|强调|介绍|说|称|印发|提出`);
const STRONG = /(?:印发|发布|出台|开展|实施|启动|部署|制定|推出|颁布|下发)(?:了|的|实施)?[《“"]?$/;
/** The agency's own document, named right after it: 大连市政协《…提案》, 某市人民政府（某管委会）2021年政府工作报告. */
const OWNED = /^(?:[）)]|[（(][^（）()]{1,20}[）)])?\s*(?:\d{4}年)?[《“"]?$/;
const PERIOD = /^[“"]?十[一二三四五六七八九]五[”"]?$/;
const JOINT = /^[\s、和与及会同联合]*$/;
const ATTRIBUTION = /^.{0,16}?(?:说|表示|指出|强调|介绍|称)/;

export interface IssuedPair {
  agency: Mention;
  policy: Mention;
  sent: number;
}

export function findIssued(doc: Doc, mentions: Mention[]): IssuedPair[] {
  const out: IssuedPair[] = [];
  const bySent = new Map<number, Mention[]>();
  for (const m of mentions) {
    if (m.type !== 'Agency' && m.type !== 'Policy') continue;
    const l = bySent.get(m.sent) ?? [];
    l.push(m);
    bySent.set(m.sent, l);
  }
  for (const [i, list] of bySent) {
    const t = doc.sentences[i].text;
    const agencies = list.filter((m) => m.type === 'Agency').sort((a, b) => a.start - b.start);
    const policies = list.filter((m) => m.type === 'Policy');
    for (const p of policies) {
      // Agencies named at the head of a document title: 财政部 税务总局…关于…
      const inside = agencies.filter((a) => a.start >= p.start && a.end <= p.end);
      // …or owning it: 上海市政府工作报告.
      if (inside.length && (/关于/.test(p.surface) || inside[0].start === p.start)) {
        const about = /关于/.test(p.surface) ? p.start + p.surface.indexOf('关于') : inside[0].end;
        for (const a of inside) if (a.end <= about) out.push({ agency: a, policy: p, sent: i });
        continue;
      }
      // A planning period (十四五) is when, not what, an agency issues.
      if (PERIOD.test(p.surface)) continue;
      const before = agencies.filter((a) => a.end <= p.start);
      if (before.length) {
        const near = before[before.length - 1];
        const between = t.slice(near.end, p.start);
        // The agency is the subject: its verb follows within a title and a name (工信部部长肖亚庆说).
        const verb = VERB.exec(between);
        // …or a strong issuing verb right before the policy (扎实开展“我为群众办实事”).
        const direct = (STRONG.test(between.slice(-6)) && between.length <= 40) || OWNED.test(between);
        if (!direct && (!verb || verb.index > 10 || p.start - near.end > 60)) continue;
        if (!direct && /负责人|专家|人士/.test(between.slice(0, verb!.index))) continue;
        // Joint issuers: 商务部和国家发展改革委…
        const group = [near];
        for (let k = before.length - 2; k >= 0; k--) {
          if (JOINT.test(t.slice(before[k].end, group[0].start))) group.unshift(before[k]);
          else break;
        }
        for (const a of group) out.push({ agency: a, policy: p, sent: i });
      } else {
        // 《X》由A印发 / X…，A发布
        const after = agencies.find((a) => a.start >= p.end);
        if (after && /由|经/.test(t.slice(p.end, after.start)) && VERB.test(t.slice(after.end))) {
          out.push({ agency: after, policy: p, sent: i });
        }
      }
    }
  }
  // Quotes attributed right after: “…。”工信部总工程师田玉龙说
  doc.sentences.forEach((s, i) => {
    const head = (bySent.get(i) ?? []).filter((m) => m.type === 'Agency' && m.start <= 1)[0];
    if (!head || !ATTRIBUTION.test(s.text.slice(head.end))) return;
    const prev = doc.sentences[i - 1];
    if (!prev || prev.paragraph !== s.paragraph || !/[”"]$/.test(prev.text)) return;
    for (let j = i - 1; j >= 0 && doc.sentences[j].paragraph === s.paragraph; j--) {
      for (const p of (bySent.get(j) ?? []).filter((m) => m.type === 'Policy'))
        out.push({ agency: head, policy: p, sent: j });
      if (/^[“"]/.test(doc.sentences[j].text)) break;
    }
  });
  return out;
}
