/**
 * The listed-company list stock links are checked against (data/gazetteers/a-share-listings.tsv,
 * see SOURCES.md there) and the place names a link must not be. Read once, on first use.
 */
import { readFileSync } from 'node:fs';

const DIR = new URL('../../../data/gazetteers/', import.meta.url);

export interface Listing {
  /** exchange prefix + code, e.g. `sh600519` */
  code: string;
  short: string;
  /** empty for recent listings */
  full: string;
  former: string[];
}

let byCode: Map<string, Listing> | undefined;
let byName: Map<string, Listing[]> | undefined;
let places: Set<string> | undefined;

/** Name form used for comparisons: NFKC, no spaces, no ST / *ST prefix (a listing's status, not its name). */
export function listingKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\*?S?\*?ST/i, '');
}

function load() {
  byCode = new Map();
  byName = new Map();
  for (const line of readFileSync(new URL('a-share-listings.tsv', DIR), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [code, short, full, former] = line.split('\t');
    const l: Listing = { code, short, full: full ?? '', former: former ? former.split('|') : [] };
    byCode.set(code, l);
    for (const n of namesOf(l)) {
      const k = listingKey(n);
      byName.set(k, [...(byName.get(k) ?? []), l]);
    }
  }
}

export function namesOf(l: Listing): string[] {
  return [l.short, l.full, ...l.former].filter(Boolean);
}

export function listingByCode(code: string): Listing | undefined {
  if (!byCode) load();
  return byCode!.get(code);
}

/** Listings one of whose names (short, full, former) is `name`. */
export function listingsNamed(name: string): Listing[] {
  if (!byName) load();
  return byName!.get(listingKey(name)) ?? [];
}

/** A province, prefecture or county name (data/gazetteers/admin-divisions.txt). */
export function isPlaceName(name: string): boolean {
  places ??= new Set(
    readFileSync(new URL('admin-divisions.txt', DIR), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')),
  );
  return places.has(name);
}
