/** What every concrete entity type shares: Node + Entity, loading by id, and lookup by name or alias. */
import type { EntityRow } from '../db/entities-read.js';
import { entityKey } from '../ingest/record.js';
import type { EntityType } from '../ingest/types.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { badInput } from './errors.js';
import { CompanyRef, EntityRef } from './refs.js';

export function defineEntityNode(ref: typeof CompanyRef, type: EntityType, description: string) {
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
