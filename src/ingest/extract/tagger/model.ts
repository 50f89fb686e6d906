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

export class TaggerModel {
  readonly mask: number;
  /** bucket -> row index (or -1) */
  private readonly rowOf: Int32Array;

  constructor(
    readonly header: ModelHeader,
    keys: Uint32Array,
    readonly weights: Float32Array,
    readonly trans: Float32Array,
  ) {
    this.mask = (1 << header.bits) - 1;
    this.rowOf = new Int32Array(1 << header.bits).fill(-1);
    for (let r = 0; r < keys.length; r++) this.rowOf[keys[r]] = r;
  }

  /** Emission scores (n x NTAGS) of featurised characters. */
  emissions(feats: Int32Array, n: number): Float32Array {
    const emit = new Float32Array(n * NTAGS);
    const w = this.weights;
    for (let i = 0; i < n; i++) {
      const e = i * NTAGS;
      for (let f = 0; f < NFEAT; f++) {
        const r = this.rowOf[feats[i * NFEAT + f] & this.mask];
        if (r < 0) continue;
        const o = r * NTAGS;
        for (let t = 0; t < NTAGS; t++) emit[e + t] += w[o + t];
      }
    }
    return emit;
  }

  decode(feats: Int32Array, n: number): Uint8Array {
    return viterbi(this.emissions(feats, n), this.trans, n);
  }

  serialize(): Buffer {
    return serialize(this.header, this.rowKeys(), this.weights, this.trans);
  }

  /** Bucket of each weight row, ascending. */
  rowKeys(): Uint32Array {
    const keys = new Uint32Array(this.weights.length / NTAGS);
    for (let b = 0; b < this.rowOf.length; b++) if (this.rowOf[b] >= 0) keys[this.rowOf[b]] = b;
    return keys;
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
  return gzipSync(Buffer.concat([len, h, Buffer.from(deltas.buffer), Buffer.from(q.buffer), Buffer.from(trans.buffer, trans.byteOffset, trans.byteLength)]), { level: 9 });
}
