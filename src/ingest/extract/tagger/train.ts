/**
 * Averaged structured perceptron over the hashed features (Collins 2002), with the "w - u/c" form of
 * averaging so no per-weight timestamps are needed. Seeded: the same data and options give the same model.
 * Rare features (seen fewer than minCount times in the training data) are pruned before training.
 */

import { mulberry32 } from '../../../prng.js';
import { tokenize } from '../segment.js';
import type { LabelledSentence } from './corpora.js';
import { FEATURES_VERSION, featurize, type Gazetteers, NFEAT } from './features.js';
import { type ModelHeader, serialize, TaggerModel } from './model.js';
import { encode, NTAGS } from './tags.js';
import { viterbi } from './viterbi.js';

export interface TrainOptions {
  epochs: number;
  seed: number;
  /** hash table size, 2^bits buckets */
  bits: number;
  minCount: number;
  /** rows whose largest averaged weight is below this are dropped from the saved model */
  minWeight: number;
  /**
   * Models trained on different orders of the data (the first in the order `seed` gives), whose averaged
   * weights are averaged again: one linear model that scores as the ensemble would, with less of the
   * run-to-run swing a single perceptron has. Default 1.
   */
  orders?: number;
  /** called after each epoch with the averaged model (of the current order), e.g. to score a held-out set */
  onEpoch?: (epoch: number, model: TaggerModel, seconds: number) => void;
  /** with `orders` > 1: called after each order with the ensemble of the orders so far */
  onOrder?: (order: number, model: TaggerModel) => void;
  log?: (msg: string) => void;
}

export interface Example {
  n: number;
  /** bucket ids, NFEAT per character, -1 = pruned */
  feats: Int32Array;
  gold: Uint8Array;
}

export function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

export function featurizeSentence(text: string, gaz: Gazetteers): Int32Array {
  return featurize(text, tokenize(text), gaz);
}

