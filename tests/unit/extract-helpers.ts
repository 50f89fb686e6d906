import type { EntityType } from '../../src/graph/vocabulary.js';
import type { Extraction } from '../../src/ingest/types.js';

/** Names (canonical + aliases) of the entities of one type. */
export function namesOf(x: Extraction, type: EntityType): string[][] {
  return x.entities.filter((e) => e.type === type).map((e) => [e.name, ...e.aliases]);
}

/** Flat set of every name of one type. */
export function allNames(x: Extraction, type: EntityType): Set<string> {
  return new Set(namesOf(x, type).flat());
}
