/**
 * Constrained Viterbi: the best tag sequence under emission scores (n x NTAGS) and transition scores
 * (NTAGS x NTAGS), using only transitions ALLOWED permits, so the output is always well-formed BIOES.
 */
import { ALLOWED, canEnd, canStart, NTAGS } from './tags.js';

const START_OK = Uint8Array.from({ length: NTAGS }, (_, t) => (canStart(t) ? 1 : 0));
const END_OK = Uint8Array.from({ length: NTAGS }, (_, t) => (canEnd(t) ? 1 : 0));
/** For each tag, the tags that may precede it (7 or 2 of the 13): the inner loop skips the rest. */
const PREV: Uint8Array[] = Array.from({ length: NTAGS }, (_, b) =>
  Uint8Array.from([...Array(NTAGS).keys()].filter((a) => ALLOWED[a * NTAGS + b])),
);

// Buffers reused across calls (decoding is synchronous).
const bufA = new Float64Array(NTAGS);
const bufB = new Float64Array(NTAGS);
let backBuf = new Uint8Array(0);

export function viterbi(
  emit: Float32Array,
  trans: Float32Array,
  n: number,
  out: Uint8Array = new Uint8Array(n),
): Uint8Array {
  if (n === 0) return out;
  const T = NTAGS;
  let prev = bufA;
  let cur = bufB;
  if (backBuf.length < n * T) backBuf = new Uint8Array(n * T * 2);
  const back = backBuf;
  for (let t = 0; t < T; t++) prev[t] = START_OK[t] ? emit[t] : -Infinity;
  for (let i = 1; i < n; i++) {
    for (let b = 0; b < T; b++) {
      let best = -Infinity;
      let arg = 0;
      const prevs = PREV[b];
      for (let k = 0; k < prevs.length; k++) {
        const a = prevs[k];
        const s = prev[a] + trans[a * T + b];
        if (s > best) {
          best = s;
          arg = a;
        }
      }
      cur[b] = best + emit[i * T + b];
      back[i * T + b] = arg;
    }
    const x = prev;
    prev = cur;
    cur = x;
  }
  let best = -Infinity;
  let arg = 0;
  for (let t = 0; t < T; t++) {
    if (END_OK[t] && prev[t] > best) {
      best = prev[t];
      arg = t;
    }
  }
  out[n - 1] = arg;
  for (let i = n - 1; i > 0; i--) out[i - 1] = back[i * T + out[i]];
  return out;
}
