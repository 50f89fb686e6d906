/**
 * Per-character features of a sentence, as 32-bit hashes (no feature strings are built): character
 * n-grams in a ±2 window, character types, whole Latin runs, jieba word position / POS / word, the
 * classes of every dictionary word around the character, and gazetteer matches (listed companies,
 * places, central bodies, surnames). The model folds hashes into
 * its table; the feature set is fixed by FEATURES_VERSION, stored in the model file.
 */
import type { Token } from '../segment.js';
import { matchParts, type Trie } from './gazetteer.js';
import type { WordClasses } from './word-classes.js';

export const FEATURES_VERSION = 4;
/** Features per character. */
export const NFEAT = 32;

export interface Gazetteers {
  company: Trie;
  place: Trie;
  agency: Trie;
  surname: Trie;
  /** endings of body names (…局, …委员会) and of company names (…公司, …证券): long-range cues */
  agencyEnd: Trie;
  companyEnd: Trie;
  /** classes of every dictionary word a character sits in (word-classes.ts) */
  words: WordClasses;
}

/** Distance buckets: 0, 1, 2, 3-4, 5-8, 9-16, >16 or none (7). */
function bucket(d: number): number {
  return d < 0 ? 7 : d < 3 ? d : d < 5 ? 3 : d < 9 ? 4 : d < 17 ? 5 : 7;
}

const BOS = 1;
const EOS = 2;

function normChar(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full width -> ASCII
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 48 && c <= 57) return 48; // every digit is 0
  return c;
}

/** 0 Han, 1 Latin, 2 digit, 3 Chinese numeral, 4 punctuation/other, 5 outside the sentence (of a normalised code). */
const CHAR_TYPE = (() => {
  const t = new Uint8Array(0x10000).fill(4);
  t.fill(0, 0x4e00, 0xa000);
  t.fill(1, 97, 123);
  t[48] = 2;
  for (const ch of '零一二三四五六七八九十百千万亿两') t[ch.charCodeAt(0)] = 3;
  t[BOS] = t[EOS] = 5;
  return t;
})();
const charType = (c: number) => CHAR_TYPE[c & 0xffff];

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x5bd1e995);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d);
}
const seed = (tpl: number) => Math.imul(tpl + 1, 0x9e3779b1);
function hashStr(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return mix(h, s.length);
}

/** Scratch buffers reused across calls (featurising is single-threaded): 14 int32 rows of length cap. */
let scratch = new Uint8Array(0);
let ints = new Int32Array(0);
let cap = 0;
/** Row `k` of the int32 scratch, zeroed, for a sentence of `n` characters. */
function row(k: number, n: number): Int32Array {
  if (n + 4 > cap) {
    cap = Math.max(n + 4, 2 * cap, 256);
    ints = new Int32Array(14 * cap);
  }
  return ints.subarray(k * cap, k * cap + n + 4).fill(0);
}

/**
 * Features of `text`, `NFEAT` per character (n * NFEAT values), into `into` when it is large enough,
 * else into a new Int32Array.
 * `tokens` are jieba tokens of `text` with character offsets.
 */
