/**
 * Readers of labelled training and evaluation text, all to { text, spans }: CLUENER2020 JSON lines,
 * character-per-line BIO/BIOES files (MSRA, People's Daily), and the article gold format projected onto
 * sentence spans. Bad lines raise an error naming the file and line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArticle } from '../../parse.js';
import { Doc } from '../doc.js';
import type { Span, TagType } from './tags.js';

export interface LabelledSentence {
  text: string;
  spans: Span[];
  /** where it came from: file:line */
  source: string;
}

/** CLUENER labels that are one of our types; the other six labels are outside. */
export const CLUENER_TYPES: Record<string, TagType> = { name: 'Person', company: 'Company', government: 'Agency' };

function lines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/);
  } catch (err) {
    throw new Error(`${path}: cannot read (${(err as Error).message})`);
  }
}

/** `{"text", "label": {type: {entity: [[start, endInclusive], ...]}}}` per line. */
export function readCluener(path: string): LabelledSentence[] {
  const out: LabelledSentence[] = [];
  lines(path).forEach((l, i) => {
    if (!l.trim()) return;
    const where = `${path}:${i + 1}`;
    let o: { text?: unknown; label?: unknown };
    try {
      o = JSON.parse(l);
    } catch (err) {
      throw new Error(`${where}: not JSON (${(err as Error).message})`);
    }
    if (typeof o.text !== 'string') throw new Error(`${where}: missing "text"`);
    const spans: Span[] = [];
    const label = (o.label ?? {}) as Record<string, Record<string, number[][]>>;
    if (typeof label !== 'object') throw new Error(`${where}: "label" is not an object`);
    for (const [lab, names] of Object.entries(label)) {
      const type = CLUENER_TYPES[lab];
      if (!type) continue;
      for (const [name, places] of Object.entries(names ?? {})) {
        for (const p of places ?? []) {
          if (!Array.isArray(p) || p.length !== 2 || o.text.slice(p[0], p[1] + 1) !== name) {
            throw new Error(`${where}: span ${JSON.stringify(p)} of "${name}" does not match the text`);
          }
          spans.push({ type, start: p[0], end: p[1] + 1 });
        }
      }
    }
    out.push({ text: o.text, spans, source: where });
  });
  return out;
}

/** Names that are not ours whatever their ending (ANNOTATION.md): media, schools and research, associations, teams, troupes. */
const ORG_OUTSIDE =
  /(?:日报|晚报|时报|报社|星报|电视台|电台|新华社|通讯社|出版社|杂志|编辑部|大学|学院|学校|中学|小学|党校|军校|研究院|研究所|研究中心|科学院|工程院|医院|卫生院|孤儿院|福利院|博物院|协会|学会|商会|联合会|基金会|促进会|同学会|研究会|友协|俱乐部|队|歌舞团|艺术团|乐团|合唱团|剧团|剧院|马戏团|代表团|访问团|考察团|议员团|主席团|党团)$/;
/** Not one of ours, or not a name, or a party / congress / committee that ANNOTATION.md leaves open: the sentence is dropped. */
const ORG_UNSURE =
  /^(?:委员会|常委会|理事会|公司|中心|部|局|处|办|委|党委|政府|法院|组委会|筹委会)$|(?:大会|[^人]大|党|学社|民革|民进|民建|共产国际|中共|理事会|组委会|筹委会|治丧委员会|国集团|发展银行|清算银行|进出口银行|民主建国会|立法会|舰队|编队|总队|支队|大队|中队|游击队|警队|(?:评论|法律|文艺|营销开发|产业资源|公民|体育|国际|培训|经营|飞行|编辑)部|发展银行集团|开发银行|世界银行|亚行|支部|团委|团省委|团县委|团市委|共青团|村委会?|工程局|气象台|中心)$|(?:友好|友协|团结|扶贫|关系全国|贸易全国|[党运动]中央委员会|党.*委员会|企业|公司.+|证券.+|银行.+|集团.+|大学.+|日报.+|报社.+|俱乐部.+|电视台.+)/;
/** A company by its ending (ANNOTATION.md: businesses, banks, brokers, insurers, branches). */
const ORG_COMPANY = /(?:公司|集团|有限|股份|证券|银行|保险|厂)$/;
/** A central bank is an Agency, not a bank (ANNOTATION.md). */
const ORG_CENTRAL_BANK = /(?:人民银行|中央银行|储备银行|国家银行|联邦银行|央行|^(?:日本|英格兰|法兰西)银行)$/;
/** A government or regulatory body by its ending, incl. the bodies CLUENER's `government` covers (armed forces, police). */
const ORG_AGENCY =
  /(?:部|局|署|厅|司|办|办公室|办事处|办理处|政府|法院|检察院|国务院|参议院|众议院|议院|枢密院|[上下]院|人大|政协|委员会|常委会|委|中央|书记处|议会|国会|杜马|内阁|白宫|安理会|联合国|欧盟|东盟|非盟|北约|欧佩克|组织|军|海军|空军|陆军|部队|武警|舰队|军区|司令部|指挥部|警|派出所|法庭|海关|使馆|领事馆)$/;

/** A body named by a category word (政府, 警方, 有关部门) that these files leave outside and CLUENER labels. */
const UNLABELLED_BODY = /政府|警方|央行|当局|军方|部队|军队|法院|检察院|公安|部门|机关|党委/;

/**
 * An organisation span of MSRA / People's Daily (their ORG mixes companies and agencies) mapped by its
 * ending: Agency, Company, 'O' (a body that is none of our types: media, schools, associations, teams) or
 * null when the ending does not say (short forms such as 微软, parties, congresses).
 */
