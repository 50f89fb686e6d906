/**
 * The graph's vocabulary: which entity and relation types exist, and how an entity is named
 * (its id, `Type:normalised name`). Every layer derives its lists from here, so a type added
 * here is one the compiler then asks each layer about. Imports nothing from the app.
 */

/** Entity types, in the order the API lists them; each is also a node label (fixed, so it may be written into Cypher). */
export const ENTITY_TYPES = ['Company', 'Agency', 'Person', 'Policy', 'Stock'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Relations between entities (besides the MENTIONS of articles); fixed, so they may be written into Cypher. */
export const RELATION_TYPES = ['ISSUED', 'HOLDS_ROLE', 'LISTED_AS'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

export function isEntityType(value: unknown): value is EntityType {
  return (ENTITY_TYPES as readonly unknown[]).includes(value);
}

/** Full-width ASCII (Ａ-Ｚ, ０-９, ...) to half-width, ideographic space to space. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Key used to compare names: no spaces, half-width, lower-case Latin. */
export function nameKey(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, '').toLowerCase();
}

/** The id rule: an entity is `Type:normalised name` (also the key of each of its alias names). */
export function entityKey(type: EntityType, name: string): string {
  return `${type}:${nameKey(name)}`;
}
