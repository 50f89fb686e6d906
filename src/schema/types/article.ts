import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import { type ArticleRow, articlePage } from '../../db/articles-read.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { badInput } from '../errors.js';
import { articleIdCandidates, toEntityId } from '../ids.js';
import { checkConnectionArgs, pageSize } from '../paging.js';
import { ArticleRef, MentionRef } from '../refs.js';
import { foundOrThrow } from '../resolve.js';
import { ArticleOrderEnum, EntityTypeEnum } from './enums.js';

export const Article = ArticleRef;

/** An article's body, charged to the request's text budget first (each field that serves it pays). */
function loadBody(a: ArticleRow, ctx: Context) {
  ctx.textBudget.charge(a.id, a.bodyChars);
  return ctx.loaders.articleBody.load(a.id);
}

builder.node(Article, {
  description: 'A news article as ingested: front matter plus cleaned paragraphs.',
  id: { resolve: (a) => a.id },
  loadMany: (ids, ctx) => Promise.all(ids.map((id) => ctx.loaders.articleById.load(id))),
  fields: (t) => ({
    articleId: t.exposeString('id', { description: 'The article id (its file name without extension).' }),
    title: t.exposeString('title'),
    originalTitle: t.exposeString('originalTitle', { nullable: true }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.publishedAt }),
    categories: t.exposeStringList('categories'),
    author: t.exposeString('author', { nullable: true }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true }),
    sourcePath: t.exposeString('sourcePath', { nullable: true }),
    source: t.exposeString('source', {
      nullable: true,
      description: 'The feed the page came from: sina, stcn, cls, nbd, gelonghui, cs, xueqiu, finviz or generic.',
    }),
    language: t.exposeString('language', {
      nullable: true,
      description: 'zh or en; English articles get only rule-sure entities (stock codes).',
    }),
    images: t.exposeStringList('images'),
    paragraphs: t.stringList({ resolve: async (a, _, ctx) => (await loadBody(a, ctx))?.paragraphs ?? [] }),
    sentences: t.stringList({
      description: 'Body sentences in order; Mention sentence indexes point here.',
      resolve: async (a, _, ctx) => (await loadBody(a, ctx))?.sentences ?? [],
    }),
    text: t.string({ resolve: async (a, _, ctx) => ((await loadBody(a, ctx))?.paragraphs ?? []).join('\n') }),
    mentions: t.field({
      type: [MentionRef],
      description: 'Entities this article mentions, most frequent first.',
      args: {
        types: t.arg({ type: [EntityTypeEnum], required: false }),
        first: t.arg.int({ required: false, description: 'at most 100; default 50' }),
      },
      resolve: async (a, args, ctx) => {
        const limit = pageSize(args.first, 50);
        const all = await ctx.loaders.mentionsByArticle.load(a.id);
        const wanted = args.types?.length
          ? all.filter((m) => args.types!.includes(m.entityId.split(':')[0] as never))
          : all;
        return wanted.slice(0, limit);
      },
    }),
  }),
});

/** Cursor of an article in date order: its date and id. */
export function articleCursor(a: ArticleRow): string {
  return Buffer.from(JSON.stringify([a.publishedAt ?? '', a.id])).toString('base64url');
}

export function parseArticleCursor(cursor: string | undefined): { publishedAt: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [publishedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof publishedAt === 'string' && typeof id === 'string') return { publishedAt, id };
  } catch {
    /* fall through */
  }
  throw badInput('invalid cursor: pass an `endCursor` or edge `cursor` from an earlier page', { argument: 'after' });
}

export const ArticleFilter = builder.inputType('ArticleFilter', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false, description: 'published at or after' }),
    to: t.field({ type: 'DateTime', required: false, description: 'published at or before' }),
    category: t.string({ required: false, description: 'one of the article categories, e.g. 金融' }),
    mentions: t.idList({ required: false, description: 'entity ids the article must all mention' }),
  }),
});

builder.queryFields((t) => ({
  article: t.field({
    type: Article,
    nullable: true,
    description: 'An article by its id (file name without extension, or its global ID), or null.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, ctx) => {
      const found = foundOrThrow(await ctx.loaders.articleById.loadMany(articleIdCandidates(String(id))));
      return found.find((a): a is ArticleRow => !!a) ?? null;
    },
  }),
  articles: t.connection({
    type: Article,
    description: 'Articles, newest first unless `orderBy` says otherwise; `first` at most 100, default 20.',
    args: {
      filter: t.arg({ type: ArticleFilter, required: false }),
      orderBy: t.arg({ type: ArticleOrderEnum, required: false, defaultValue: 'NEWEST_FIRST' }),
    },
    resolve: (_, args, ctx) => {
      checkConnectionArgs(args);
      const f = args.filter;
      const filter = {
        from: f?.from?.toISOString() ?? null,
        to: f?.to?.toISOString() ?? null,
        category: f?.category ?? null,
        mentions: f?.mentions?.map((id) => toEntityId(String(id), 'filter.mentions')) ?? [],
      };
      return resolveCursorConnection(
        { args, toCursor: articleCursor, defaultSize: 20, maxSize: 100 },
        ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
          articlePage(ctx.reader, {
            limit,
            inverted,
            order: args.orderBy ?? 'NEWEST_FIRST',
            filter,
            after: parseArticleCursor(after),
            before: parseArticleCursor(before),
          }),
      );
    },
  }),
}));
