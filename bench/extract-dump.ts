/**
 * Extraction output of a tree of articles, for checking that a speed change left it identical:
 * one JSON line per article (the stored record without the extractor fingerprint, and the warnings),
 * in path order, and a sha-256 over them on stderr. Runs on this thread, no database.
 *
 *   npx tsx bench/extract-dump.ts bench/out/corpus-10000 examples > before.jsonl
 */
import { createHash } from 'node:crypto';
import { identify, readArticleFile, toRecord } from '../src/ingest/article.js';
import { collectArticleFiles } from '../src/ingest/files.js';

const { files } = await collectArticleFiles(process.argv.slice(2));
const hash = createHash('sha256');
let failed = 0;
for (const path of [...files].sort()) {
  let line: string;
  try {
    const { record, warnings } = toRecord(identify(await readArticleFile(path), path));
    const { extractorVersion: _changesWithTheCode, ...rest } = record;
    line = JSON.stringify({ ...rest, warnings });
  } catch (err) {
    failed++;
    line = JSON.stringify({ path, error: (err as Error).message });
  }
  hash.update(line).update('\n');
  process.stdout.write(`${line}\n`);
}
console.error(`${files.length} articles (${failed} failed), sha256 ${hash.digest('hex')}`);
