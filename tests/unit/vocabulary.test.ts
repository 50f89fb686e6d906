/** The layers that list the graph's types by hand outside TypeScript agree with the vocabulary. */
import type { GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { ENTITY_TYPES, entityKey, isEntityType, RELATION_TYPES } from '../../src/graph/vocabulary.js';
import { schema } from '../../src/schema/index.js';

const enumValues = (name: string) =>
  (schema.getType(name) as GraphQLEnumType)
    .getValues()
    .map((v) => v.name)
    .sort();

describe('graph vocabulary', () => {
  it('ids are Type:normalised name', () => {
    expect(entityKey('Company', ' Ａ股 公司')).toBe('Company:a股公司');
    expect(isEntityType('Stock')).toBe(true);
    expect(isEntityType('Article')).toBe(false);
  });

  it('every entity type is a GraphQL object type implementing Entity, and a value of each type enum', () => {
    for (const t of ENTITY_TYPES)
      expect(schema.getImplementations(schema.getType('Entity') as never).objects.map((o) => o.name)).toContain(t);
    expect(enumValues('EntityType')).toEqual(ENTITY_TYPES.map((t) => t.toUpperCase()).sort());
    expect(enumValues('GraphNodeType')).toEqual(['ARTICLE', ...ENTITY_TYPES.map((t) => t.toUpperCase())].sort());
    expect(enumValues('GraphEdgeType')).toEqual(['MENTIONS', 'CO_MENTION', ...RELATION_TYPES].sort());
  });

  it('every entity type has a uniqueness constraint', () => {
    for (const t of ENTITY_TYPES)
      expect(MIGRATIONS.some((m) => m.includes(`FOR (n:${t}) REQUIRE n.id IS UNIQUE`))).toBe(true);
  });

  it('the Explorer styles exactly the node types the API sends', async () => {
    // explorer/ is browser JavaScript without types: loaded by URL so that tsc does not check it
    const { NODE_TYPES } = (await import(new URL('../../explorer/graph.js', import.meta.url).href)) as {
      NODE_TYPES: Record<string, unknown>;
    };
    expect(Object.keys(NODE_TYPES).sort()).toEqual(enumValues('GraphNodeType'));
  });
});
