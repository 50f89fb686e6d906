/**
 * Stand-alone entry for the evaluation, usable before or without the full CLI:
 *   npx tsx scripts/eval.ts --gold ../shared/corpus/gold.jsonl --root ../shared/corpus [--verbose]
 */
import { Command } from 'commander';
import { register } from '../src/cli/commands/eval.js';

const program = new Command('newsgraph');
register(program);
program.parse(['node', 'newsgraph', 'eval', ...process.argv.slice(2)]);
