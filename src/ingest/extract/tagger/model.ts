/**
 * The trained linear model: a feature-hash -> weight-row table (13 weights a row) and transition
 * weights. Stored as one gzip'd file: a JSON header, the sorted row keys (delta-coded), int16 weights
 * with one scale, and float32 transitions.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { NFEAT } from './features.js';
import { NTAGS } from './tags.js';
import { viterbi } from './viterbi.js';

export const MAGIC = 'newsgraph-tagger';

export interface ModelHeader {
  magic: string;
  featuresVersion: number;
  bits: number;
  rows: number;
  scale: number;
  /** free-form training facts: data, epochs, seed, scores */
  meta: Record<string, unknown>;
}

/** Slot layout of the lookup table: one 32-byte slot per feature row (key, then 13 int16 weights). */
const SLOT = 8;

export class TaggerModel {
  readonly mask: number;
  /**
   * Open-addressing table, one cache line a lookup: slot[0] = bucket + 1 (0 = empty), then the row's
   * weights as int16 (times `scale`) in the Int16Array view of the same memory.
   */
  private readonly table: Int32Array;
  private readonly table16: Int16Array;
  private readonly shift: number;
  private readonly scale: number;
  /** emission buffer reused across sentences: valid until the next call */
  private emit = new Float32Array(0);
  /** per feature, its row's offset in table16 (-1: not in the model); reused across sentences */
  private rows = new Int32Array(0);

  constructor(
    readonly header: ModelHeader,
    private readonly keys: Uint32Array,
    readonly weights: Float32Array,
    readonly trans: Float32Array,
  ) {
    this.mask = (1 << header.bits) - 1;
    let max = 0;
    for (const w of weights) max = Math.max(max, Math.abs(w));
    this.scale = max > 0 ? max / 32767 : 1;
    let logCap = 4;
    while (1 << logCap < keys.length * 1.6) logCap++;
    this.shift = 32 - logCap;
    this.table = new Int32Array((1 << logCap) * SLOT);
    this.table16 = new Int16Array(this.table.buffer);
    const capMask = (1 << logCap) - 1;
    for (let r = 0; r < keys.length; r++) {
      let s = Math.imul(keys[r], 0x9e3779b1) >>> this.shift;
      while (this.table[s * SLOT] !== 0) s = (s + 1) & capMask;
      this.table[s * SLOT] = keys[r] + 1;
      for (let t = 0; t < NTAGS; t++)
        this.table16[s * SLOT * 2 + 2 + t] = Math.round(weights[r * NTAGS + t] / this.scale);
    }
  }

  /** Emission scores (n x NTAGS) of featurised characters; the array is reused by the next call. */
  emissions(feats: Int32Array, n: number): Float32Array {
    const T = NTAGS;
    const F = NFEAT;
    if (this.emit.length < n * T) this.emit = new Float32Array(n * T * 2);
    if (this.rows.length < n * F) this.rows = new Int32Array(n * F * 2);
    const emit = this.emit;
    const rows = this.rows;
    const table = this.table;
    const t16 = this.table16;
    const capMask = (table.length >>> 3) - 1;
    const mask = this.mask;
    const shift = this.shift;
    const scale = this.scale;
    // Two passes: first find every feature's slot (independent lookups, so the CPU overlaps their cache
    // misses), then sum the rows found. Integer sums, so the result is the same in any order.
    for (let f = 0, nf = n * F; f < nf; f++) {
      const key = (feats[f] & mask) + 1;
      let s = Math.imul(key - 1, 0x9e3779b1) >>> shift;
      let k = table[s << 3];
      while (k !== 0 && k !== key) {
        s = (s + 1) & capMask;
        k = table[s << 3];
      }
      rows[f] = k === 0 ? -1 : (s << 4) + 2;
    }
    // 13 accumulators in locals (NTAGS is fixed at 13): the hot loop stays in registers.
    if (T !== 13) throw new Error('emissions() is written for 13 tags');
    for (let i = 0; i < n; i++) {
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        a4 = 0,
        a5 = 0,
        a6 = 0,
        a7 = 0,
        a8 = 0,
        a9 = 0,
        a10 = 0,
        a11 = 0,
        a12 = 0;
      for (let f = i * F, end = f + F; f < end; f++) {
        const o = rows[f];
        if (o < 0) continue;
        a0 += t16[o];
        a1 += t16[o + 1];
        a2 += t16[o + 2];
        a3 += t16[o + 3];
        a4 += t16[o + 4];
        a5 += t16[o + 5];
        a6 += t16[o + 6];
        a7 += t16[o + 7];
        a8 += t16[o + 8];
        a9 += t16[o + 9];
        a10 += t16[o + 10];
        a11 += t16[o + 11];
        a12 += t16[o + 12];
      }
      const e = i * T;
      emit[e] = a0 * scale;
      emit[e + 1] = a1 * scale;
      emit[e + 2] = a2 * scale;
      emit[e + 3] = a3 * scale;
      emit[e + 4] = a4 * scale;
      emit[e + 5] = a5 * scale;
      emit[e + 6] = a6 * scale;
      emit[e + 7] = a7 * scale;
      emit[e + 8] = a8 * scale;
      emit[e + 9] = a9 * scale;
      emit[e + 10] = a10 * scale;
      emit[e + 11] = a11 * scale;
      emit[e + 12] = a12 * scale;
    }
    return emit;
  }

