/**
 * End-to-end throughput of `newsgraph extract` pinned to one core: feeds N articles
 * (whole Markdown files, as JSON lines) on stdin and times the command, start-up included.
 *
 *   npx tsx bench/extract-cli.ts [--articles 2000]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultSource } from './make-corpus.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { articles: { type: 'string', default: '2000' } } });
const n = Number(values.articles);
const source = defaultSource();
const files = readdirSync(source)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort();
const lines: string[] = [];
for (let i = 0; i < n; i++) {
  const f = files[i % files.length];
  lines.push(JSON.stringify({ id: `${i}-${f}`, markdown: readFileSync(join(source, f), 'utf8') }));
}
const input = `${lines.join('\n')}\n`;
const pin = spawnSync('taskset', ['--version']).status === 0 ? ['taskset', '-c', '0'] : [];
const [cmd, ...args] = [...pin, process.execPath, join(ROOT, 'bin', 'newsgraph.js'), 'extract'];
const t0 = performance.now();
const run = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
const seconds = (performance.now() - t0) / 1000;
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
const out = run.stdout.trim().split('\n');
console.log(
  JSON.stringify({
    articles: n,
    source,
    pinnedToOneCore: pin.length > 0,
    seconds: +seconds.toFixed(2),
    articlesPerSec: Math.round(n / seconds),
    outputLines: out.length,
  }),
);
