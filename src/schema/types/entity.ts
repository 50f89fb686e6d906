/** The Entity interface every extracted thing implements, and the generic entity lookups. */
import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import type { CoMentionRow } from '../../db/graph-read.js';
import { builder } from '../builder.js';
import { badInput } from '../errors.js';
import { toEntityId } from '../ids.js';
import { checkConnectionArgs, pageSize } from '../paging.js';
import { ArticleRef, EntityRef } from '../refs.js';
import { loadArticles, loadEntity } from '../resolve.js';
import { articleCursor, parseArticleCursor } from './article.js';
import { EntityTypeEnum } from './enums.js';

export const Entity = EntityRef;

export const CoMention = builder.objectRef<CoMentionRow>('CoMention').implement({
  description: 'Another entity mentioned in the same articles, weighted by how many.',
  fields: (t) => ({
    entity: t.field({ type: Entity, resolve: (c, _, ctx) => loadEntity(ctx, c.entityId) }),
    weight: t.exposeInt('articles', { description: 'number of articles mentioning both' }),
    mentions: t.exposeInt('mentions', { description: "the other entity's mentions in those articles" }),
    articles: t.field({
      type: [ArticleRef],
      description: 'the most recent shared articles (at most 5)',
      resolve: (c, _, ctx) => loadArticles(ctx, c.articleIds),
    }),
  }),
});

Entity.implement({
  description: 'Something the extractor found in articles: a company, agency, person, policy or stock.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (e) => e.type,
  fields: (t) => ({
    entityId: t.exposeString('id', {
      description: 'The stored id, `Type:normalised name`, e.g. `Agency:工业和信息化部`.',
    }),
    type: t.field({ type: EntityTypeEnum, resolve: (e) => e.type }),
    name: t.exposeString('name', {
      description:
        'The name as the articles most often write it (e.g. 工信部 for 工业和信息化部; a stock shows its short name). `canonicalName` is the stored full name.',
    }),
    canonicalName: t.exposeString('canonicalName', {
      description: 'The name the graph stores the entity under (the full official form when known).',
    }),
    aliases: t.exposeStringList('aliases', { description: 'Other names seen in articles.' }),
    mentionCount: t.int({
      description: 'Mentions across all articles.',
      resolve: async (e, _, ctx) => (await ctx.loaders.entityStats.load(e.id)).mentionCount,
    }),
    articleCount: t.int({
      description: 'Articles that mention it.',
      resolve: async (e, _, ctx) => (await ctx.loaders.entityStats.load(e.id)).articleCount,
    }),
    articles: t.connection({
      type: ArticleRef,
      description: 'Articles mentioning this entity, newest first; `first` at most 100, default 20.',
      resolve: (e, args, ctx) => {
        checkConnectionArgs(args);
        if (args.last != null || args.before != null)
          throw badInput('`articles` of an entity pages forward only: use `first` and `after`');
        return resolveCursorConnection(
          { args, toCursor: articleCursor, defaultSize: 20, maxSize: 100 },
          ({ after, limit }: ResolveCursorConnectionArgs) =>
            ctx.loaders.articlesMentioning.load({ entityId: e.id, limit, after: parseArticleCursor(after) ?? null }),
        );
      },
    }),
    coMentioned: t.field({
      type: [CoMention],
      description: 'Entities mentioned in the same articles, most shared articles first.',
      args: {
        type: t.arg({ type: EntityTypeEnum, required: false }),
        first: t.arg.int({ required: false, description: 'at most 100; default 10' }),
      },
      resolve: (e, args, ctx) =>
        ctx.loaders.coMentions.load({ id: e.id, type: args.type ?? null, limit: pageSize(args.first, 10) }),
    }),
  }),
});

builder.queryFields((t) => ({
  entity: t.field({
    type: Entity,
    nullable: true,
    description: 'An entity by global ID or stored id (`Agency:工业和信息化部`), or null.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.loaders.entityById.load(toEntityId(String(id))),
  }),
}));
