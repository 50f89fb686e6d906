import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { ArticleRow } from '../../db/articles-read.js';
import type { EntityRow } from '../../db/entities-read.js';
import { searchPage } from '../../db/search-read.js';
import type { EntityType } from '../../graph/vocabulary.js';
import { builder } from '../builder.js';
import { badInput } from '../errors.js';
import { checkConnectionArgs } from '../paging.js';
import { ArticleRef, EntityRef } from '../refs.js';
import { type SearchKind, SearchTypeEnum } from './enums.js';

interface SearchHit {
  score: number;
  kind: SearchKind;
  entity: EntityRow | null;
  article: ArticleRow | null;
}

const SearchHitRef = builder.objectRef<SearchHit>('SearchHit').implement({
  description: 'One search result: an entity or an article, with its full-text score.',
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'Lucene relevance; higher is better.' }),
    type: t.field({ type: SearchTypeEnum, resolve: (h) => h.kind }),
    node: t.field({
      type: builder.nodeInterfaceRef(),
      resolve: (h) => (h.entity ?? { ...h.article!, __typename: 'Article' }) as never,
    }),
    entity: t.field({ type: EntityRef, nullable: true, resolve: (h) => h.entity }),
    article: t.field({ type: ArticleRef, nullable: true, resolve: (h) => h.article }),
  }),
});

/** Longest query text accepted: names and titles are short, and Lucene work grows with the query. */
const MAX_QUERY_LENGTH = 200;

builder.queryFields((t) => ({
  search: t.connection({
    type: SearchHitRef,
    description:
      'Full-text search (cjk analyzer) over entity names and aliases and article titles and text, best first. ' +
      'Entity and article scores come from different indexes and are merged as they are. `first` at most 100, default 20.',
    args: {
      query: t.arg.string({ required: true }),
      types: t.arg({ type: [SearchTypeEnum], required: false, description: 'what to search; default everything' }),
    },
    resolve: (_, args, ctx) => {
      checkConnectionArgs(args);
      const text = args.query.trim();
      if (!text) throw badInput('`query` must not be empty', { argument: 'query' });
      if (text.length > MAX_QUERY_LENGTH)
        throw badInput(`\`query\` is longer than ${MAX_QUERY_LENGTH} characters`, { argument: 'query' });
      const kinds = args.types?.length ? args.types : null;
      const entityTypes = kinds ? (kinds.filter((k) => k !== 'Article') as EntityType[]) : null;
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, async ({ offset, limit }) => {
        const page = await searchPage(ctx.reader, {
          query: text,
          types: entityTypes,
          articles: !kinds || kinds.includes('Article'),
          offset,
          limit,
        });
        return page.map((h): SearchHit => {
          if (h.entity) ctx.loaders.entityById.prime(h.id, h.entity);
          if (h.article) ctx.loaders.articleById.prime(h.id, h.article);
          return { score: h.score, kind: h.kind, entity: h.entity, article: h.article };
        });
      });
    },
  }),
}));
