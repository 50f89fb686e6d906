/**
 * Type references, declared before any type is implemented so that type modules can point
 * at each other (Policy -> Issued -> Agency -> Issued ...) without import cycles.
 */
import type { ArticleRow } from '../db/articles-read.js';
import type { EntityRow, MentionRow } from '../db/entities-read.js';
import type { RelationRow } from '../db/relations-read.js';
import { builder } from './builder.js';

export const ArticleRef = builder.objectRef<ArticleRow>('Article');
export const EntityRef = builder.interfaceRef<EntityRow>('Entity');
export const CompanyRef = builder.objectRef<EntityRow>('Company');
export const AgencyRef = builder.objectRef<EntityRow>('Agency');
export const PersonRef = builder.objectRef<EntityRow>('Person');
export const PolicyRef = builder.objectRef<EntityRow>('Policy');
export const StockRef = builder.objectRef<EntityRow>('Stock');
export const MentionRef = builder.objectRef<MentionRow>('Mention');
export const IssuedRef = builder.objectRef<RelationRow>('Issued');
export const RoleRef = builder.objectRef<RelationRow>('Role');
export const ListingRef = builder.objectRef<RelationRow>('Listing');
