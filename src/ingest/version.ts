/**
 * A fingerprint of the extractor: its code and lexicons. Stored on each article so that
 * re-ingesting an unchanged file after an extractor change re-extracts it instead of skipping.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// What decides an article's extraction: the extractor and its model, parsing, text helpers, the graph vocabulary and record shape, lexicons and gazetteers.
const SOURCES = [
  'src/ingest/extract',
  'src/ingest/parse.ts',
  'src/ingest/sources',
  'src/ingest/stock-code.ts',
  'src/ingest/text.ts',
  'src/ingest/record.ts',
  'src/graph',
  'data/lexicons',
  'data/gazetteers',
  'data/models',
].map((p) => join(ROOT, p));

function filesUnder(path: string): string[] {
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return [path];
  const dir = path;
  const names = readdirSync(dir).sort();
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

export const EXTRACTOR_VERSION: string = (() => {
  const h = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder)) h.update(file.slice(ROOT.length)).update(readFileSync(file));
  return h.digest('hex').slice(0, 16);
})();
