/**
 * Gazetteers as character tries, for the tagger's match features and for resolving short forms.
 * Files under data/gazetteers/ (sources in SOURCES.md): `full|short|former` per line, `#` comments.
 */
import { readFileSync } from 'node:fs';

const pairHash = (a: number, b: number) => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca6b)) >>> 12;

interface Node {
  next: Map<number, Node>;
  end: boolean;
}

export class Trie {
  private root: Node = { next: new Map(), end: false };
  /** first[c] = 1 when some entry starts with code c: most positions are rejected without a Map lookup */
  private first = new Uint8Array(0x10000);
  /** pair[h(c1, c2)] = 1 when some entry of 2+ characters starts with c1 c2 (hashed, so a filter only) */
  private pair = new Uint8Array(1 << 20);
  private single = new Uint8Array(0x10000);
  size = 0;

  add(word: string): void {
    if (!word) return;
    this.first[word.charCodeAt(0)] = 1;
    if (word.length === 1) this.single[word.charCodeAt(0)] = 1;
    else this.pair[pairHash(word.charCodeAt(0), word.charCodeAt(1))] = 1;
    let n = this.root;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      let m = n.next.get(c);
      if (!m) {
        m = { next: new Map(), end: false };
        n.next.set(c, m);
      }
      n = m;
    }
    if (!n.end) this.size++;
    n.end = true;
  }

  has(word: string): boolean {
    let n: Node | undefined = this.root;
    for (let i = 0; i < word.length && n; i++) n = n.next.get(word.charCodeAt(i));
    return !!n?.end;
  }

  /** Length of the longest entry starting at `at` in `text` (0 when none). */
  longestAt(text: string, at: number): number {
    const c0 = text.charCodeAt(at);
    if (!this.first[c0]) return 0;
    if (!this.pair[pairHash(c0, text.charCodeAt(at + 1))]) return this.single[c0];
    let n: Node | undefined = this.root;
    let best = 0;
    for (let i = at; i < text.length; i++) {
      n = n.next.get(text.charCodeAt(i));
      if (!n) break;
      if (n.end) best = i - at + 1;
    }
    return best;
  }
}

/**
 * Greedy longest-match cover of `text`: out[i] = 0 outside a match, else 1 + part (B=0, I=1, E=2, S=3).
 * Written into `out` from offset `off`.
 */
export function matchParts(trie: Trie, text: string, out: Uint8Array): void {
  out.fill(0);
  let i = 0;
  while (i < text.length) {
    const len = trie.longestAt(text, i);
    if (len === 0) {
      i++;
      continue;
    }
    if (len === 1) out[i] = 4;
    else {
      out[i] = 1;
      for (let k = i + 1; k < i + len - 1; k++) out[k] = 2;
      out[i + len - 1] = 3;
    }
    i += len;
  }
}

export function readGroups(url: URL): string[][] {
  return readFileSync(url, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) =>
      l
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean),
    );
}

export function trieOf(words: Iterable<string>, minLen = 1): Trie {
  const t = new Trie();
  for (const w of words) if (w.length >= minLen) t.add(w);
  return t;
}
