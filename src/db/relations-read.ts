/**
 * Read queries for the direct relations between entities (ISSUED, LISTED_AS, HOLDS_ROLE),
 * batched per parent so a page of entities costs one round trip per relation kind.
 */
import type { RelationType } from '../graph/vocabulary.js';
import { type EntityRow, entityRow, type RawEntity, toEntityRow } from './entities-read.js';
import { type Reader, readRows } from './read.js';

export interface RelationRow {
  type: RelationType;
  fromId: string;
  toId: string;
  articleIds: string[];
  evidence: string[];
  title: string | null;
  /** the entity at the other end, read with the relation (it primes the entity loader) */
  other: EntityRow;
}

/** Which end of the relation the batch keys are. */
export type RelationSide = 'from' | 'to';

/**
 * Relations of one type touching each id on the given side, strongest (most articles) first.
 * The type is interpolated from the fixed RELATION_TYPES only.
 */
/** The Cypher of `relationsOf` (exported for the index-usage test); the hint keeps the id seek on small graphs too. */
export function relationsCypher(type: RelationType, side: RelationSide): string {
  const pattern =
    side === 'from' ? `(x:Entity {id: id})-[r:${type}]->(o:Entity)` : `(o:Entity)-[r:${type}]->(x:Entity {id: id})`;
  return `UNWIND $ids AS id
     MATCH ${pattern}
     USING INDEX x:Entity(id)
     RETURN { key: id, type: type(r), fromId: startNode(r).id, toId: endNode(r).id,
              articleIds: coalesce(r.articleIds, []), evidence: coalesce(r.evidence, []), title: r.title,
              other: ${entityRow('o')} } AS row
     ORDER BY size(r.articleIds) DESC, o.id`;
}

export async function relationsOf(
  reader: Reader,
  type: RelationType,
  side: RelationSide,
  ids: readonly string[],
): Promise<RelationRow[][]> {
  const rows = await readRows<Omit<RelationRow, 'other'> & { key: string; other: RawEntity }>(
    reader,
    relationsCypher(type, side),
    { ids },
  );
  const byKey = new Map<string, RelationRow[]>();
  for (const { key, other, ...row } of rows) {
    const list = byKey.get(key) ?? [];
    list.push({ ...row, other: toEntityRow(other) });
    byKey.set(key, list);
  }
  return ids.map((id) => byKey.get(id) ?? []);
}
