/**
 * `newsgraph eval --gold <gold.jsonl> --root <dir> [--verbose]`: score extraction against hand labels.
 * `newsgraph eval --cluener <file.jsonl> [--holdout <f> --seed <n>] [--tagger-only]`: CLUENER-format
 * sentences, scored per label on distinct names per sentence (src/eval/cluener.ts).
 */
import type { Command } from 'commander';
import { formatCluener, runCluenerEval } from '../../eval/cluener.js';
import { formatReport, runEval } from '../../eval/index.js';
import { useModel } from '../../ingest/extract/tagger/index.js';

interface Opts {
  gold?: string;
  root: string;
  verbose?: boolean;
  cluener?: string;
  holdout?: string;
  seed: string;
  taggerOnly?: boolean;
  model?: string;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('score entity/relation extraction against a gold file or CLUENER-format sentences (no database)')
    .option('--gold <file>', 'gold labels, one JSON object per article (see ANNOTATION.md)')
    .option('--root <dir>', 'directory the gold "file" paths are relative to', '.')
    .option('--verbose', 'list false positives and negatives per article')
    .option('--cluener <file>', 'CLUENER2020-format JSON lines (name / company / government)')
    .option(
      '--holdout <fraction>',
      'with --cluener: score only the slice `train --holdout <fraction> --seed <n>` held out',
    )
    .option('--seed <n>', 'seed of that hold-out split', '1')
    .option('--tagger-only', 'with --cluener: score the tagger alone, not the whole extractor')
    .option('--model <file>', 'tagger model to use instead of data/models/tagger.bin.gz')
    .action((opts: Opts) => {
      if (!opts.gold && !opts.cluener) throw new Error('give --gold <file> and/or --cluener <file>');
      if (opts.model) useModel(opts.model);
      if (opts.gold) process.stdout.write(`${formatReport(runEval(opts.gold, opts.root), !!opts.verbose)}\n`);
      if (opts.cluener) {
        const holdout = opts.holdout === undefined ? undefined : Number(opts.holdout);
        if (holdout !== undefined && !(holdout > 0 && holdout < 1))
          throw new Error(`--holdout must be a fraction in (0, 1), got "${opts.holdout}"`);
        const scorer = runCluenerEval(opts.cluener, {
          holdout,
          seed: Number(opts.seed),
          taggerOnly: !!opts.taggerOnly,
        });
        process.stdout.write(`${formatCluener(scorer.scores(), scorer.sentences)}\n`);
      }
    });
}
