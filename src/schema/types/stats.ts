/** Aggregates: mention timelines, top entities, graph counts. */
import { graphCounts, mentionTimeline, type TimelineRow, type TopEntityRow, topEntities } from '../../db/stats-read.js';
import { builder } from '../builder.js';
import { notFound } from '../errors.js';
import { toEntityId } from '../ids.js';
import { pageSize } from '../paging.js';
import { EntityRef } from '../refs.js';
import { loadEntity } from '../resolve.js';
import { EntityTypeEnum, IntervalEnum } from './enums.js';

const TimelineBucket = builder.objectRef<TimelineRow>('TimelineBucket').implement({
  fields: (t) => ({
    start: t.field({
      type: 'DateTime',
      description: 'start of the day, week (Monday) or month',
      resolve: (b) => b.start,
    }),
    articles: t.exposeInt('articles', { description: 'articles published in the bucket that mention the entity' }),
    mentions: t.exposeInt('mentions', { description: 'mentions in those articles' }),
  }),
});

const TopEntity = builder.objectRef<TopEntityRow>('TopEntity').implement({
  fields: (t) => ({
    entity: t.field({ type: EntityRef, resolve: (r, _, ctx) => loadEntity(ctx, r.entityId) }),
    articles: t.exposeInt('articles'),
    mentions: t.exposeInt('mentions'),
  }),
});

const LabelCount = builder.objectRef<{ name: string; count: number }>('LabelCount').implement({
  fields: (t) => ({ name: t.exposeString('name'), count: t.exposeInt('count') }),
});

const Stats = builder
  .objectRef<{ nodes: { name: string; count: number }[]; edges: { name: string; count: number }[] }>('Stats')
  .implement({
    description: 'How big the graph is.',
    fields: (t) => ({
      articles: t.int({ resolve: (s) => s.nodes.find((n) => n.name === 'Article')?.count ?? 0 }),
      entities: t.int({
        resolve: (s) => s.nodes.filter((n) => n.name !== 'Article').reduce((sum, n) => sum + n.count, 0),
      }),
      labels: t.field({ type: [LabelCount], description: 'nodes per label', resolve: (s) => s.nodes }),
      edgeTypes: t.field({ type: [LabelCount], description: 'relationships per type', resolve: (s) => s.edges }),
    }),
  });

builder.queryFields((t) => ({
  timeline: t.field({
    type: [TimelineBucket],
    description: 'Mentions of an entity over time, oldest bucket first; buckets without articles are left out.',
    args: {
      id: t.arg.id({ required: true }),
      interval: t.arg({ type: IntervalEnum, required: false, defaultValue: 'month' }),
      from: t.arg({ type: 'DateTime', required: false }),
      to: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: async (_, args, ctx) => {
      const id = toEntityId(String(args.id));
      if (!(await ctx.loaders.entityById.load(id)))
        throw notFound(`no entity with id ${JSON.stringify(String(args.id))}`);
      return mentionTimeline(
        ctx.reader,
        id,
        args.interval ?? 'month',
        args.from?.toISOString() ?? null,
        args.to?.toISOString() ?? null,
      );
    },
  }),
  topEntities: t.field({
    type: [TopEntity],
    description: 'The entities in the most articles (published in the range, when given).',
    args: {
      type: t.arg({ type: EntityTypeEnum, required: false }),
      from: t.arg({ type: 'DateTime', required: false }),
      to: t.arg({ type: 'DateTime', required: false }),
      first: t.arg.int({ required: false, description: 'at most 100; default 10' }),
    },
    resolve: (_, args, ctx) =>
      topEntities(
        ctx.reader,
        args.type ?? null,
        args.from?.toISOString() ?? null,
        args.to?.toISOString() ?? null,
        pageSize(args.first, 10),
      ),
  }),
  stats: t.field({
    type: Stats,
    resolve: async (_, __, ctx) => {
      const rows = await graphCounts(ctx.reader);
      return { nodes: rows.filter((r) => r.kind === 'label'), edges: rows.filter((r) => r.kind === 'edge') };
    },
  }),
}));
