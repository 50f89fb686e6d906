/**
 * `newsgraph train`: trains the entity tagger (averaged perceptron, see src/ingest/extract/tagger/train.ts)
 * from labelled files and writes the model file. Seeded and deterministic. A seeded slice of the CLUENER
 * files is held out and scored after each epoch (CLUENER scoring, tagger alone).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { CluenerScorer, formatCluener, goldNames } from '../../eval/cluener.js';
import {
  holdoutSplit,
  type LabelledSentence,
  readBio,
  readCluener,
  readGoldArticles,
} from '../../ingest/extract/tagger/corpora.js';
import { gazetteers } from '../../ingest/extract/tagger/gazetteers.js';
import { Tagger } from '../../ingest/extract/tagger/index.js';
import { TaggerModel } from '../../ingest/extract/tagger/model.js';
import { train } from '../../ingest/extract/tagger/train.js';

interface Opts {
  cluener: string[];
  bio: string[];
  bioOrg: string;
  gold?: string;
  root: string;
  out: string;
  holdout: string;
  seed: string;
  epochs: string;
  orders: string;
  bits: string;
  minCount: string;
  minWeight: string;
}

const num = (name: string, v: string, min: number, max: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`--${name} must be a number in [${min}, ${max}], got "${v}"`);
  return n;
};

export function scoreTagger(tagger: Tagger, data: LabelledSentence[]): CluenerScorer {
  const scorer = new CluenerScorer();
  for (const s of data) {
    const pred: Record<string, string[]> = {};
    for (const sp of tagger.tag(s.text)) (pred[sp.type] ??= []).push(sp.text);
    scorer.add(pred, goldNames(s));
  }
  return scorer;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train the entity tagger from labelled files and write the model file')
    .option('--cluener <files...>', 'CLUENER2020 JSON lines (name/company/government)', [])
    .option(
      '--bio <files...>',
      "character-per-line BIO files (MSRA, People's Daily): Person labels, and ORG per --bio-org",
      [],
    )
    .option(
      '--bio-org <mode>',
      'BIO ORG spans: drop (leave out sentences with an ORG) or map (type each ORG by its ending: Agency, Company or outside; leave out sentences with an ORG that cannot be typed)',
      'drop',
    )
    .option('--gold <file>', 'article gold file (ANNOTATION.md format), projected onto sentence spans')
    .option('--root <dir>', 'directory the gold "file" paths are relative to', '.')
    .option('--out <file>', 'model file to write', 'data/models/tagger.bin.gz')
    .option('--holdout <fraction>', 'fraction of the CLUENER sentences held out for scoring', '0.1')
    .option('--seed <n>', 'seed of the hold-out split and the training order', '1')
    .option('--epochs <n>', 'training passes', '8')
    .option('--orders <n>', 'models trained on different orders of the data, their weights averaged', '1')
    .option('--bits <n>', 'feature hash table of 2^bits rows', '22')
    .option('--min-count <n>', 'prune features seen fewer times', '2')
    .option('--min-weight <x>', 'drop feature rows whose largest averaged weight is smaller', '0.05')
    .action((o: Opts) => {
      const t0 = Date.now();
      const log = (m: string) => process.stderr.write(`[train ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}\n`);
      const seed = num('seed', o.seed, 0, 2 ** 31);
      const cluener = o.cluener.flatMap((f) => readCluener(f));
      const { train: cTrain, heldOut } = holdoutSplit(cluener, num('holdout', o.holdout, 0, 0.9), seed);
      if (o.bioOrg !== 'drop' && o.bioOrg !== 'map')
        throw new Error(`--bio-org must be drop or map, got "${o.bioOrg}"`);
      const bio = o.bio.flatMap((f) => readBio(f, o.bioOrg as 'drop' | 'map'));
      const gold = o.gold ? readGoldArticles(o.gold, o.root) : [];
      const data = [...cTrain, ...bio, ...gold];
      if (!data.length) throw new Error('no training sentences: give --cluener, --bio or --gold files');
      log(
        `training sentences: ${cTrain.length} CLUENER (+${heldOut.length} held out), ${bio.length} BIO, ${gold.length} gold-article`,
      );
      const gaz = gazetteers();
      let lastScores: ReturnType<CluenerScorer['scores']> | undefined;
      const scoreHeldOut = (what: string, m: TaggerModel) => {
        const scores = scoreTagger(new Tagger(m, gaz), heldOut).scores();
        const per = (k: 'precision' | 'recall') =>
          Object.values(scores)
            .map((v) => v[k].toFixed(3))
            .join('/');
        log(
          `${what} held-out ${JSON.stringify(Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, +v.f1.toFixed(3)])))} P ${per('precision')} R ${per('recall')} (${m.header.rows} rows)`,
        );
        return scores;
      };
      const model = train(data, gaz, {
        epochs: num('epochs', o.epochs, 1, 100),
        seed,
        bits: num('bits', o.bits, 16, 24),
        minCount: num('min-count', o.minCount, 1, 1000),
        minWeight: num('min-weight', o.minWeight, 0, 1000),
        log,
        orders: num('orders', o.orders, 1, 20),
        onEpoch: (epoch, m) => {
          if (heldOut.length) lastScores = scoreHeldOut(`epoch ${epoch}`, m);
        },
        onOrder: (n, m) => {
          if (heldOut.length) lastScores = scoreHeldOut(`ensemble of ${n} orders`, m);
        },
      });
      const seconds = (Date.now() - t0) / 1000;
      const meta = {
        trainedAt: new Date().toISOString(),
        seconds: Math.round(seconds),
        command: process.argv.slice(2).join(' '),
        sentences: { cluener: cTrain.length, heldOut: heldOut.length, bio: bio.length, gold: gold.length },
        heldOutScores: lastScores,
      };
      const final = new TaggerModel({ ...model.header, meta }, keysOf(model), model.weights, model.trans);
      const buf = final.serialize();
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, buf);
      log(
        `wrote ${o.out}: ${(buf.length / 1e6).toFixed(2)} MB, ${model.header.rows} feature rows, ${seconds.toFixed(0)} s in all`,
      );
      if (lastScores) process.stdout.write(`${formatCluener(lastScores, heldOut.length)}\n`);
    });
}

function keysOf(m: TaggerModel): Uint32Array {
  return m.rowKeys();
}