  decode(feats: Int32Array, n: number): Uint8Array {
    return viterbi(this.emissions(feats, n), this.trans, n);
  }

  serialize(): Buffer {
    return serialize(this.header, this.keys, this.weights, this.trans);
  }

  /** Bucket of each weight row, ascending. */
  rowKeys(): Uint32Array {
    return this.keys;
  }

  static parse(file: Buffer, name = 'model'): TaggerModel {
    let raw: Buffer;
    try {
      raw = gunzipSync(file);
    } catch (err) {
      throw new Error(`${name}: not a gzip'd tagger model (${(err as Error).message})`);
    }
    const hlen = raw.readUInt32LE(0);
    const header = JSON.parse(raw.subarray(4, 4 + hlen).toString('utf8')) as ModelHeader;
    if (header.magic !== MAGIC) throw new Error(`${name}: not a newsgraph tagger model`);
    let off = 4 + hlen;
    const take = (bytes: number) => {
      const ab = new ArrayBuffer(bytes);
      raw.copy(Buffer.from(ab), 0, off, off + bytes);
      off += bytes;
      return ab;
    };
    const deltas = new Uint32Array(take(header.rows * 4));
    const keys = new Uint32Array(header.rows);
    let acc = 0;
    for (let r = 0; r < header.rows; r++) keys[r] = acc += deltas[r];
    const q = new Int16Array(take(header.rows * NTAGS * 2));
    const weights = new Float32Array(q.length);
    for (let k = 0; k < q.length; k++) weights[k] = q[k] * header.scale;
    const trans = new Float32Array(take(NTAGS * NTAGS * 4));
    if (off !== raw.length) throw new Error(`${name}: truncated or corrupt tagger model`);
    return new TaggerModel(header, keys, weights, trans);
  }
}

/** Keys must be sorted ascending; weights are quantised to int16 with one scale. */
export function serialize(header: ModelHeader, keys: Uint32Array, weights: Float32Array, trans: Float32Array): Buffer {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 32767 : 1;
  const h = Buffer.from(JSON.stringify({ ...header, magic: MAGIC, rows: keys.length, scale }), 'utf8');
  const deltas = new Uint32Array(keys.length);
  for (let r = 0; r < keys.length; r++) deltas[r] = keys[r] - (r ? keys[r - 1] : 0);
  const q = new Int16Array(weights.length);
  for (let k = 0; k < weights.length; k++) q[k] = Math.round(weights[k] / scale);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.length);
  return gzipSync(
    Buffer.concat([
      len,
      h,
      Buffer.from(deltas.buffer),
      Buffer.from(q.buffer),
      Buffer.from(trans.buffer, trans.byteOffset, trans.byteLength),
    ]),
    { level: 9 },
  );
}
