/** Enums shared by several types. Their values map onto fixed graph labels; user text never becomes a label. */
import { ENTITY_TYPES, RELATION_TYPES, type EntityType as StoredEntityType } from '../../graph/vocabulary.js';
import { builder } from '../builder.js';

/** COMPANY -> 'Company', …: the GraphQL names of the stored entity types, in their order. */
const entityTypeValues = Object.fromEntries(ENTITY_TYPES.map((t) => [t.toUpperCase(), { value: t }])) as {
  [T in StoredEntityType as Uppercase<T>]: { value: T };
};

export const EntityTypeEnum = builder.enumType('EntityType', {
  description: 'The kinds of entity the extractor finds.',
  values: entityTypeValues,
});

export const SearchTypeEnum = builder.enumType('SearchType', {
  description: 'What `search` looks through: entity names and aliases, or article titles and text.',
  values: { ARTICLE: { value: 'Article' }, ...entityTypeValues } as const,
});

export type SearchKind = StoredEntityType | 'Article';

export const ExchangeEnum = builder.enumType('Exchange', {
  description: 'Where a stock is listed, from the prefix of its code.',
  values: ['SHANGHAI', 'SHENZHEN', 'BEIJING', 'HONG_KONG', 'US', 'OTHER'] as const,
});

export type Exchange = 'SHANGHAI' | 'SHENZHEN' | 'BEIJING' | 'HONG_KONG' | 'US' | 'OTHER';

export function exchangeOf(code: string): Exchange {
  const prefix = code.slice(0, 2).toLowerCase();
  return (
    ({ sh: 'SHANGHAI', sz: 'SHENZHEN', bj: 'BEIJING', hk: 'HONG_KONG', us: 'US' } as const)[prefix as 'sh'] ?? 'OTHER'
  );
}

export const LinkScopeEnum = builder.enumType('LinkScope', {
  description: 'How close a company and a policy must be mentioned to count as linked.',
  values: {
    ARTICLE: { value: 'ARTICLE', description: 'in the same article' },
    PARAGRAPH: { value: 'PARAGRAPH', description: 'in the same paragraph' },
    SENTENCE: { value: 'SENTENCE', description: 'in the same sentence' },
  } as const,
});

export const IntervalEnum = builder.enumType('Interval', {
  values: { DAY: { value: 'day' }, WEEK: { value: 'week' }, MONTH: { value: 'month' } } as const,
});

export const ArticleOrderEnum = builder.enumType('ArticleOrder', {
  values: { NEWEST_FIRST: { value: 'NEWEST_FIRST' }, OLDEST_FIRST: { value: 'OLDEST_FIRST' } } as const,
});

export const GraphEdgeTypeEnum = builder.enumType('GraphEdgeType', {
  description: 'Edge kinds in a neighbourhood view.',
  values: ['MENTIONS', ...RELATION_TYPES, 'CO_MENTION'] as const,
});

/** One step of a path: a direct relation or a co-mention. */
export const PathHopTypeEnum = builder.enumType('PathHopType', { values: [...RELATION_TYPES, 'CO_MENTION'] as const });

/** A node of a graph view: an article or an entity, by its type in upper case. */
export type GraphNodeType = 'ARTICLE' | Uppercase<StoredEntityType>;

export function graphNodeType(type: StoredEntityType): Uppercase<StoredEntityType> {
  return type.toUpperCase() as Uppercase<StoredEntityType>; // what `entityTypeValues` maps, so always a value of the enum
}

export const GraphNodeTypeEnum = builder.enumType('GraphNodeType', {
  values: ['ARTICLE', ...ENTITY_TYPES.map(graphNodeType)] as GraphNodeType[],
});
