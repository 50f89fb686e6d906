/**
 * CLUENER-style scoring: per sentence and label, the set of distinct entity names predicted is compared
 * with the gold set; counts are summed over sentences (micro P / R / F1 per label). CLUENER labels map to
 * our types as name -> Person, company -> Company, government -> Agency.
 */
import { extractText } from '../ingest/extract/index.js';
import { holdoutSplit, type LabelledSentence, readCluener } from '../ingest/extract/tagger/corpora.js';
import { defaultTagger, MODEL_URL } from '../ingest/extract/tagger/index.js';
import { TAG_TYPES, type TagType } from '../ingest/extract/tagger/tags.js';
import type { Extraction } from '../ingest/types.js';

export interface LabelScore {
  tp: number;
  pred: number;
  gold: number;
  precision: number;
  recall: number;
  f1: number;
}

export type NamesByType = Partial<Record<TagType, Iterable<string>>>;

export class CluenerScorer {
  private counts = new Map<TagType, { tp: number; pred: number; gold: number }>(
    TAG_TYPES.map((t) => [t, { tp: 0, pred: 0, gold: 0 }]),
  );
  sentences = 0;

  /** Add one sentence: predicted and gold names per type. */
  add(pred: NamesByType, gold: NamesByType): void {
    this.sentences++;
    for (const t of TAG_TYPES) {
      const p = new Set(pred[t] ?? []);
      const g = new Set(gold[t] ?? []);
      const c = this.counts.get(t)!;
      c.pred += p.size;
      c.gold += g.size;
      for (const x of p) if (g.has(x)) c.tp++;
    }
  }

  scores(): Record<TagType, LabelScore> {
    const out = {} as Record<TagType, LabelScore>;
    for (const t of TAG_TYPES) {
      const { tp, pred, gold } = this.counts.get(t)!;
      const precision = pred ? tp / pred : 0;
      const recall = gold ? tp / gold : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      out[t] = { tp, pred, gold, precision, recall, f1 };
    }
    return out;
  }
}

/** Gold names per type of a labelled sentence. */
export function goldNames(s: LabelledSentence): NamesByType {
  const out: Partial<Record<TagType, string[]>> = {};
  for (const sp of s.spans) (out[sp.type] ??= []).push(s.text.slice(sp.start, sp.end));
  return out;
}

export function formatCluener(scores: Record<TagType, LabelScore>, sentences: number): string {
  const f = (x: number) => x.toFixed(3).padStart(6);
  const lines = [
    `sentences: ${sentences}`,
    `${'label'.padEnd(8)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)} ${'pred'.padStart(6)} ${'gold'.padStart(6)}`,
  ];
  for (const t of TAG_TYPES) {
    const s = scores[t];
    lines.push(
      `${t.padEnd(8)} ${f(s.precision)} ${f(s.recall)} ${f(s.f1)} ${String(s.pred).padStart(6)} ${String(s.gold).padStart(6)}`,
    );
  }
  const json = Object.fromEntries(
    TAG_TYPES.map((t) => [t, { p: round(scores[t].precision), r: round(scores[t].recall), f1: round(scores[t].f1) }]),
  );
  lines.push(JSON.stringify({ sentences, ...json }));
  return lines.join('\n');
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export interface CluenerEvalOptions {
  /** score only the slice `newsgraph train --holdout <fraction> --seed <seed>` held out */
  holdout?: number;
  seed?: number;
  /** score the tagger alone instead of the whole extractor */
  taggerOnly?: boolean;
}

/**
 * Names of the extraction's Person / Company / Agency entities written in `text`. A name that occurs only
 * inside a longer name of the same entity is not written there: the canonical 建设银行 of a sentence that
 * says 中国建设银行 is one mention, 中国建设银行, not two.
 */
export function extractedNames(x: Extraction, text: string): NamesByType {
  const out: Partial<Record<TagType, string[]>> = {};
  for (const e of x.entities) {
    if (!(TAG_TYPES as readonly string[]).includes(e.type)) continue;
    const names = [...new Set([e.name, ...e.aliases])].filter((n) => n && text.includes(n));
    for (const n of names) {
      const longer = names.filter((m) => m.length > n.length && m.includes(n));
      if (longer.length && !occursOutside(text, n, longer)) continue;
      (out[e.type as TagType] ??= []).push(n);
    }
  }
  return out;
}

/** Whether `n` occurs in `text` somewhere not covered by an occurrence of one of `longer`. */
function occursOutside(text: string, n: string, longer: string[]): boolean {
  const covered = new Uint8Array(text.length);
  for (const m of longer)
    for (let at = text.indexOf(m); at >= 0; at = text.indexOf(m, at + 1)) covered.fill(1, at, at + m.length);
  for (let at = text.indexOf(n); at >= 0; at = text.indexOf(n, at + 1))
    if (!covered.subarray(at, at + n.length).every((c) => c)) return true;
  return false;
}

/** Score extraction (each sentence as a one-paragraph text) or the tagger on a CLUENER-format file. */
export function runCluenerEval(path: string, opts: CluenerEvalOptions = {}): CluenerScorer {
  let data = readCluener(path);
  if (opts.holdout) data = holdoutSplit(data, opts.holdout, opts.seed ?? 1).heldOut;
  const scorer = new CluenerScorer();
  const tagger = opts.taggerOnly ? defaultTagger() : null;
  if (opts.taggerOnly && !tagger) throw new Error(`no tagger model at ${MODEL_URL.pathname}`);
  data.forEach((s, i) => {
    let pred: NamesByType;
    if (tagger) {
      const p: Partial<Record<TagType, string[]>> = {};
      for (const sp of tagger.tag(s.text)) (p[sp.type] ??= []).push(sp.text);
      pred = p;
    } else pred = extractedNames(extractText(`s${i}`, s.text), s.text);
    scorer.add(pred, goldNames(s));
  });
  return scorer;
}
