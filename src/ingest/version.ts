/**
 * A fingerprint of the extractor: its code and lexicons. Stored on each article so that
 * re-ingesting an unchanged file after an extractor change re-extracts it instead of skipping.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = [join(ROOT, 'src', 'ingest'), join(ROOT, 'data', 'lexicons')];

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
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