export function train(data: LabelledSentence[], gaz: Gazetteers, opts: TrainOptions): TaggerModel {
  const log = opts.log ?? (() => {});
  const B = 1 << opts.bits;
  const mask = B - 1;
  const T = NTAGS;
  const t0 = Date.now();
  const examples: Example[] = data
    .filter((s) => s.text.length > 0)
    .map((s) => {
      const feats = featurizeSentence(s.text, gaz);
      for (let k = 0; k < feats.length; k++) feats[k] &= mask;
      return { n: s.text.length, feats, gold: encode(s.text.length, s.spans) };
    });
  const counts = new Uint32Array(B);
  for (const e of examples) for (const b of e.feats) counts[b]++;
  let active = 0;
  for (let b = 0; b < B; b++) if (counts[b] >= opts.minCount) active++;
  for (const e of examples)
    for (let k = 0; k < e.feats.length; k++) if (counts[e.feats[k]] < opts.minCount) e.feats[k] = -1;
  log(
    `featurised ${examples.length} sentences in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${active} of ${B} buckets kept (seen >= ${opts.minCount})`,
  );

  const w = new Float32Array(B * T);
  const u = new Float32Array(B * T);
  const wt = new Float64Array(T * T);
  const ut = new Float64Array(T * T);
  const transF32 = new Float32Array(T * T);
  let c = 1;
  let emit = new Float32Array(0);
  let pred = new Uint8Array(0);

  /** The model of weights `wb` (bucket-major) and transitions `tr`, rows below minWeight dropped. */
  const modelOf = (wb: (i: number) => number, tr: (k: number) => number): TaggerModel => {
    const keys: number[] = [];
    for (let b = 0; b < B; b++) {
      if (counts[b] < opts.minCount) continue;
      let max = 0;
      for (let t = 0; t < T; t++) max = Math.max(max, Math.abs(wb(b * T + t)));
      if (max >= opts.minWeight) keys.push(b);
    }
    const weights = new Float32Array(keys.length * T);
    keys.forEach((b, r) => {
      for (let t = 0; t < T; t++) weights[r * T + t] = wb(b * T + t);
    });
    const trans = new Float32Array(T * T);
    for (let k = 0; k < T * T; k++) trans[k] = tr(k);
    const header: ModelHeader = {
      magic: '',
      featuresVersion: FEATURES_VERSION,
      bits: opts.bits,
      rows: keys.length,
      scale: 1,
      meta: {},
    };
    // Round-trip through the stored form so what is scored is exactly what gets saved (int16 weights).
    return TaggerModel.parse(serialize(header, Uint32Array.from(keys), weights, trans));
  };
  const averaged = () =>
    modelOf(
      (i) => w[i] - u[i] / c,
      (k) => wt[k] - ut[k] / c,
    );

  /** One pass over the examples in `order`, updating on every character tagged wrong; returns the count. */
  const epochPass = (order: number[]): { errors: number; chars: number } => {
    let errors = 0;
    let chars = 0;
    for (const idx of order) {
      const ex = examples[idx];
      const n = ex.n;
      if (emit.length < n * T) {
        emit = new Float32Array(n * T * 2);
        pred = new Uint8Array(n * 2);
      }
      emit.fill(0, 0, n * T);
      for (let i = 0; i < n; i++) {
        for (let f = 0; f < NFEAT; f++) {
          const b = ex.feats[i * NFEAT + f];
          if (b < 0) continue;
          const o = b * T;
          for (let t = 0; t < T; t++) emit[i * T + t] += w[o + t];
        }
      }
      for (let k = 0; k < T * T; k++) transF32[k] = wt[k];
      const p = viterbi(emit, transF32, n, pred);
      chars += n;
      for (let i = 0; i < n; i++) {
        const g = ex.gold[i];
        const q = p[i];
        if (g !== q) {
          errors++;
          for (let f = 0; f < NFEAT; f++) {
            const b = ex.feats[i * NFEAT + f];
            if (b < 0) continue;
            w[b * T + g] += 1;
            u[b * T + g] += c;
            w[b * T + q] -= 1;
            u[b * T + q] -= c;
          }
        }
        if (i > 0) {
          const gp = ex.gold[i - 1] * T + g;
          const pp = p[i - 1] * T + q;
          if (gp !== pp) {
            wt[gp] += 1;
            ut[gp] += c;
            wt[pp] -= 1;
            ut[pp] -= c;
          }
        }
      }
      c++;
    }
    return { errors, chars };
  };

  /** One perceptron from zero weights, over the data in the orders `orderSeed` shuffles it in, epoch by epoch. */
  const runOrder = (orderSeed: number, label: string): void => {
    w.fill(0);
    u.fill(0);
    wt.fill(0);
    ut.fill(0);
    c = 1;
    const rand = mulberry32(orderSeed);
    const order = examples.map((_, i) => i);
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const te = Date.now();
      shuffle(order, rand);
      const { errors, chars } = epochPass(order);
      const secs = (Date.now() - te) / 1000;
      log(
        `${label}epoch ${epoch}: ${errors} of ${chars} characters wrong (${((100 * errors) / chars).toFixed(2)} %), ${secs.toFixed(1)} s`,
      );
      if (opts.onEpoch) opts.onEpoch(epoch, averaged(), secs);
    }
  };

  const orders = opts.orders ?? 1;
  if (orders === 1) {
    runOrder(opts.seed, '');
    return averaged();
  }
  const sumW = new Float32Array(B * T);
  const sumT = new Float64Array(T * T);
  const ensemble = (n: number) =>
    modelOf(
      (i) => sumW[i] / n,
      (k) => sumT[k] / n,
    );
  for (let k = 0; k < orders; k++) {
    runOrder(opts.seed + 7919 * k, `order ${k + 1}, `);
    for (let i = 0; i < sumW.length; i++) sumW[i] += w[i] - u[i] / c;
    for (let t = 0; t < T * T; t++) sumT[t] += wt[t] - ut[t] / c;
    if (opts.onOrder && k + 1 < orders) opts.onOrder(k + 1, ensemble(k + 1));
  }
  const model = ensemble(orders);
  opts.onOrder?.(orders, model);
  return model;
}
