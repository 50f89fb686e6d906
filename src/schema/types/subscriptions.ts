/**
 * GraphQL subscriptions over server-sent events (graphql-yoga's built-in SSE: `accept:
 * text/event-stream`). Events come only from the change feed (server/change-feed.ts), which reads
 * the change records every write transaction leaves (db/changes-write.ts): writes by this server,
 * another process or another replica alike, each once. "New" means: did not exist before the
 * write's transaction.
 */
import type { ChangeEvent } from '../../db/changes-write.js';
import { createLoaders } from '../../loaders/index.js';
import { builder } from '../builder.js';
import type { Context, LiveItem } from '../context.js';
import { apiError, badInput } from '../errors.js';
import { toEntityId } from '../ids.js';
import { AgencyRef, ArticleRef, CompanyRef, EntityRef, PolicyRef } from '../refs.js';
import { loadArticles } from '../resolve.js';
import { TextBudget } from '../text-budget.js';
import { ArticleFilter } from './article.js';
import { LinkScopeEnum } from './enums.js';

type Of<K extends ChangeEvent['kind']> = Extract<ChangeEvent, { kind: K }>;

/** When NEWSGRAPH_API_KEY is set, a subscription (a connection held open) needs it; without one they are open like queries. */
function checkSubscriber(ctx: Context): void {
  if (ctx.config.server.apiKey && !ctx.authorized) {
    throw apiError(
      'UNAUTHENTICATED',
      'subscriptions on this server need the API key: send it in the `x-api-key` header or as `Authorization: Bearer <key>`',
    );
  }
}

/**
 * Runs a `subscribe`. A refusal there (no key, a bad id) is an answer without `data`; yoga would
 * call that an unexpected error (HTTP 500) when it cannot tell our GraphQLError for its own (two
 * copies of graphql under a test runner), and SSE clients then see a network error instead of the
 * code. So refusals say HTTP 200 explicitly (yoga strips `http` from what it sends), as queries get.
 */
function subscribing<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    const ext = (err as { extensions?: Record<string, unknown> }).extensions;
    if (ext?.code) ext.http = { status: 200 };
    throw err;
  }
}

/** An entity id argument that must name an entity of this type. */
function entityIdOf(id: string | number, type: 'Policy' | 'Agency' | undefined, argument: string): string {
  const stored = toEntityId(String(id), argument);
  if (type && !stored.startsWith(`${type}:`))
    throw badInput(
      `"${argument}" must be ${type === 'Agency' ? 'an' : 'a'} ${type} id, got ${JSON.stringify(stored)}`,
      {
        argument,
      },
    );
  return stored;
}

/**
 * One event: each gets fresh loaders and text budget (a subscription's request lives for hours),
 * and its reads wait for the bookmarks of the poll that found it (a cluster follower may lag).
 */
async function deliver<K extends ChangeEvent['kind']>(item: LiveItem, ctx: Context): Promise<Of<K>> {
  if ('overflow' in item) {
    throw apiError(
      'SLOW_CONSUMER',
      `this subscription was ended: the client did not read its events fast enough (at most ${item.limit} may wait); subscribe again, and catch up with a query`,
      { limit: item.limit },
    );
  }
  await ctx.bookmarks.add(item.bookmarks);
  ctx.loaders = createLoaders(ctx.reader);
  ctx.textBudget = new TextBudget(ctx.config.server.maxTextBytes);
  return item.event as Of<K>;
}

/** Field options: the entity an event names, as stored now (an event outlives what it names). */
function storedEntity<E, R extends typeof EntityRef | typeof PolicyRef | typeof CompanyRef | typeof AgencyRef>(
  type: R,
  idOf: (event: E) => string,
) {
  return {
    type,
    nullable: true as const,
    description: 'null if removed since',
    resolve: (event: E, _args: object, ctx: Context) => ctx.loaders.entityById.load(idOf(event)),
  };
}

/** Field options: the article an event names, as stored now. */
function storedArticle<E>(idOf: (event: E) => string, description = 'null if deleted since') {
  return {
    type: ArticleRef,
    nullable: true as const,
    description,
    resolve: (event: E, _args: object, ctx: Context) => ctx.loaders.articleById.load(idOf(event)),
  };
}

const ArticleIngested = builder.objectRef<Of<'articleIngested'>>('ArticleIngested').implement({
  description: 'An article stored for the first time, or stored again with changed content.',
  fields: (t) => ({
    articleId: t.exposeString('articleId'),
    created: t.exposeBoolean('created', { description: 'true: new; false: it replaced a stored version' }),
    title: t.exposeString('title'),
    article: t.field(
      storedArticle((e: Of<'articleIngested'>) => e.articleId, 'The article as stored now (null if deleted since).'),
    ),
  }),
});

const EntityMentioned = builder.objectRef<Of<'entityMentioned'>>('EntityMentioned').implement({
  description:
    'An article mentions the entity for the first time (a new article, or a changed one that did not before).',
  fields: (t) => ({
    entityId: t.exposeString('entityId'),
    entity: t.field(storedEntity(EntityRef, (e: Of<'entityMentioned'>) => e.entityId)),
    articleId: t.exposeString('articleId'),
    article: t.field(storedArticle((e: Of<'entityMentioned'>) => e.articleId)),
    count: t.exposeInt('count', { description: 'times the article mentions it' }),
    evidence: t.exposeStringList('evidence', { description: 'sentences of the article that mention it (at most 5)' }),
  }),
});

