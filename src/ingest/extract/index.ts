/**
 * Entity and relation extraction for one article: Company, Agency, Person, Policy and Stock entities
 * with their sentences, ISSUED (Agency -> Policy), roles, listings, journalists and editor.
 * Rules + curated lexicons (data/lexicons/) + jieba POS tags, and a trained character tagger for
 * Person / Company / Agency (tagger/, model in data/models/); see each module for its rules.
 */
import { ENTITY_TYPES } from '../../graph/vocabulary.js';
import { cleanText, nameKey } from '../text.js';
import type {
  ExtractedEntity,
  ExtractedIssued,
  ExtractedListing,
  ExtractedRole,
  Extraction,
  ParsedArticle,
} from '../types.js';
import { findAgencies } from './agency.js';
import { findCompanies } from './company.js';
import { bySentence, Doc, type Mention } from './doc.js';
import { findIssued } from './issued.js';
import { alternation, COMPANY_NAMES, COMPANY_SUFFIXES, PLACES, POLICY_TERMS } from './lexicon.js';
import { bylineNames, editorName, findPersons, type PersonResult } from './person.js';
import { findPolicies } from './policy.js';
import { dropCrossingPolicies, type Group, group, rescan, resolveOverlaps, toEntity } from './resolve.js';
import { findRoles } from './roles.js';
import { tokenize } from './segment.js';
import { findStocks } from './stock.js';
import { reviewStockHints } from './stock-links.js';
import { defaultTagger } from './tagger/index.js';
import { gazetteerLinks } from './tagger/links.js';
import { TAGGER_PRIO, taggedMentions } from './tagger/mentions.js';

export function extractArticle(article: ParsedArticle): Extraction {
  // Stock links are checked against the listed-company list and the text before any is used.
  const reviewed = reviewStockHints(article.paragraphs, article.hints);
  const doc = new Doc(article.id, article.title, article.paragraphs, reviewed?.hints ?? article.hints);
  // English articles: only what rules are sure of (stock codes and links), no Chinese tagger.
  const x = article.language === 'en' ? extractStocksOnly(doc) : extractDoc(doc);
  return reviewed ? { ...x, stockLinks: reviewed.review } : x;
}

function extractStocksOnly(doc: Doc): Extraction {
  const entities: ExtractedEntity[] = findStocks(doc).map((st) => {
    const seen = new Set<number>();
    const sites = st.mentions.filter((m) => !seen.has(m.sent) && seen.add(m.sent)).map((m) => doc.site(m.sent));
    return { type: 'Stock', name: st.code, aliases: st.name ? [st.name] : [], sites };
  });
  return { entities, issued: [], roles: [], listings: [], journalists: [], editor: null };
}

/** Plain text: one paragraph per line, no title, no page hints. */
export function extractText(id: string, text: string): Extraction {
  const paragraphs = text.split(/\r?\n/).map(cleanText).filter(Boolean);
  return extractDoc(new Doc(id, '', paragraphs, { stocks: [] }));
}

const COMPANY_END = new RegExp(`(?:${alternation(COMPANY_SUFFIXES)}|钼业|电器)$`);
const FORMAL = /(?:股份有限公司|有限责任公司|有限公司)$/;
const PLACE_LEAD = new RegExp(`^(?:${alternation(PLACES)})(?:省|市)?`);
const AMBIGUOUS_SHORT = new Set(['联想', '美的', '小米', '富国', '国泰', '阿里', '中金', '国网', '嘉实', '博时']);

/** A stock's short name is also a Company when it looks like one (线上线下, 农产品 and indexes are not). */
function stockIsCompany(name: string): boolean {
  if (!name || /指数$/.test(name)) return false;
  if (COMPANY_NAMES.has(name) || COMPANY_END.test(name)) return true;
  return tokenize(name).some((t) => t.tag === 'x' || t.tag === 'nz' || t.tag === 'nt');
}

/**
 * A plan a company launches (联想发起…帮扶工程) is a company strategy, not a policy: drop a Policy whose
 * nearest preceding actor in its sentence is a Company, unless an agency is in the sentence or it is a
 * well-known national programme.
 */
function dropCompanyInitiatives(mentions: Mention[]): Mention[] {
  const bySent = new Map<number, Mention[]>();
  for (const m of mentions) bySent.set(m.sent, [...(bySent.get(m.sent) ?? []), m]);
  return mentions.filter((p) => {
    if (p.type !== 'Policy' || POLICY_TERMS.has(p.surface)) return true;
    const same = bySent.get(p.sent)!.filter((m) => m !== p);
    if (same.some((m) => m.type === 'Agency')) return true;
    const actor = same
      .filter((m) => m.type !== 'Policy' && m.type !== 'Stock' && m.end <= p.start)
      .sort((a, b) => b.end - a.end)[0];
    return !(actor && actor.type === 'Company' && p.start - actor.end <= 30);
  });
}

