/**
 * The tag set: BIOES over three entity types, 13 tags. Tag 0 is O; type t has B = 1 + 4t, I = 2 + 4t,
 * E = 3 + 4t, S = 4 + 4t. The allowed-transition table is what keeps decoded sequences well formed.
 */
export const TAG_TYPES = ['Person', 'Company', 'Agency'] as const;
export type TagType = (typeof TAG_TYPES)[number];
export const NTAGS = 1 + 4 * TAG_TYPES.length;

export const O = 0;
const B = 0,
  I = 1,
  E = 2,
  S = 3;
const tagOf = (type: number, part: number) => 1 + 4 * type + part;
/** Part of a tag (B/I/E/S = 0..3) and its type index; O gives -1. */
export const partOf = (tag: number) => (tag === O ? -1 : (tag - 1) % 4);
export const typeOf = (tag: number) => (tag === O ? -1 : Math.floor((tag - 1) / 4));

export function tagName(tag: number): string {
  return tag === O ? 'O' : `${'BIES'[partOf(tag)]}-${TAG_TYPES[typeOf(tag)]}`;
}

/** Whether `b` may follow `a`. */
export function allowed(a: number, b: number): boolean {
  const pa = partOf(a);
  const pb = partOf(b);
  if (pa === B || pa === I) return (pb === I || pb === E) && typeOf(a) === typeOf(b);
  return b === O || pb === B || pb === S;
}
/** Tags that may open / close a sentence. */
export const canStart = (t: number) => t === O || partOf(t) === B || partOf(t) === S;
export const canEnd = (t: number) => t === O || partOf(t) === E || partOf(t) === S;

/** ALLOWED[a * NTAGS + b] = 1 when b may follow a. */
export const ALLOWED = (() => {
  const m = new Uint8Array(NTAGS * NTAGS);
  for (let a = 0; a < NTAGS; a++) for (let b = 0; b < NTAGS; b++) m[a * NTAGS + b] = allowed(a, b) ? 1 : 0;
  return m;
})();

export interface Span {
  type: TagType;
  start: number;
  /** exclusive */
  end: number;
}

/** Spans to a tag sequence; overlapping spans: the first one listed wins. */
export function encode(n: number, spans: Span[]): Uint8Array {
  const tags = new Uint8Array(n);
  const taken = new Uint8Array(n);
  for (const s of spans) {
    if (s.start < 0 || s.end > n || s.end <= s.start) continue;
    let free = true;
    for (let i = s.start; i < s.end; i++) if (taken[i]) free = false;
    if (!free) continue;
    const t = TAG_TYPES.indexOf(s.type);
    for (let i = s.start; i < s.end; i++) taken[i] = 1;
    if (s.end - s.start === 1) tags[s.start] = tagOf(t, S);
    else {
      tags[s.start] = tagOf(t, B);
      for (let i = s.start + 1; i < s.end - 1; i++) tags[i] = tagOf(t, I);
      tags[s.end - 1] = tagOf(t, E);
    }
  }
  return tags;
}

/** Well-formed spans of a tag sequence (ill-formed runs are skipped). */
export function decodeSpans(tags: ArrayLike<number>): Span[] {
  const out: Span[] = [];
  let open = -1;
  for (let i = 0; i < tags.length; i++) {
    const p = partOf(tags[i]);
    if (p === S) {
      out.push({ type: TAG_TYPES[typeOf(tags[i])], start: i, end: i + 1 });
      open = -1;
    } else if (p === B) open = i;
    else if (p === I) {
      if (open < 0 || typeOf(tags[open]) !== typeOf(tags[i])) open = -1;
    } else if (p === E) {
      if (open >= 0 && typeOf(tags[open]) === typeOf(tags[i]))
        out.push({ type: TAG_TYPES[typeOf(tags[i])], start: open, end: i + 1 });
      open = -1;
    } else open = -1;
  }
  return out;
}