export function featurize(text: string, tokens: Token[], gaz: Gazetteers, into?: Int32Array): Int32Array {
  const n = text.length;
  const out = into && into.length >= n * NFEAT ? into : new Int32Array(n * NFEAT);
  const c = row(0, n);
  c[0] = c[1] = BOS;
  c[n + 2] = c[n + 3] = EOS;
  for (let i = 0; i < n; i++) c[i + 2] = normChar(text.charCodeAt(i));
  const ty = row(1, n);
  for (let i = 0; i < n + 4; i++) ty[i] = charType(c[i]);

  // jieba: per character the word position (0 B, 1 M, 2 E, 3 S), POS hash, word hash, prev/next POS.
  const wpos = row(2, n);
  const pos = row(3, n);
  const word = row(4, n);
  const prevPos = row(5, n);
  const nextPos = row(6, n);
  const wlen = row(7, n);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const ph = hashStr(7, t.tag);
    const wh = t.word.length <= 6 ? hashStr(11, t.word) : 13;
    const pp = k > 0 ? hashStr(7, tokens[k - 1].tag) : 17;
    const np = k + 1 < tokens.length ? hashStr(7, tokens[k + 1].tag) : 19;
    for (let i = Math.max(0, t.start); i < Math.min(n, t.end); i++) {
      wpos[i] = t.end - t.start === 1 ? 3 : i === t.start ? 0 : i === t.end - 1 ? 2 : 1;
      pos[i] = ph;
      word[i] = wh;
      prevPos[i] = pp;
      nextPos[i] = np;
      wlen[i] = Math.min(t.end - t.start, 5);
    }
  }

  // Latin runs: the whole run as one feature for each of its characters.
  const run = row(8, n);
  for (let i = 0; i < n; ) {
    if (ty[i + 2] !== 1 && ty[i + 2] !== 2) {
      i++;
      continue;
    }
    let j = i;
    let h = 23;
    while (j < n && (ty[j + 2] === 1 || ty[j + 2] === 2)) h = mix(h, c[j++ + 2]);
    for (let k = i; k < j; k++) run[k] = mix(h, k === i ? 1 : k === j - 1 ? 2 : 3);
    i = j;
  }

  if (scratch.length < 7 * n) scratch = new Uint8Array(7 * n);
  const gComp = scratch.subarray(0, n);
  const gPlace = scratch.subarray(n, 2 * n);
  const gAgency = scratch.subarray(2 * n, 3 * n);
  const gSur = scratch.subarray(3 * n, 4 * n);
  matchParts(gaz.company, text, gComp);
  matchParts(gaz.place, text, gPlace);
  matchParts(gaz.agency, text, gAgency);
  for (let i = 0; i < n; i++) gSur[i] = gaz.surname.longestAt(text, i);
  const wBegin = scratch.subarray(4 * n, 5 * n);
  const wInside = scratch.subarray(5 * n, 6 * n);
  const wEnd = scratch.subarray(6 * n, 7 * n);
  gaz.words.cover(text, wBegin, wInside, wEnd);

  // Long-range cues within a clause (no punctuation between): how far back a place name started, how
  // far ahead a body or company ending closes, so the start of a long name sees its end.
  const prevPlace = row(9, n);
  const nextAg = row(10, n);
  const nextCo = row(11, n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (ty[i + 2] === 4) last = -1;
    if (gPlace[i] === 1 || gPlace[i] === 4) last = i;
    prevPlace[i] = bucket(last < 0 ? -1 : i - last);
  }
  const agEnd = row(12, n);
  const coEnd = row(13, n);
  for (let i = 0; i < n; i++) {
    const a = gaz.agencyEnd.longestAt(text, i);
    if (a) agEnd[i + a - 1] = 1;
    const b = gaz.companyEnd.longestAt(text, i);
    if (b) coEnd[i + b - 1] = 1;
  }
  let na = -1;
  let nc = -1;
  for (let i = n - 1; i >= 0; i--) {
    if (ty[i + 2] === 4) na = nc = -1;
    if (agEnd[i]) na = i;
    if (coEnd[i]) nc = i;
    nextAg[i] = bucket(na < 0 ? -1 : na - i);
    nextCo[i] = bucket(nc < 0 ? -1 : nc - i);
  }

  for (let i = 0; i < n; i++) {
    const p = i + 2; // index into c / ty
    const o = i * NFEAT;
    let f = 0;
    out[o + f++] = seed(0);
    for (let d = -2; d <= 2; d++) out[o + f++] = mix(seed(1 + d + 2), c[p + d]);
    for (let d = -2; d <= 1; d++) out[o + f++] = mix(mix(seed(6 + d + 2), c[p + d]), c[p + d + 1]);
    // Only the centred trigram: the two off-centre ones added nothing measurable on the held-out slice.
    out[o + f++] = mix(mix(mix(seed(11), c[p - 1]), c[p]), c[p + 1]);
    out[o + f++] = mix(seed(13), ty[p - 1] * 49 + ty[p] * 7 + ty[p + 1]);
    out[o + f++] = mix(seed(14), ty[p - 2] * 343 + ty[p - 1] * 49 + ty[p] * 7 + ty[p + 1] * 3 + ty[p + 2]);
    out[o + f++] = mix(mix(seed(15), pos[i]), wpos[i]);
    out[o + f++] = mix(mix(seed(16), word[i]), wpos[i]);
    out[o + f++] = mix(mix(mix(seed(17), prevPos[i]), pos[i]), wpos[i]);
    out[o + f++] = mix(mix(mix(seed(18), nextPos[i]), pos[i]), wpos[i]);
    out[o + f++] = mix(mix(mix(seed(19), c[p]), wpos[i]), wlen[i]);
    out[o + f++] = mix(seed(21), gPlace[i]);
    out[o + f++] = mix(seed(22), gAgency[i]);
    out[o + f++] = mix(mix(seed(24), gSur[i]), i > 0 ? gSur[i - 1] : 9);
    out[o + f++] = run[i] ? mix(seed(26), run[i]) : seed(26);
    // place or body match just before / after: 北京市 + 海淀区 + ..., ... + 有限公司
    out[o + f++] = mix(mix(seed(27), i > 0 ? gPlace[i - 1] : 9), i > 0 ? gAgency[i - 1] : 9);
    out[o + f++] = mix(mix(seed(28), gComp[i]), wpos[i]);
    out[o + f++] = mix(mix(seed(29), c[p]), gPlace[i] * 5 + gAgency[i]);
    out[o + f++] = mix(mix(seed(33), prevPlace[i]), c[p]);
    out[o + f++] = mix(mix(mix(seed(34), nextAg[i]), wpos[i]), ty[p]);
    out[o + f++] = mix(mix(mix(seed(35), nextCo[i]), wpos[i]), ty[p]);
    // Every dictionary word the character sits in (word-classes.ts): the classes of the words that begin
    // and end here, each with the character itself; of the words passing through; a word ending just
    // before one begins (a boundary jieba's one segmentation may not have drawn).
    out[o + f++] = mix(mix(seed(40), wBegin[i]), c[p]);
    out[o + f++] = mix(seed(41), wInside[i]);
    out[o + f++] = mix(mix(seed(42), wEnd[i]), c[p]);
    out[o + f++] = mix(mix(seed(43), i > 0 ? wEnd[i - 1] : 255), wBegin[i]);
    if (f !== NFEAT) throw new Error(`feature count ${f} != ${NFEAT}`);
  }
  return out;
}
