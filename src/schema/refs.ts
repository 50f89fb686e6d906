/**
 * Type references, declared before any type is implemented so that type modules can point
 * at each other (Policy -> Issued -> Agency -> Issued ...) without import cycles.
 */
import type { ArticleRow } from '../db/articles-read.js';
import type { EntityRow, MentionRow } from '../db/entities-read.js';
import type { RelationRow } from '../db/relations-read.js';
import { ENTITY_TYPES, type EntityType } from '../graph/vocabulary.js';
import { builder } from './builder.js';

export const ArticleRef = builder.objectRef<ArticleRow>('Article');
export const EntityRef = builder.interfaceRef<EntityRow>('Entity');
/** One object type per entity type of the vocabulary (entity-node.ts implements them all). */
export const ENTITY_REFS = Object.fromEntries(ENTITY_TYPES.map((t) => [t, builder.objectRef<EntityRow>(t)])) as {
  [T in EntityType]: ReturnType<typeof builder.objectRef<EntityRow>>;
};
export const {
  Company: CompanyRef,
  Agency: AgencyRef,
  Person: PersonRef,
  Policy: PolicyRef,
  Stock: StockRef,
} = ENTITY_REFS;
export const MentionRef = builder.objectRef<MentionRow>('Mention');
export const IssuedRef = builder.objectRef<RelationRow>('Issued');
export const RoleRef = builder.objectRef<RelationRow>('Role');
export const ListingRef = builder.objectRef<RelationRow>('Listing');
