/**
 * Every dictionary word a character sits in, not only the one jieba's segmentation chose: the
 * tagger sees that 中国足协 is an organisation word and 五角大楼 a place word even where jieba cut the
 * sentence another way (the "soft lexicon" of character-based Chinese NER). The words and their
 * classes are jieba's own dictionary (@node-rs/jieba's dict.txt, MIT), read from the installed package.
 */
import { dict } from '@node-rs/jieba/dict.js';

/** Word classes as bits of a mask, from jieba's POS tags. */
const CLASS_OF = new Map<string, number>([
  ['nr', 1], // person
  ['nrt', 1],
  ['nrfg', 1],
  ['ns', 2], // place
  ['nt', 4], // organisation
  ['nz', 8], // other proper noun
  ['j', 16], // abbreviation (发改委, 央行)
  ['n', 32], // common noun (法院, 警方, 海军)
]);

/** Longest word looked up (longer dictionary words are rare and mostly idioms). */
const MAX_LEN = 8;
/** Marks a string that longer words start with (a bit no class uses). */
const PREFIX = 128;

/** Hash of one more character (the key of a string is folded from its characters, so a scan extends it). */
function step(h: number, c: number): number {
  h = Math.imul(h ^ c, 0x5bd1e995);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d);
}
const START = 0x2545f491;

/**
 * The words as an open-addressing table of 32-bit string hashes (a few MB, where a Map of 400,000 strings
 * takes over 100 MB in every worker that extracts); two strings of one hash are a 1-in-10,000 event
 * per lookup, harmless for a feature.
 */
export class WordClasses {
  private readonly keys: Int32Array;
  /** per slot: the class mask, or PREFIX alone for a string that only begins longer words */
  private readonly classes: Uint8Array;
  private readonly mask: number;
  /** strings in the table (words and prefixes) */
  readonly entries: number;

  /** `lines`: jieba's dictionary format, `word frequency tag` per line. */
  constructor(lines: Iterable<string>, bits = 20) {
    this.mask = (1 << bits) - 1;
    this.keys = new Int32Array(1 << bits);
    this.classes = new Uint8Array(1 << bits);
    let used = 0;
    for (const line of lines) {
      const sp1 = line.indexOf(' ');
      const cls = CLASS_OF.get(line.slice(line.lastIndexOf(' ') + 1).trim());
      if (!cls || sp1 < 2 || sp1 > MAX_LEN) continue;
      // the word's own entry, and each proper prefix of 2+ characters marked PREFIX: a scan stops at the
      // first string no word starts with
      let h = step(START, line.charCodeAt(0));
      for (let len = 2; len <= sp1; len++) {
        h = step(h, line.charCodeAt(len - 1));
        const s = this.find(h);
        if (this.keys[s] === 0) {
          if (++used > this.mask * 0.7) throw new Error('word-class table full: raise its bits');
          this.keys[s] = h || 1;
        }
        this.classes[s] |= len === sp1 ? cls : PREFIX;
      }
    }
    this.entries = used;
  }

  /** The slot of a hashed string: its own, or the empty one where it would go. */
  private find(h: number): number {
    const key = h || 1;
    let s = this.slot(h);
    while (this.keys[s] !== 0 && this.keys[s] !== key) s = (s + 1) & this.mask;
    return s;
  }

  private slot(h: number): number {
    return (Math.imul(h, 0x9e3779b1) >>> 0) & this.mask;
  }

  /** The entry of a hashed string: its class mask (PREFIX alone: no word, but words start with it), or -1. */
  private lookup(h: number): number {
    const s = this.find(h);
    return this.keys[s] === 0 ? -1 : this.classes[s];
  }

  /**
   * Per character of `text`, the class masks of the words that begin at it (`begin`), end at it (`end`)
   * and pass through it (`inside`); the arrays are zeroed first.
   */
  cover(text: string, begin: Uint8Array, inside: Uint8Array, end: Uint8Array): void {
    const n = text.length;
    begin.fill(0, 0, n);
    inside.fill(0, 0, n);
    end.fill(0, 0, n);
    for (let i = 0; i + 1 < n; i++) {
      let h = step(START, text.charCodeAt(i));
      for (let len = 2; len <= MAX_LEN && i + len <= n; len++) {
        h = step(h, text.charCodeAt(i + len - 1));
        const entry = this.lookup(h);
        if (entry < 0) break;
        const cls = entry & ~PREFIX;
        if (!cls) continue;
        begin[i] |= cls;
        end[i + len - 1] |= cls;
        for (let k = i + 1; k < i + len - 1; k++) inside[k] |= cls;
      }
    }
  }
}
/** The lines of a text, one at a time (the dictionary has 350,000: no array of them all). */
function* linesOf(text: string): Generator<string> {
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    yield text.slice(at, end);
    at = end + 1;
  }
}

let shared: WordClasses | undefined;

/** jieba's dictionary as word classes, read once (about 0.3 s). */
export function jiebaWordClasses(): WordClasses {
  shared ??= new WordClasses(linesOf(Buffer.from(dict).toString('utf8')));
  return shared;
}
