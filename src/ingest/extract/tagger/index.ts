/**
 * The entity tagger: character BIOES tagging of Person / Company / Agency with the trained linear model
 * in data/models/tagger.bin.gz (built by `newsgraph train`, see docs/MODEL.md). Loaded once, on first use.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Token } from '../segment.js';
import { tokenize } from '../segment.js';
import { FEATURES_VERSION, featurize, type Gazetteers, NFEAT } from './features.js';
import { gazetteers } from './gazetteers.js';
import { TaggerModel } from './model.js';
import { decodeSpans, type Span } from './tags.js';

export const MODEL_URL = new URL('../../../../data/models/tagger.bin.gz', import.meta.url);

export interface TaggedSpan extends Span {
  text: string;
}

export class Tagger {
  /** feature buffer reused across sentences (tagging is synchronous) */
  private feats = new Int32Array(0);

  constructor(
    readonly model: TaggerModel,
    readonly gaz: Gazetteers = gazetteers(),
  ) {
    if (model.header.featuresVersion !== FEATURES_VERSION) {
      throw new Error(
        `tagger model has features version ${model.header.featuresVersion}, the code ${FEATURES_VERSION}: retrain it`,
      );
    }
  }

  /** Entity spans of one sentence; `tokens` (jieba, with offsets) are computed when not given. */
  tag(text: string, tokens?: Token[]): TaggedSpan[] {
    if (!text) return [];
    if (this.feats.length < text.length * NFEAT) this.feats = new Int32Array(text.length * NFEAT * 2);
    const feats = featurize(text, tokens ?? tokenize(text), this.gaz, this.feats);
    const tags = this.model.decode(feats, text.length);
    return decodeSpans(tags).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
  }

  static load(path: string | URL = MODEL_URL): Tagger {
    return new Tagger(TaggerModel.parse(readFileSync(path), String(path)));
  }
}

let shared: Tagger | null | undefined;

/** Use another model file for this process (`newsgraph eval --model`), e.g. to score a candidate. */
export function useModel(path: string): void {
  shared = Tagger.load(path);
}

/** The committed model, or null when the file is missing (extraction then runs on rules alone). */
export function defaultTagger(): Tagger | null {
  if (shared === undefined) shared = existsSync(MODEL_URL) ? Tagger.load() : null;
  return shared;
}

export type { Span };
