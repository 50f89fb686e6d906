/** `newsgraph eval --gold <gold.jsonl> --root <dir> [--verbose]`: score extraction against hand labels. */
import type { Command } from 'commander';
import { formatReport, runEval } from '../../eval/index.js';

export function register(program: Command): void {
  program
    .command('eval')
    .description('score entity/relation extraction against a gold file (no database)')
    .requiredOption('--gold <file>', 'gold labels, one JSON object per article (see ANNOTATION.md)')
    .option('--root <dir>', 'directory the gold "file" paths are relative to', '.')
    .option('--verbose', 'list false positives and negatives per article')
    .action((opts: { gold: string; root: string; verbose?: boolean }) => {
      const report = runEval(opts.gold, opts.root);
      process.stdout.write(formatReport(report, !!opts.verbose) + '\n');
    });
}