export function orgType(name: string): TagType | 'O' | null {
  if (ORG_UNSURE.test(name)) return null;
  if (ORG_OUTSIDE.test(name)) return 'O';
  if (ORG_CENTRAL_BANK.test(name)) return 'Agency';
  if (ORG_COMPANY.test(name)) return 'Company';
  if (ORG_AGENCY.test(name)) return 'Agency';
  return null;
}

/**
 * `char<TAB or SPACE>tag` per line, blank line between sentences; tags B-/I-/E-/S-/M-X or O.
 * Person spans are kept. MSRA and People's Daily ORG mixes companies and agencies: with org 'drop', sentences
 * that label an organisation are left out, so they do not teach the tagger that it is outside; with org
 * 'map', each ORG span is typed by its ending (orgType) and a sentence with an ORG that cannot be typed is
 * left out, and so is one that writes a body by its category word outside any label (政府, 警方, 有关部门:
 * CLUENER labels those). With personSentencesOnly, sentences without a Person (or, with 'map', a Company / Agency) are
 * left out too (they add little but outside labels).
 */
export function readBio(path: string, org: 'drop' | 'map' = 'drop', personSentencesOnly = true): LabelledSentence[] {
  const out: LabelledSentence[] = [];
  let chars: string[] = [];
  let tags: string[] = [];
  let startLine = 1;
  const flush = () => {
    if (chars.length) {
      const text = chars.join('');
      const spans: Span[] = [];
      let hasOrg = false;
      let unsure = false;
      let open = -1;
      let openType = '';
      const close = (end: number) => {
        if (open >= 0) {
          if (openType === 'PER' || openType === 'NR') spans.push({ type: 'Person', start: open, end });
          if (org === 'map' && (openType === 'ORG' || openType === 'NT')) {
            const t = orgType(text.slice(open, end));
            if (t === null) unsure = true;
            else if (t !== 'O') spans.push({ type: t, start: open, end });
          }
        }
        open = -1;
      };
      tags.forEach((t, i) => {
        const m = /^([BIEMS])-(\w+)$/.exec(t);
        if (!m) {
          close(i);
          return;
        }
        if (m[2] === 'ORG' || m[2] === 'NT') hasOrg = true;
        if (m[1] === 'B' || m[1] === 'S' || open < 0 || openType !== m[2]) {
          close(i);
          open = i;
          openType = m[2];
        }
        if (m[1] === 'E' || m[1] === 'S') close(i + 1);
      });
      close(tags.length);
      // 政府, 警方, 有关部门 written outside any labelled name: CLUENER labels such bodies, these files do not.
      if (org === 'map' && UNLABELLED_BODY.test(text.replace(/./gu, (ch, i: number) => (tags[i] === 'O' ? ch : '|'))))
        unsure = true;
      if (!(org === 'drop' && hasOrg) && !unsure && !(personSentencesOnly && !spans.length))
        out.push({ text, spans, source: `${path}:${startLine}` });
    }
    chars = [];
    tags = [];
  };
  lines(path).forEach((l, i) => {
    if (!l.trim()) {
      flush();
      startLine = i + 2;
      return;
    }
    const m = /^(\S+)[\t ]+(\S+)\s*$/.exec(l);
    if (!m || [...m[1]].length !== 1) throw new Error(`${path}:${i + 1}: expected "<char> <tag>"`);
    chars.push(m[1]);
    tags.push(m[2]);
  });
  flush();
  return out;
}

/**
 * The article gold format (ANNOTATION.md): every sentence of each article, with every occurrence of a
 * gold Company / Agency / Person name as a span (longest names first, no overlaps).
 */
export function readGoldArticles(goldPath: string, root: string): LabelledSentence[] {
  const out: LabelledSentence[] = [];
  lines(goldPath).forEach((l, i) => {
    if (!l.trim()) return;
    const where = `${goldPath}:${i + 1}`;
    let g: { file: string; entities: Record<string, string[][]> };
    try {
      g = JSON.parse(l);
    } catch (err) {
      throw new Error(`${where}: not JSON (${(err as Error).message})`);
    }
    const path = resolve(root, g.file);
    const article = parseArticle(readFileSync(path), path);
    const doc = new Doc(article.id, article.title, article.paragraphs, article.hints);
    const names: { type: TagType; name: string }[] = [];
    for (const type of ['Company', 'Agency', 'Person'] as const) {
      for (const e of g.entities?.[type] ?? []) for (const n of e) if (n.length >= 2) names.push({ type, name: n });
    }
    names.sort((a, b) => b.name.length - a.name.length);
    for (const s of doc.sentences) {
      const spans: Span[] = [];
      const taken = new Uint8Array(s.text.length);
      for (const { type, name } of names) {
        for (let at = s.text.indexOf(name); at >= 0; at = s.text.indexOf(name, at + name.length)) {
          if (taken.subarray(at, at + name.length).some((x) => x)) continue;
          taken.fill(1, at, at + name.length);
          spans.push({ type, start: at, end: at + name.length });
        }
      }
      out.push({ text: s.text, spans, source: `${g.file}#${s.index}` });
    }
  });
  return out;
}

/**
 * A seeded split: `fraction` of the sentences (chosen by a seeded shuffle) held out, the rest for training.
 * The same file, fraction and seed always give the same split, so `eval` can score the slice `train` held out.
 */
export function holdoutSplit<T>(xs: T[], fraction: number, seed: number): { train: T[]; heldOut: T[] } {
  const idx = xs.map((_, i) => i);
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const k = Math.round(xs.length * fraction);
  const held = new Set(idx.slice(0, k));
  return { train: xs.filter((_, i) => !held.has(i)), heldOut: xs.filter((_, i) => held.has(i)) };
}
