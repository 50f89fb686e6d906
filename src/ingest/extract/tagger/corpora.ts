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

/**
 * `char<TAB or SPACE>tag` per line, blank line between sentences; tags B-/I-/E-/S-/M-X or O.
 * Only Person spans are kept (MSRA and People's Daily ORG mixes companies and agencies); with dropOrg,
 * sentences that label an organisation are left out, so they do not teach the tagger that it is outside;
 * with personSentencesOnly, so are sentences without a person (they add little but outside labels).
 */
export function readBio(path: string, dropOrg = true, personSentencesOnly = true): LabelledSentence[] {
  const out: LabelledSentence[] = [];
  let chars: string[] = [];
  let tags: string[] = [];
  let startLine = 1;
  const flush = () => {
    if (chars.length) {
      const text = chars.join('');
      const spans: Span[] = [];
      let hasOrg = false;
      let open = -1;
      let openType = '';
      const close = (end: number) => {
        if (open >= 0) {
          if (openType === 'PER' || openType === 'NR') spans.push({ type: 'Person', start: open, end });
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
      if (!(dropOrg && hasOrg) && !(personSentencesOnly && !spans.length))
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