/**
 * With the tagger on, the person rules' weaker evidence (a surname + speech verb, jieba's nr tag, a list
 * next to a name) admits places, titles and book names (卢克索和阿斯旺, 向记者表示): such a name counts only
 * where the tagger also reads it as a person somewhere in the article. A title right before the name or
 * a bracketed byline (记者 张辛欣) stays enough on its own.
 */
function confirmedPersons(persons: PersonResult, tagged: Mention[]): Mention[] {
  if (!defaultTagger()) return persons.mentions;
  const byTagger = new Set(tagged.filter((m) => m.type === 'Person').map((m) => m.surface));
  return persons.mentions.filter((m) => persons.titled.has(m.surface) || byTagger.has(m.surface));
}

/**
 * The rules' weakest guesses (a name cut back from a suffix such as …集团 or …股份, priority below the
 * tagger's) give way where the tagger reads the same place differently: 制笔企业贝发集团 is 贝发集团. A formal
 * name (…有限公司), read back to the clause start, stays, and so does a name the page links as a listed stock.
 */
function yieldToTagger(rules: Mention[], tagged: Mention[], linked: ReadonlySet<string>): Mention[] {
  if (!tagged.length) return rules;
  const taggedOf = bySentence(tagged);
  return rules.filter(
    (m) =>
      m.prio >= TAGGER_PRIO ||
      FORMAL.test(m.surface) ||
      linked.has(m.surface) ||
      !taggedOf(m.sent).some((t) => t.start < m.end && m.start < t.end && (t.start !== m.start || t.end !== m.end)),
  );
}

