/** Every entity type of the vocabulary as a GraphQL node (Node + Entity, loading by id), and lookup by name or alias. */
import type { EntityRow } from '../db/entities-read.js';
import { ENTITY_TYPES, type EntityType, entityKey } from '../graph/vocabulary.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { badInput } from './errors.js';
import { ENTITY_REFS, EntityRef } from './refs.js';

/** The GraphQL description of each entity type; type-specific fields live in types/<type>.ts. */
const DESCRIPTIONS: Record<EntityType, string> = {
  Company: 'A company or other business organisation.',
  Agency: 'A government body or regulator.',
  Person: 'A person: official, analyst, executive or journalist.',
  Policy: 'A policy, plan, document or slogan (《…》 titles, 专精特新, 十四五 …).',
  Stock: 'A listed security; `name` is its short name, `code` the exchange-prefixed code.',
};

for (const type of ENTITY_TYPES) defineEntityNode(type);

function defineEntityNode(type: EntityType) {
  const ref = ENTITY_REFS[type];
  const description = DESCRIPTIONS[type];
  builder.node(ref, {
    description,
    interfaces: [EntityRef],
    isTypeOf: (value) => (value as EntityRow).type === type,
    id: { resolve: (e) => e.id },
    loadMany: async (ids, ctx) => {
      const rows = await ctx.loaders.entityById.loadMany(ids);
      return rows.map((r) => (r && !(r instanceof Error) && r.type === type ? r : null));
    },
    fields: () => ({}),
  });
}

/** The entity of this type known under this name or alias, or null. Exact match after normalisation. */
export async function entityByName(ctx: Context, type: EntityType, name: string): Promise<EntityRow | null> {
  if (!name.trim()) throw badInput('`name` must not be empty', { argument: 'name' });
  const id = await ctx.loaders.entityIdByAliasKey.load(entityKey(type, name));
  if (!id) return null;
  const row = await ctx.loaders.entityById.load(id);
  return row && row.type === type ? row : null;
}
