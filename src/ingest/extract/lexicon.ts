/**
 * Curated word lists under data/lexicons/, read once at module load.
 * Format: one entry per line, `#` starts a comment line, `|` separates a full name from its short forms
 * (whitespace-separated entries are allowed where noted, e.g. surnames).
 */
import { readFileSync } from 'node:fs';

const DIR = new URL('../../../data/lexicons/', import.meta.url);

function lines(file: string): string[] {
  return readFileSync(new URL(file, DIR), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Lines of `full|short|short` as groups, full name first. */
function groups(file: string): string[][] {
  return lines(file).map((l) =>
    l
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** Map every form (full or short) to its full name. */
function aliasMap(gs: string[][]): Map<string, string> {
  const m = new Map<string, string>();
  for (const g of gs) for (const name of g) if (!m.has(name)) m.set(name, g[0]);
  return m;
}

const set = (xs: string[]) => new Set(xs);

export const AGENCY_NAMES = aliasMap(groups('agencies.txt'));
export const AGENCY_SUFFIXES = lines('agency-suffixes.txt');
export const COMPANY_NAMES = aliasMap(groups('companies.txt'));
export const COMPANY_SUFFIXES = lines('company-suffixes.txt');
export const COMPANY_STOP = set(lines('company-stop.txt'));
export const PLACES = lines('places.txt');
export const SURNAMES = set(lines('surnames.txt').flatMap((l) => l.split(/\s+/)));
export const PERSON_TITLES = lines('person-titles.txt');
export const PERSON_STOP = set(lines('person-stop.txt'));
export const SPEECH_VERBS = lines('speech-verbs.txt');
export const POLICY_TERMS = aliasMap(groups('policy-terms.txt'));
export const ISSUE_VERBS = lines('issue-verbs.txt');
export const MEDIA = set(lines('media.txt'));

/** Regex alternation of literal strings, longest first so the longest form wins. */
export function alternation(xs: Iterable<string>): string {
  return [...new Set(xs)]
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}
