import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { runsCompiled } from '../../src/server/jit.js';

const schema = buildSchema(`
  enum Kind { A B }
  type Query { items(kind: Kind, first: Int): [String] }
  type Mutation { touch: Boolean }
  type Subscription { ticks: Int }
`);

describe('runsCompiled', () => {
  const args = (source: string, variableValues?: Record<string, unknown>, operationName?: string) => ({
    schema,
    document: parse(source),
    variableValues,
    operationName,
  });
  it('compiles queries whose variables coerce', () => {
    expect(runsCompiled(args('{ items }'))).toBe(true);
    expect(runsCompiled(args('query($k: Kind, $n: Int) { items(kind: $k, first: $n) }', { k: 'A', n: 3 }))).toBe(true);
  });
  it('leaves graphql-js the requests whose variables do not coerce (its messages), mutations and subscriptions', () => {
    expect(runsCompiled(args('query($k: Kind) { items(kind: $k) }', { k: 'AA' }))).toBe(false);
    expect(runsCompiled(args('query($n: Int) { items(first: $n) }', { n: 'many' }))).toBe(false);
    expect(runsCompiled(args('mutation { touch }'))).toBe(false);
    expect(runsCompiled(args('subscription { ticks }'))).toBe(false);
    expect(runsCompiled(args('query Q { items } subscription S { ticks }', undefined, 'S'))).toBe(false);
    expect(runsCompiled(args('query Q { items } subscription S { ticks }', undefined, 'Q'))).toBe(true);
  });
});
