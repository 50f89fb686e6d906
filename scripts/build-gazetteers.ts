/**
 * Converts the public gazetteers under ../shared/ner-data/ (see its README for sources and terms)
 * into the repo's own files under data/gazetteers/. Run: `npx tsx scripts/build-gazetteers.ts <ner-data dir>`.
 * Only names are kept (no codes, no counts): what the tagger's gazetteer features and entity
 * resolution need.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const src = process.argv[2] ?? '../shared/ner-data';
const out = new URL('../data/gazetteers/', import.meta.url);

const rows = (file: string) =>
  readFileSync(join(src, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));

// Listed companies: one line per company, full name first (when known), then short and former names.
const clean = (s: string | undefined) =>
  (s ?? '')
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\*?S?\*?ST/, '')
    .trim();
const byCode = new Map<string, string[]>();
for (const [code, , short, full] of rows('a-share-companies.tsv')) {
  byCode.set(
    code,
    [clean(full), clean(short)].filter((n) => n.length >= 2),
  );
}
for (const [code, alias] of rows('a-share-name-aliases.tsv')) {
  const a = clean(alias);
  if (a.length >= 2) byCode.get(code)?.push(a);
}
const companyLines = [...byCode.values()]
  .map((ns) => [...new Set(ns)])
  .filter((ns) => ns.length)
  .map((ns) => ns.join('|'));
writeFileSync(
  new URL('a-share-companies.txt', out),
  '# Shanghai, Shenzhen and Beijing listed companies: full name|short name|former names (see SOURCES.md)\n' +
    companyLines.join('\n') +
    '\n',
);

// Administrative divisions: the official name and, where it stays >= 2 characters, the name without its level word.
const LEVEL = /(?:维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|自治州|自治县|地区|盟|省|市|区|县|旗)$/;
const places = new Set<string>();
for (const [, level, name] of rows('china-admin-divisions.tsv')) {
  if (!name || level === 'level') continue;
  places.add(name);
  const short = name.replace(LEVEL, '');
  if (short.length >= 2 && short !== name) places.add(short);
}
writeFileSync(
  new URL('admin-divisions.txt', out),
  '# Chinese provinces, prefectures and counties, official and short names (see SOURCES.md)\n' +
    [...places].sort().join('\n') +
    '\n',
);

const surnames = rows('chinese-surnames.tsv')
  .map(([s]) => s)
  .filter(Boolean);
writeFileSync(
  new URL('surnames.txt', out),
  `# Chinese surnames, single and compound, most frequent first (see SOURCES.md)\n${surnames.join('\n')}\n`,
);
console.log(`companies ${companyLines.length}, places ${places.size}, surnames ${surnames.length}`);
