/**
 * After Neo4j was unavailable (restarted, frozen) it is cold: a restarted JVM loads and compiles
 * its query machinery and plans every statement anew, and on a busy machine the API's heavier
 * queries then ran past the timeout for a while (issue 11: /health said ok, queries failed after
 * 10–18 s). So before /health says ok again, the server runs its own representative operations
 * once, through the schema as a client's would go, and their Cypher is planned and cached.
 */
import { type DocumentNode, execute, type GraphQLSchema, parse } from 'graphql';
import type { Context } from '../schema/context.js';
import { EXAMPLE_QUERY, SAVED_EXAMPLES } from './examples.js';

/** The API's entry points that reach Neo4j: the GraphiQL examples and what they leave out. */
export const WARM_UP_OPERATIONS: string[] = [
  EXAMPLE_QUERY,
  ...SAVED_EXAMPLES.map((e) => e.query),
  '{ articles(first: 10) { edges { node { articleId title publishedAt categories } } pageInfo { hasNextPage endCursor } } }',
  '{ article(id: "ng-01-digital-threshold") { title paragraphs mentions { entity { name } } } }',
  '{ company(name: "宁德时代") { name aliases articleCount } person(name: "张三") { name } stock(code: "sz300750") { name } }',
  '{ policies(first: 10, nameContains: "数字") { edges { node { name } } } }',
  '{ search(query: "数字化转型", first: 10, types: [ARTICLE]) { edges { node { score } } } }',
];

/** Past this, the warm-up stops retrying: a graph where some query is always slow must not keep /health at 503. */
export const WARM_UP_MAX_MS = 60_000;

const RETRY = new Set(['QUERY_TIMEOUT', 'DATABASE_UNAVAILABLE']);

/**
 * Runs each operation until it answers without a timeout (or WARM_UP_MAX_MS has passed).
 * `context` builds one whose reads bypass the heartbeat's guard (it is the heartbeat asking).
 */
export function createWarmUp(
  schema: GraphQLSchema,
  context: () => Context,
  classify: (err: unknown) => string | undefined,
): () => Promise<void> {
  let documents: DocumentNode[] | undefined;
  return async () => {
    documents ??= WARM_UP_OPERATIONS.map((q) => parse(q));
    const until = Date.now() + WARM_UP_MAX_MS;
    for (const document of documents) {
      for (;;) {
        const result = await execute({ schema, document, contextValue: context() });
        const retry = result.errors?.some((e) => RETRY.has(classify(e.originalError ?? e) ?? ''));
        if (!retry || Date.now() > until) break;
      }
    }
  };
}
