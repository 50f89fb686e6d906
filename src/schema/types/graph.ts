/** Relationship queries: co-mentions, shortest paths and neighbourhoods for a graph view. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { neighbourhood, type ViewEdge, type ViewNode } from '../../analysis/neighborhood.js';
import { type Hop, hopsOf } from '../../analysis/path.js';
import { neighboursOf, recentMentions, shortestPath } from '../../db/graph-read.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { toEntityId } from '../ids.js';
import { pageSize } from '../paging.js';
import { ArticleRef, EntityRef } from '../refs.js';
import { foundOrThrow, loadArticles, loadEntity } from '../resolve.js';
import { CoMention } from './entity.js';
import {
  EntityTypeEnum,
  GraphEdgeTypeEnum,
  type GraphNodeType,
  GraphNodeTypeEnum,
  graphNodeType,
  PathHopTypeEnum,
} from './enums.js';

async function existingEntityId(ctx: Context, id: string, argument: string): Promise<string> {
  const entityId = toEntityId(id, argument);
  if (!(await ctx.loaders.entityById.load(entityId)))
    throw notFound(`no entity with id ${JSON.stringify(id)} (${argument})`);
  return entityId;
}

function intIn(value: number, min: number, max: number, argument: string): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw badInput(`"${argument}" must be between ${min} and ${max}, got ${value}`, { argument });
  return value;
}

const HopRef = builder.objectRef<Hop>('PathHop').implement({
  description: 'One step of a path: two entities related directly or mentioned in the same articles.',
  fields: (t) => ({
    from: t.field({ type: EntityRef, resolve: (h, _, ctx) => loadEntity(ctx, h.fromId) }),
    to: t.field({ type: EntityRef, resolve: (h, _, ctx) => loadEntity(ctx, h.toId) }),
    type: t.field({ type: PathHopTypeEnum, resolve: (h) => h.type }),
    articles: t.field({
      type: [ArticleRef],
      description:
        'Articles behind this step (for co-mentions the 5 most recent shared ones, newest first, undated last).',
      resolve: (h, _, ctx) => loadArticles(ctx, h.articleIds),
    }),
  }),
});

interface PathValue {
  hops: Hop[];
}

const PathRef = builder.objectRef<PathValue>('Path').implement({
  fields: (t) => ({
    length: t.int({ description: 'number of hops', resolve: (p) => p.hops.length }),
    entities: t.field({
      type: [EntityRef],
      description: 'The entities along the path, start to end.',
      resolve: (p, _, ctx) =>
        Promise.all(
          [p.hops[0]?.fromId, ...p.hops.map((h) => h.toId)]
            .filter((x): x is string => !!x)
            .map((id) => loadEntity(ctx, id)),
        ),
    }),
    hops: t.field({ type: [HopRef], resolve: (p) => p.hops }),
  }),
});

interface GraphNodeValue extends ViewNode {
  name: string;
  type: GraphNodeType;
  globalId: string;
}

const GraphNodeRef = builder.objectRef<GraphNodeValue>('GraphNode').implement({
  description: 'A node of a graph view (cytoscape.js `data`): pass `id` to `node` or `neighborhood`.',
  fields: (t) => ({
    id: t.exposeID('globalId'),
    key: t.exposeString('key', { description: 'the stored entity id or article id' }),
    type: t.field({ type: GraphNodeTypeEnum, resolve: (n) => n.type }),
    name: t.exposeString('name', { description: 'entity display name or article title' }),
  }),
});

interface GraphEdgeValue extends ViewEdge {
  id: string;
}

const GraphEdgeRef = builder.objectRef<GraphEdgeValue>('GraphEdge').implement({
  description: 'An edge of a graph view; `source` and `target` are GraphNode ids.',
  fields: (t) => ({
    id: t.exposeID('id'),
    source: t.exposeID('source'),
    target: t.exposeID('target'),
    type: t.field({ type: GraphEdgeTypeEnum, resolve: (e) => e.type }),
    weight: t.exposeInt('weight', { description: 'articles behind a relation or co-mention; mentions for MENTIONS' }),
    label: t.exposeString('label', { nullable: true, description: 'e.g. the title on HOLDS_ROLE' }),
  }),
});

const GraphRef = builder.objectRef<{ nodes: GraphNodeValue[]; edges: GraphEdgeValue[] }>('Graph').implement({
  fields: (t) => ({
    nodes: t.field({ type: [GraphNodeRef], resolve: (g) => g.nodes }),
    edges: t.field({ type: [GraphEdgeRef], resolve: (g) => g.edges }),
  }),
});

const MAX_NEIGHBOURHOOD = 200;

builder.queryFields((t) => ({
  coMentions: t.field({
    type: [CoMention],
    description: 'Entities appearing in the same articles as this one, weighted by shared articles.',
    args: {
      id: t.arg.id({ required: true }),
      type: t.arg({ type: EntityTypeEnum, required: false, description: 'only entities of this type' }),
      first: t.arg.int({ required: false, description: 'at most 100; default 20' }),
    },
    resolve: async (_, args, ctx) => {
      const limit = pageSize(args.first, 20);
      const id = await existingEntityId(ctx, String(args.id), 'id');
      return ctx.loaders.coMentions.load({ id, type: args.type ?? null, limit });
    },
  }),
  path: t.field({
    type: PathRef,
    nullable: true,
    description:
      'The shortest connection between two entities (relations and shared articles), or null when none within `maxHops`.',
    args: {
      fromId: t.arg.id({ required: true }),
      toId: t.arg.id({ required: true }),
      maxHops: t.arg.int({ required: false, defaultValue: 4, description: '1..6' }),
    },
    resolve: async (_, args, ctx) => {
      const maxHops = intIn(args.maxHops ?? 4, 1, 6, 'maxHops');
      const from = await existingEntityId(ctx, String(args.fromId), 'fromId');
      const to = await existingEntityId(ctx, String(args.toId), 'toId');
      if (from === to) return { hops: [] };
      const raw = await shortestPath(ctx.reader, from, to, maxHops);
      return raw ? { hops: hopsOf(raw) } : null;
    },
  }),
  neighborhood: t.field({
    type: GraphRef,
    description:
      'The entity, its relations and strongest co-mentions (and, for depth 2, theirs), and recent articles, as nodes and edges for a graph view. ' +
      'Co-mentions count all shared articles, in both rings.',
    args: {
      id: t.arg.id({ required: true }),
      depth: t.arg.int({ required: false, defaultValue: 1, description: '1 or 2' }),
      limit: t.arg.int({ required: false, defaultValue: 50, description: `maximum nodes, 1..${MAX_NEIGHBOURHOOD}` }),
    },
    resolve: async (_, args, ctx) => {
      const depth = intIn(args.depth ?? 1, 1, 2, 'depth');
      const limit = intIn(args.limit ?? 50, 1, MAX_NEIGHBOURHOOD, 'limit');
      const centre = await existingEntityId(ctx, String(args.id), 'id');
      const view = await neighbourhood(
        {
          neighbours: (ids, perNode) => neighboursOf(ctx.reader, ids, perNode),
          recentArticles: (id, n) => recentMentions(ctx.reader, id, n),
        },
        centre,
        depth,
        limit,
      );
      const entityKeys = view.nodes.filter((n) => n.kind === 'entity').map((n) => n.key);
      const articleKeys = view.nodes.filter((n) => n.kind === 'article').map((n) => n.key);
      const [entityRows, articleRows] = await Promise.all([
        ctx.loaders.entityById.loadMany(entityKeys),
        ctx.loaders.articleById.loadMany(articleKeys),
      ]);
      const [entities, articles] = [foundOrThrow(entityRows), foundOrThrow(articleRows)];
      const info = new Map<string, { name: string; type: GraphNodeValue['type']; typename: string }>();
      for (const e of entities) if (e) info.set(e.id, { name: e.name, type: graphNodeType(e.type), typename: e.type });
      for (const a of articles) if (a) info.set(a.id, { name: a.title, type: 'ARTICLE', typename: 'Article' });
      const globalId = new Map<string, string>();
      const nodes: GraphNodeValue[] = [];
      for (const n of view.nodes) {
        const i = info.get(n.key);
        if (!i) continue; // deleted between the two reads
        const gid = encodeGlobalID(i.typename, n.key);
        globalId.set(n.key, gid);
        nodes.push({ ...n, name: i.name, type: i.type, globalId: gid });
      }
      const edges = view.edges
        .filter((e) => globalId.has(e.source) && globalId.has(e.target))
        .map((e) => {
          const source = globalId.get(e.source)!;
          const target = globalId.get(e.target)!;
          return { ...e, source, target, id: `${e.type}:${source}:${target}` };
        });
      return { nodes, edges };
    },
  }),
}));
