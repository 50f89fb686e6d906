/**
 * The article record: what the ingest side hands the graph writer for one article, in the
 * vocabulary's terms (entity refs are ids by the id rule). The contract between ingest/ and db/.
 */
import type { EntityType, RelationType } from './vocabulary.js';

/** How many evidence sentences one edge keeps: enough to explain it, bounded for long articles. */
export const EVIDENCE_CAP = 5;

export interface EntityRecord {
  /** key of this entity within the article record (`Type:normalised name`) */
  ref: string;
  type: EntityType;
  name: string;
  aliases: string[];
  /** alias-lookup keys for every name (`Type:normalised name`) */
  keys: string[];
  count: number;
  evidence: string[];
  paragraphs: number[];
  sentences: number[];
  /** Stock only */
  code?: string;
  shortName?: string;
}

export interface RelationRecord {
  from: string; // entity ref
  to: string; // entity ref
  evidence: string | null;
  title?: string;
}

/** Which list of the record holds each relation type (a new relation type must say where it goes). */
export const RELATION_FIELDS = {
  ISSUED: 'issued',
  HOLDS_ROLE: 'roles',
  LISTED_AS: 'listings',
} as const satisfies Record<RelationType, string>;

export type RelationLists = { [T in RelationType as (typeof RELATION_FIELDS)[T]]: RelationRecord[] };

export interface ArticleRecord extends RelationLists {
  id: string;
  title: string;
  originalTitle: string | null;
  publishedAt: string | null;
  categories: string[];
  author: string | null;
  sourceUrl: string | null;
  sourcePath: string;
  /** the feed (`sina`, `stcn`, ... `generic`) and the language (`zh`, `en`); optional for records built elsewhere */
  source?: string | null;
  language?: string | null;
  images: string[];
  paragraphs: string[];
  /** all sentences of the body in order; MentionSite.sentence indexes into it */
  sentences: string[];
  /** paragraph index of each sentence, so paragraph-scoped evidence can be chosen in Cypher */
  sentenceParagraphs: number[];
  text: string;
  contentHash: string;
  extractorVersion: string;
  entities: EntityRecord[];
  journalists: string[]; // entity refs
  editor: string | null; // entity ref
}