export function extractDoc(doc: Doc): Extraction {
  const stocks = findStocks(doc);
  const companyStocks = stocks.filter((s) => s.nameBesideCode || stockIsCompany(s.name)).map((s) => s.name);
  const persons = findPersons(doc);
  const policies = findPolicies(doc);
  // The trained tagger (tagger/): names no rule or word list knows.
  const institutions: Mention[] = [];
  const tagged = taggedMentions(doc, undefined, institutions);
  const institutionsOf = bySentence(institutions);
  const raw: Mention[] = [
    ...findAgencies(doc),
    ...yieldToTagger(findCompanies(doc, companyStocks), tagged, new Set(companyStocks)),
    ...confirmedPersons(persons, tagged),
    ...policies.mentions,
    ...tagged,
  ].filter(
    (m) =>
      m.type === 'Policy' ||
      !institutionsOf(m.sent).some((b) => b.start <= m.start && m.end <= b.end && m.end - m.start < b.end - b.start),
  );
  const linked = new Set(companyStocks);
  const first = resolveOverlaps(dropCrossingPolicies(raw), linked);
  const skip = (m: Mention) =>
    (m.type === 'Person' && m.prio !== TAGGER_PRIO) ||
    (m.type === 'Company' && AMBIGUOUS_SHORT.has(m.surface)) ||
    (m.type === 'Agency' && /^[省市区县]/.test(m.surface)) ||
    m.surface.length < 2;
  const mentions = dropCompanyInitiatives(
    resolveOverlaps(dropCrossingPolicies([...first, ...rescan(doc, first, skip)]), linked),
  );

  // Links from one form to another of the same entity.
  const links = new Map<string, string>();
  const forms = (type: Mention['type']) => [...new Set(mentions.filter((m) => m.type === type).map((m) => m.surface))];
  const agencyForms = forms('Agency');
  for (const bare of agencyForms.filter((f) => /^[省市区县]/.test(f))) {
    const full = agencyForms.filter((f) => f !== bare && f.endsWith(bare) && PLACE_LEAD.test(f));
    if (full.length === 1) links.set(`Agency:${bare}`, full[0]);
  }
  // 大连市金州区人民政府（金普新区管委会）: the bracketed body is another name of the same one.
  const mentionsOf = bySentence(mentions);
  for (const b of mentions) {
    if (b.type !== 'Agency' || b.canonical) continue;
    const t = doc.sentences[b.sent].text;
    if (!/[）)]/.test(t[b.end] ?? '') || !/[（(]/.test(t[b.start - 1] ?? '')) continue;
    const a = mentionsOf(b.sent).find((m) => m.type === 'Agency' && m.end === b.start - 1);
    if (a) links.set(`Agency:${b.surface}`, a.canonical ?? a.surface);
  }
  for (const [short, full] of policies.aliases) links.set(`Policy:${short}`, full);
  const companyForms = forms('Company');
  for (const f of companyForms.filter((x) => FORMAL.test(x))) {
    const core = f.replace(FORMAL, '');
    const bare = core.replace(PLACE_LEAD, '');
    const target = companyForms.find(
      (c) => c !== f && (c === core || c === bare || `${c}股份` === bare || `${c}股份` === core),
    );
    if (target) links.set(`Company:${f}`, target);
  }
  for (const [k, v] of gazetteerLinks('Company', companyForms)) if (!links.has(k)) links.set(k, v);
  for (const [k, v] of gazetteerLinks('Agency', agencyForms)) if (!links.has(k)) links.set(k, v);

  const groups = group(mentions, links);
  const groupOf = new Map<Mention, Group>();
  for (const g of groups.values()) for (const m of g.mentions) groupOf.set(m, g);
  const entities: ExtractedEntity[] = [];
  const nameOf = new Map<Group, string>();
  for (const g of groups.values()) {
    const e = toEntity(doc, g);
    nameOf.set(g, e.name);
    entities.push(e);
  }
  const canonical = (m: Mention) => nameOf.get(groupOf.get(m)!)!;

  // Stocks: code as name, short name as alias.
  for (const st of stocks) {
    const seen = new Set<number>();
    const sites = st.mentions.filter((m) => !seen.has(m.sent) && seen.add(m.sent)).map((m) => doc.site(m.sent));
    entities.push({ type: 'Stock', name: st.code, aliases: st.name ? [st.name] : [], sites });
  }

  // Byline journalists and the editor are people even when the text does not repeat them.
  const personByKey = new Map(entities.filter((e) => e.type === 'Person').map((e) => [nameKey(e.name), e]));
  const ensurePerson = (n: string): string => {
    const known = personByKey.get(nameKey(n));
    if (known) return known.name;
    const sites = doc.sentences.flatMap((s, i) => (s.text.includes(n) ? [doc.site(i)] : []));
    const e: ExtractedEntity = { type: 'Person', name: n, aliases: [], sites };
    entities.push(e);
    personByKey.set(nameKey(n), e);
    return n;
  };
  const journalists = bylineNames(doc.hints.byline).map(ensurePerson);
  const ed = editorName(doc.hints.editor);
  const editor = ed ? ensurePerson(ed) : null;

  const issued: ExtractedIssued[] = [];
  const seenIssued = new Set<string>();
  for (const p of findIssued(doc, mentions)) {
    const agency = canonical(p.agency);
    const policy = canonical(p.policy);
    const key = `${agency}\u0000${policy}`;
    if (seenIssued.has(key)) continue;
    seenIssued.add(key);
    issued.push({ agency, policy, evidence: doc.sentences[p.sent].text });
  }

  const roles: ExtractedRole[] = [];
  const seenRoles = new Set<string>();
  for (const r of findRoles(doc, mentions)) {
    const person = canonical(r.person);
    const org = canonical(r.org);
    const key = `${person}\u0000${r.title}\u0000${org}`;
    if (seenRoles.has(key)) continue;
    seenRoles.add(key);
    roles.push({
      person,
      title: r.title,
      org,
      orgType: r.org.type as 'Agency' | 'Company',
      evidence: doc.sentences[r.sent].text,
    });
  }

  const listings: ExtractedListing[] = [];
  const companies = entities.filter((e) => e.type === 'Company');
  for (const st of stocks) {
    if (!st.name) continue;
    const c = companies.find((e) => [e.name, ...e.aliases].some((n) => nameKey(n) === nameKey(st.name)));
    if (c) listings.push({ company: c.name, stock: st.code });
  }

  // Stable order: by type, then by first occurrence.
  const typeOrder = [...ENTITY_TYPES].sort(); // alphabetical: Agency, Company, Person, Policy, Stock
  const firstSent = (e: ExtractedEntity) => (e.sites.length ? e.sites[0].sentence : Number.MAX_SAFE_INTEGER);
  entities.sort(
    (a, b) =>
      typeOrder.indexOf(a.type) - typeOrder.indexOf(b.type) ||
      firstSent(a) - firstSent(b) ||
      a.name.localeCompare(b.name),
  );
  return { entities, issued, roles, listings, journalists, editor };
}
