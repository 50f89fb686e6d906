/**
 * Throughput of extractArticle on one core: parses the articles once, then extracts them repeatedly for at
 * least 5 s and prints articles/s. Reads ../shared/corpus/articles, or examples/ when that is absent.
 * Usage: npx tsx bench/extract.ts [dir] [--seconds N]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractArticle } from '../src/ingest/extract/index.js';
import { parseArticle } from '../src/ingest/parse.js';
import type { ParsedArticle } from '../src/ingest/types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const secIdx = args.indexOf('--seconds');
const seconds = secIdx >= 0 ? Number(args[secIdx + 1]) : 5;
const dirArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--seconds');
const candidates = [dirArg, join(root, '../shared/corpus/articles'), join(root, 'examples')].filter(
  (d): d is string => !!d,
);
const dir = candidates.find((d) => existsSync(d) && readdirSync(d).some((f) => f.endsWith('.md')));
if (!dir) {
  console.error(`no .md articles in any of: ${candidates.join(', ')}`);
  process.exit(1);
}

const articles: ParsedArticle[] = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => parseArticle(readFileSync(join(dir, f)), join(dir, f)));

// Warm-up: loads jieba's dictionary and JIT-compiles the extractors.
for (const a of articles) extractArticle(a);

// Extraction is synchronous and single-threaded, so this process's CPU time is one core's time; it is also
// reported because a busy machine stretches wall time without slowing the code.
let n = 0;
const start = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let elapsed = 0;
while (elapsed < seconds) {
  for (const a of articles) extractArticle(a);
  n += articles.length;
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
}
const used = process.cpuUsage(cpu0);
const cpuSeconds = (used.user + used.system) / 1e6;
console.log(`${articles.length} articles from ${dir}`);
console.log(`wall: ${n} articles in ${elapsed.toFixed(2)} s = ${(n / elapsed).toFixed(1)} articles/s`);
console.log(
  `cpu:  ${n} articles in ${cpuSeconds.toFixed(2)} s of CPU = ${(n / cpuSeconds).toFixed(1)} articles/s (one core)`,
);
