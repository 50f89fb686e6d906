/**
 * Queries run through graphql-jit: each query document is compiled once to plain JavaScript, so a
 * large answer (a neighbourhood: hundreds of nodes and edges) is not walked field by field by the
 * generic executor. Subscriptions, mutations and requests whose variables do not coerce keep
 * graphql-js: its subscription support and its variable error messages are what the rest of the
 * server (error hygiene, the change feed) is written and tested against.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { type ExecutionArgs, getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Whether a request runs compiled: a query whose variables coerce. */
export function runsCompiled(
  args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName' | 'variableValues'>,
): boolean {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'query') return false;
  const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  return !coerced.errors;
}

export function jitPlugin(): Plugin {
  return useGraphQlJit({}, { enableIf: runsCompiled }) as Plugin;
}
