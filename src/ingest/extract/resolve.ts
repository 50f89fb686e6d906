/**
 * From raw candidate mentions to entities: overlap resolution per sentence (longest span wins; an
 * Agency or Company may sit inside a Policy title), every further occurrence of an accepted name,
 * and alias merging.
 *
 * Canonical name rule: the full official name when a lexicon knows the entity (工信部 -> 工业和信息化部,
 * even if only the short form occurs); otherwise the longest form the article uses (浙江省政府 over 省政府,
 * a full title over 《规划》). `aliases` are the other forms used in the text.
 */
import { nameKey } from '../text.js';
import type { EntityType, ExtractedEntity, MentionSite } from '../types.js';
import type { Doc, Mention } from './doc.js';
import { bySentence, mention } from './doc.js';

/** Whether `inner` may stay inside `outer` at the same place. */
function nests(outer: Mention, inner: Mention, linkedStocks: ReadonlySet<string>): boolean {
  if (outer.type === 'Policy') return inner.type === 'Agency' || inner.type === 'Company';
  // 特朗普政府: the person stays a person. A branch (建设银行东四支行) is its own Company and does not also
  // mention the bank it belongs to (ANNOTATION.md: local branches keep their full name), unless the page
  // links the bank's name as a listed stock (<a>中信银行</a>深圳福田支行).
  if (outer.type === 'Agency' && inner.type === 'Person') return outer.surface.endsWith('政府');
  if (outer.type === 'Company' && inner.type === 'Company') {
    return (
      /(?:支行|分行|分公司)$/.test(outer.surface) && inner.start === outer.start && linkedStocks.has(inner.surface)
    );
  }
  return false;
}

/** A policy name that cuts through an organisation or person name is a bad parse (商务部和国家发展改革). */
export function dropCrossingPolicies(mentions: Mention[]): Mention[] {
  const othersOf = bySentence(mentions.filter((o) => o.type !== 'Policy' && o.type !== 'Stock'));
  return mentions.filter(
    (p) =>
      p.type !== 'Policy' ||
      !othersOf(p.sent).some((o) => o.start < p.end && p.start < o.end && !(p.start <= o.start && o.end <= p.end)),
  );
}

/**
 * Keep non-conflicting mentions, longest (then highest priority) first. Stocks are a separate layer.
 * `linkedStocks`: short names the page links as stocks (they stay a Company inside a branch's name).
 */
export function resolveOverlaps(mentions: Mention[], linkedStocks: ReadonlySet<string> = new Set()): Mention[] {
  const bySent = new Map<number, Mention[]>();
  for (const m of mentions) {
    const list = bySent.get(m.sent) ?? [];
    list.push(m);
    bySent.set(m.sent, list);
  }
  const kept: Mention[] = [];
  for (const list of bySent.values()) {
    list.sort((a, b) => b.end - b.start - (a.end - a.start) || b.prio - a.prio || a.start - b.start);
    const acc: Mention[] = [];
    for (const m of list) {
      if (m.type === 'Stock') {
        if (!acc.some((a) => a.type === 'Stock' && a.start === m.start && a.surface === m.surface)) acc.push(m);
        continue;
      }
      const clash = acc.some((a) => {
        if (a.type === 'Stock') return false;
        if (a.end <= m.start || m.end <= a.start) return false;
        const inside = a.start <= m.start && m.end <= a.end;
        if (inside && nests(a, m, linkedStocks)) return false;
        // the same span under another type: first (higher priority) wins
        return true;
      });
      if (!clash) acc.push(m);
    }
    kept.push(...acc);
  }
  return kept;
}

/** Add a mention for every occurrence of each accepted name (skipping names marked ambiguous). */
export function rescan(doc: Doc, accepted: Mention[], skip: (m: Mention) => boolean): Mention[] {
  const seen = new Map<string, Mention>();
  for (const m of accepted) if (!skip(m)) seen.set(`${m.type}\u0000${m.surface}`, m);
  const out: Mention[] = [];
  doc.sentences.forEach((s, i) => {
    for (const m of seen.values()) {
      let at = s.text.indexOf(m.surface);
      while (at >= 0) {
        out.push(mention(m.type, i, at, m.surface, m.prio - 0.5, m.canonical));
        at = s.text.indexOf(m.surface, at + m.surface.length);
      }
    }
  });
  return out;
}

export interface Group {
  type: EntityType;
  forms: Set<string>;
  canonical?: string;
  mentions: Mention[];
}

/** Group mentions into entities: same type and same name key, or linked by `links` (short form -> full form). */
export function group(mentions: Mention[], links: Map<string, string>): Map<string, Group> {
  const groups = new Map<string, Group>();
  // One written form is one entity within an article: a mention of 腾讯 with no canonical name joins
  // the 腾讯 that a word list resolved to 腾讯控股 (else the article has two entities the graph merges).
  const canonicalOfSurface = new Map<string, string>();
  for (const m of mentions) if (m.canonical) canonicalOfSurface.set(`${m.type}:${m.surface}`, m.canonical);
  const keyOf = (m: Mention) => {
    let k = m.canonical ?? canonicalOfSurface.get(`${m.type}:${m.surface}`) ?? m.surface;
    for (let hop = 0; hop < 3 && links.has(`${m.type}:${k}`); hop++) k = links.get(`${m.type}:${k}`)!;
    return `${m.type}:${nameKey(k)}`;
  };
  for (const m of mentions) {
    const key = keyOf(m);
    let g = groups.get(key);
    if (!g) {
      g = { type: m.type, forms: new Set(), mentions: [] };
      groups.set(key, g);
    }
    g.forms.add(m.surface);
    if (m.canonical) g.canonical = m.canonical;
    g.mentions.push(m);
  }
  return groups;
}

export function toEntity(doc: Doc, g: Group): ExtractedEntity {
  const forms = [...g.forms];
  const name = g.canonical ?? forms.sort((a, b) => b.length - a.length || a.localeCompare(b))[0];
  const aliases: string[] = [];
  const keys = new Set([nameKey(name)]);
  for (const f of forms) {
    if (!keys.has(nameKey(f))) {
      keys.add(nameKey(f));
      aliases.push(f);
    }
  }
  const sites: MentionSite[] = [];
  const seenSent = new Set<number>();
  for (const m of [...g.mentions].sort((a, b) => a.sent - b.sent)) {
    if (seenSent.has(m.sent)) continue;
    seenSent.add(m.sent);
    sites.push(doc.site(m.sent));
  }
  return { type: g.type, name, aliases, sites };
}
