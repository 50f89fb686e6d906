/** Shapes shared by the ingest pipeline: parse -> extract -> record. */
import type { EntityType } from '../graph/vocabulary.js';

// The extractors name entity types by the graph's vocabulary.
export type { EntityType };

/** A listed security as the Sina page marks it up (`<span id="stock_sz300959">线上线下</span>`). */
export interface StockHint {
  /** lower-case exchange prefix + code, e.g. `sz300959`, `hk00700`, `usBABA` */
  code: string;
  /** short name as shown in the text; may be empty when only the keyword comment lists it */
  name: string;
}

/**
 * One stock link as the page marks it (a Sina `stock_` span, a 证券时报网 `trsHotWords` link, a 雪球
 * cashtag ...): evidence to be checked against the listed-company list and the text, never taken as is.
 */
export interface StockLink {
  /** the code as the page wrote it (`sh600519`, `SS603019`, `600519.SH`, `SS60702` ...) */
  code: string;
  /** the linked text; empty when the link wraps nothing */
  name: string;
  /** where the linked text sits: index into ParsedArticle.paragraphs and its character span there */
  paragraph: number;
  start: number;
  end: number;
}

/** Structured hints the page gives besides its prose. */
export interface PageHints {
  stocks: StockHint[];
  /** every stock link with its place in the text; when present, extraction checks each before trusting it */
  stockLinks?: StockLink[];
  /** text after `原标题：` when present */
  originalTitle?: string;
  /** byline paragraph such as `新华社记者张辛欣` (raw text) */
  byline?: string;
  /** name after `责任编辑：` */
  editor?: string;
}

/** One article after parsing and cleaning, before extraction. */
export interface ParsedArticle {
  /** stable id derived from the file name (without extension), e.g. `seed` */
  id: string;
  /** path the article was read from, as given */
  sourcePath: string;
  title: string;
  /** ISO-8601 instant, or null when the front matter has no usable date */
  publishedAt: string | null;
  categories: string[];
  author: string | null;
  sourceUrl: string | null;
  images: string[];
  /** visible body text, one entry per paragraph, whitespace-normalised */
  paragraphs: string[];
  hints: PageHints;
  /** sha-256 of the raw file content: unchanged files are skipped on re-ingest */
  contentHash: string;
  /** problems that did not cost the article, e.g. an unusable date (each names what was dropped) */
  warnings?: string[];
  /** the feed the page came from (`sina`, `stcn`, `cls`, ... or `generic`), see src/ingest/sources/ */
  source?: string;
  /** `zh` or `en`: English articles are not given to the Chinese tagger */
  language?: string;
}

/** Where an entity occurs: paragraph index (into ParsedArticle.paragraphs, -1 = title) and sentence text. */
export interface MentionSite {
  paragraph: number;
  /** index of the sentence within the whole article (title = -1) */
  sentence: number;
  text: string;
}

export interface ExtractedEntity {
  type: EntityType;
  /** canonical name (Stock: the code, e.g. `sz300959`) */
  name: string;
  /** other names used in the text (Stock: its short name) */
  aliases: string[];
  sites: MentionSite[];
}

export interface ExtractedIssued {
  agency: string; // canonical name of an Agency entity in `entities`
  policy: string; // canonical name of a Policy entity in `entities`
  evidence: string; // the sentence that says so
}

export interface ExtractedRole {
  person: string;
  title: string;
  org: string; // canonical name of an Agency or Company entity
  orgType: 'Agency' | 'Company';
  evidence: string;
}

export interface ExtractedListing {
  company: string; // canonical Company name
  stock: string; // stock code
}

export interface Extraction {
  entities: ExtractedEntity[];
  issued: ExtractedIssued[];
  roles: ExtractedRole[];
  listings: ExtractedListing[];
  /** journalist(s) from the byline and the responsible editor, canonical Person names */
  journalists: string[];
  editor: string | null;
  /** stock links checked against the listed-company list and the text (when the page had any) */
  stockLinks?: StockLinkReview;
}

export interface StockLinkReview {
  accepted: { code: string; name: string; note?: string }[];
  rejected: { code: string; name: string; reason: string }[];
}
