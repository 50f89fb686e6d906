/**
 * Converts the listed-company table under ../shared/ner-data/ (a-share-companies.tsv +
 * a-share-name-aliases.tsv; sources and terms in data/gazetteers/SOURCES.md) into
 * data/gazetteers/a-share-listings.tsv: the one list stock links are checked against.
 * Run: `npx tsx scripts/build-listings.ts <ner-data dir>`.
 * Kept: code with its exchange prefix, short name, full name, former names. Nothing else.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const src = process.argv[2] ?? '../shared/ner-data';
const out = new URL('../data/gazetteers/a-share-listings.tsv', import.meta.url);
const PREFIX: Record<string, string> = { SSE: 'sh', SZSE: 'sz', BSE: 'bj' };

const rows = (file: string) =>
  readFileSync(join(src, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));
const clean = (s: string | undefined) => (s ?? '').normalize('NFKC').replace(/\s+/g, '').trim();

const byCode = new Map<string, { code: string; short: string; full: string; former: Set<string> }>();
for (const [code, exchange, short, full] of rows('a-share-companies.tsv')) {
  const prefix = PREFIX[exchange];
  if (!prefix || !/^\d{6}$/.test(code)) continue;
  byCode.set(code, { code: prefix + code, short: clean(short), full: clean(full), former: new Set() });
}
for (const [code, alias] of rows('a-share-name-aliases.tsv')) {
  const row = byCode.get(code);
  const a = clean(alias);
  if (row && a && a !== row.short && a !== row.full) row.former.add(a);
}
const lines = [...byCode.values()]
  .sort((a, b) => a.code.localeCompare(b.code))
  .map((r) => [r.code, r.short, r.full, [...r.former].join('|')].join('\t'));
writeFileSync(out, `# code\tshort_name\tfull_name\tformer_names (|-separated); see SOURCES.md\n${lines.join('\n')}\n`);
console.log(`listings ${lines.length}`);
