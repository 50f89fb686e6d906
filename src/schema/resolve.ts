/** Small resolver helpers shared by the type modules. */
import type { ArticleRow } from '../db/articles-read.js';
import type { EntityRow } from '../db/entities-read.js';
import type { Context } from './context.js';

/** An entity an edge points at; the graph keeps both ends of every edge, so a miss is a bug, not user error. */
export async function loadEntity(ctx: Context, id: string): Promise<EntityRow> {
  const row = await ctx.loaders.entityById.load(id);
  if (!row) throw new Error(`entity ${id} referenced by an edge is missing`);
  return row;
}

/**
 * What `DataLoader.loadMany` found (null: no such row), or its first failure thrown: loadMany returns
 * failures as values, and a read that failed (Neo4j down, a timeout) must not pass for "not found"
 * (an answer without errors would claim the article does not exist, and could be cached).
 */
export function foundOrThrow<T>(rows: readonly (T | null | Error)[]): (T | null)[] {
  const failed = rows.find((r): r is Error => r instanceof Error);
  if (failed) throw failed;
  return rows as (T | null)[];
}

/** Articles by id in the given order, skipping any deleted since the edge was read. */
export async function loadArticles(ctx: Context, ids: readonly string[]): Promise<ArticleRow[]> {
  const rows = foundOrThrow(await ctx.loaders.articleById.loadMany(ids));
  return rows.filter((r): r is ArticleRow => !!r);
}
