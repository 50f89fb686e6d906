/** The tagger's gazetteers, read once from data/gazetteers/ (see SOURCES.md there). */
import { AGENCY_SUFFIXES, COMPANY_SUFFIXES } from '../lexicon.js';
import type { Gazetteers } from './features.js';
import { readGroups, trieOf } from './gazetteer.js';
import { jiebaWordClasses } from './word-classes.js';

const DIR = new URL('../../../../data/gazetteers/', import.meta.url);

let cached: Gazetteers | undefined;

/** Listed-company names (full, short, former) grouped per company, full name first. */
export function listedCompanies(): string[][] {
  return readGroups(new URL('a-share-companies.txt', DIR));
}

/** Central Party and State bodies, full name first. */
export function centralBodies(): string[][] {
  return readGroups(new URL('central-bodies.txt', DIR));
}

export function gazetteers(): Gazetteers {
  cached ??= {
    company: trieOf(listedCompanies().flat(), 2),
    place: trieOf(readGroups(new URL('admin-divisions.txt', DIR)).flat(), 2),
    agency: trieOf(centralBodies().flat(), 2),
    surname: trieOf(readGroups(new URL('surnames.txt', DIR)).flat(), 1),
    // General name endings (data/lexicons/*-suffixes.txt): 人民政府, 统计局 … / 有限公司, 证券 …
    agencyEnd: trieOf([...AGENCY_SUFFIXES, '局', '委', '厅', '署', '办', '部', '院', '庭', '会'], 1),
    companyEnd: trieOf([...COMPANY_SUFFIXES, '公司', '集团', '银行'], 2),
    words: jiebaWordClasses(),
  };
  return cached;
}