const PolicyLinked = builder.objectRef<Of<'policyLinked'>>('PolicyLinked').implement({
  description:
    'A company newly linked to a policy at a scope: no article linked them at that scope before the write that did.',
  fields: (t) => ({
    policyId: t.exposeString('policyId'),
    policy: t.field(storedEntity(PolicyRef, (e: Of<'policyLinked'>) => e.policyId)),
    companyId: t.exposeString('companyId'),
    company: t.field(storedEntity(CompanyRef, (e: Of<'policyLinked'>) => e.companyId)),
    scope: t.field({ type: LinkScopeEnum, resolve: (e) => e.scope.toUpperCase() as 'ARTICLE' }),
    evidence: t.exposeStringList('evidence', {
      description: 'The link’s evidence at this scope, as LinkedCompany.evidence shows it (at most 10 sentences).',
    }),
    articleIds: t.exposeStringList('articleIds', { description: 'The articles of the write that link them.' }),
    articles: t.field({
      type: [ArticleRef],
      description: 'Those articles (those deleted since left out).',
      resolve: (e, _, ctx) => loadArticles(ctx, e.articleIds),
    }),
  }),
});

const IssuedEvent = builder.objectRef<Of<'issued'>>('IssuedEvent').implement({
  description: 'An agency newly reported to have issued a policy.',
  fields: (t) => ({
    agencyId: t.exposeString('agencyId'),
    agency: t.field(storedEntity(AgencyRef, (e: Of<'issued'>) => e.agencyId)),
    policyId: t.exposeString('policyId'),
    policy: t.field(storedEntity(PolicyRef, (e: Of<'issued'>) => e.policyId)),
    evidence: t.exposeStringList('evidence', { description: 'Sentences that say so (at most 5).' }),
    articleIds: t.exposeStringList('articleIds'),
    articles: t.field({
      type: [ArticleRef],
      resolve: (e, _, ctx) => loadArticles(ctx, e.articleIds),
    }),
  }),
});

/**
 * One subscription's stream: the key checked, `key` and `accept` worked out (they may refuse: a bad
 * id), then this request's subscriber on the change feed.
 */
function live(
  ctx: Context,
  kind: ChangeEvent['kind'],
  select: () => { key?: string; accept?: (event: ChangeEvent) => boolean },
) {
  return subscribing(() => {
    checkSubscriber(ctx);
    const { key, accept = () => true } = select();
    return ctx.changes.subscribe(kind, key, accept, ctx.dropConnection);
  });
}

builder.subscriptionType({
  description:
    'Live events over server-sent events (send `accept: text/event-stream`). Each write’s new articles, mentions, links and ISSUED edges, from any server or process writing to this graph, each delivered once. A subscriber that falls 1,000 events behind is ended with SLOW_CONSUMER.',
});

builder.subscriptionFields((t) => ({
  articleIngested: t.field({
    type: ArticleIngested,
    description: 'Articles stored new or changed (not an unchanged re-ingest), optionally filtered.',
    args: { filter: t.arg({ type: ArticleFilter, required: false }) },
    subscribe: (_, { filter }, ctx) =>
      live(ctx, 'articleIngested', () => {
        const from = filter?.from?.getTime();
        const to = filter?.to?.getTime();
        const category = filter?.category ?? undefined;
        const mentions = filter?.mentions?.map((id) => toEntityId(String(id), 'filter.mentions')) ?? [];
        const accept = (e: ChangeEvent) => {
          if (e.kind !== 'articleIngested') return false;
          const at = e.publishedAt ? Date.parse(e.publishedAt) : undefined;
          if ((from !== undefined || to !== undefined) && at === undefined) return false;
          if (from !== undefined && at! < from) return false;
          if (to !== undefined && at! > to) return false;
          if (category !== undefined && !e.categories.includes(category)) return false;
          return mentions.every((id) => e.entityIds.includes(id));
        };
        return { accept };
      }),
    resolve: (item: LiveItem, _, ctx) => deliver<'articleIngested'>(item, ctx),
  }),
  entityMentioned: t.field({
    type: EntityMentioned,
    description: 'An article newly mentions this entity (global ID or stored id such as `Company:京东工业品`).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_, { id }, ctx) => live(ctx, 'entityMentioned', () => ({ key: entityIdOf(id, undefined, 'id') })),
    resolve: (item: LiveItem, _, ctx) => deliver<'entityMentioned'>(item, ctx),
  }),
  policyLinked: t.field({
    type: PolicyLinked,
    description: 'A company newly linked to this policy, at any scope or only at `scope`, with the evidence.',
    args: {
      policyId: t.arg.id({ required: true }),
      scope: t.arg({ type: LinkScopeEnum, required: false }),
    },
    subscribe: (_, { policyId, scope }, ctx) =>
      live(ctx, 'policyLinked', () => {
        const wanted = scope?.toLowerCase();
        return {
          key: entityIdOf(policyId, 'Policy', 'policyId'),
          accept: (e) => e.kind === 'policyLinked' && (!wanted || e.scope === wanted),
        };
      }),
    resolve: (item: LiveItem, _, ctx) => deliver<'policyLinked'>(item, ctx),
  }),
  issued: t.field({
    type: IssuedEvent,
    description: 'This agency newly reported to have issued a policy.',
    args: { agencyId: t.arg.id({ required: true }) },
    subscribe: (_, { agencyId }, ctx) =>
      live(ctx, 'issued', () => ({ key: entityIdOf(agencyId, 'Agency', 'agencyId') })),
    resolve: (item: LiveItem, _, ctx) => deliver<'issued'>(item, ctx),
  }),
}));
