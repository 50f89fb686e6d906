/**
 * Per-request DataLoaders: one Cypher round trip per batch of keys, cached for the request.
 * Every field that walks from a parent to related rows goes through one of these, so a page
 * of N parents costs one query per relation kind, not N.
 */
import DataLoader from 'dataloader';
import { type ArticleBody, type ArticleRow, articleBodiesByIds, articlesByIds } from '../db/articles-read.js';
import {
  articlesMentioning,
  type EntityRow,
  type EntityStats,
  entitiesByIds,
  entityIdsByAliasKeys,
  entityStatsByIds,
  type MentioningPageKey,
  type MentionRow,
  mentionsByArticles,
  stockIdsByCodes,
} from '../db/entities-read.js';
import { type CoMentionKey, type CoMentionRow, coMentionsOf } from '../db/graph-read.js';
import {
  type LinkArticlesKey,
  type LinkedCompany,
  type LinkScope,
  linkArticles,
  policyLinkedCompanies,
} from '../db/policies-read.js';
import type { Reader } from '../db/read.js';
import { type RelationRow, type RelationSide, relationsOf } from '../db/relations-read.js';
import type { RelationType } from '../graph/vocabulary.js';

export interface Loaders {
  articleById: DataLoader<string, ArticleRow | null>;
  /** paragraphs and sentences, read only when asked for */
  articleBody: DataLoader<string, ArticleBody | null>;
  entityById: DataLoader<string, EntityRow | null>;
  /** article and mention counts, read only when asked for (they touch every mention of a hub) */
  entityStats: DataLoader<string, EntityStats>;
  /** `Type:normalised name` -> entity id */
  entityIdByAliasKey: DataLoader<string, string | null>;
  stockIdByCode: DataLoader<string, string | null>;
  mentionsByArticle: DataLoader<string, MentionRow[]>;
  articlesMentioning: DataLoader<MentioningPageKey, ArticleRow[], string>;
  coMentions: DataLoader<CoMentionKey, CoMentionRow[], string>;
  /** relations by (type, side): e.g. ISSUED/to = the ISSUED edges pointing at a policy */
  relations(type: RelationType, side: RelationSide): DataLoader<string, RelationRow[]>;
  /** a policy's `limit` strongest linked companies at a scope */
  linkedCompanies(scope: LinkScope, limit: number): DataLoader<string, LinkedCompany[]>;
  /** the articles behind a linked company, read only when asked for */
  linkArticles: DataLoader<LinkArticlesKey, string[], string>;
}

export function createLoaders(reader: Reader): Loaders {
  const relationLoaders = new Map<string, DataLoader<string, RelationRow[]>>();
  const linkLoaders = new Map<string, DataLoader<string, LinkedCompany[]>>();
  const entityById = new DataLoader<string, EntityRow | null>((ids) => entitiesByIds(reader, ids));
  /** Reads that return related entities with their rows fill the entity loader: no second round trip for names. */
  const primed = <T>(rows: T[][], entity: (row: T) => EntityRow) => {
    for (const row of rows.flat()) entityById.prime(entity(row).id, entity(row));
    return rows;
  };
  return {
    articleById: new DataLoader((ids) => articlesByIds(reader, ids)),
    articleBody: new DataLoader((ids) => articleBodiesByIds(reader, ids)),
    entityById,
    entityStats: new DataLoader((ids) => entityStatsByIds(reader, ids)),
    entityIdByAliasKey: new DataLoader((keys) => entityIdsByAliasKeys(reader, keys)),
    stockIdByCode: new DataLoader((codes) => stockIdsByCodes(reader, codes)),
    mentionsByArticle: new DataLoader((ids) => mentionsByArticles(reader, ids)),
    articlesMentioning: new DataLoader((keys) => articlesMentioning(reader, keys), {
      cacheKeyFn: (k) => JSON.stringify(k),
    }),
    coMentions: new DataLoader((keys) => coMentionsOf(reader, keys), { cacheKeyFn: (k) => JSON.stringify(k) }),
    linkArticles: new DataLoader((keys) => linkArticles(reader, keys), { cacheKeyFn: (k) => JSON.stringify(k) }),
    relations(type, side) {
      const key = `${type}/${side}`;
      let loader = relationLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (ids) => primed(await relationsOf(reader, type, side, ids), (r) => r.other));
        relationLoaders.set(key, loader);
      }
      return loader;
    },
    linkedCompanies(scope, limit) {
      const key = `${scope}/${limit}`;
      let loader = linkLoaders.get(key);
      if (!loader) {
        // scored, ranked, cut and with evidence in Cypher: only the rows shown travel
        loader = new DataLoader(async (policyIds) =>
          primed(await policyLinkedCompanies(reader, policyIds, scope, limit), (l) => l.company),
        );
        linkLoaders.set(key, loader);
      }
      return loader;
    },
  };
}
