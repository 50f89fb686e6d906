/**
 * Last touches on the errors a client gets, as one yoga plugin (it sees every result: parse,
 * validation, variables and execution):
 *   - production: no "Did you mean …?" hints (graphql-armor hides field suggestions only; enum
 *     values, in the query or in variables, still carried them);
 *   - invalid variables (graphql-js: `Variable "$x" …`, no code) get BAD_USER_INPUT;
 *   - `node(id)` / `nodes(ids)` with an id of a type that is not a node: Pothos answers
 *     "Foo has not been implemented" (a schema error, so it was passed through unmasked): NOT_FOUND.
 */
import { type ExecutionResult, GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../schema/errors.js';

const SUGGESTION = /\s*Did you mean [^?]*\?/g;
const NOT_IMPLEMENTED = /^\S+ has not been implemented$/;

type AnyError = GraphQLError | (GraphQLFormattedError & Partial<GraphQLError>);

export function errorHygienePlugin(production: boolean): Plugin {
  const clean = (error: AnyError): AnyError => {
    let message = error.message;
    let code = error.extensions?.code as string | undefined;
    if (production) message = message.replace(SUGGESTION, '');
    if (!code && message.startsWith('Variable "$')) code = 'BAD_USER_INPUT' satisfies ErrorCode;
    if ((error.path?.[0] === 'node' || error.path?.[0] === 'nodes') && NOT_IMPLEMENTED.test(message)) {
      code = 'NOT_FOUND' satisfies ErrorCode;
      message = 'no node with this id: its type has no nodes';
    }
    if (message === error.message && code === error.extensions?.code) return error;
    return new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: { ...error.extensions, code },
    });
  };
  return {
    onResultProcess({ result, setResult }) {
      const fix = (one: ExecutionResult) => {
        if (!one?.errors?.length) return one;
        const errors = one.errors.map(clean);
        return errors.every((e, i) => e === one.errors![i]) ? one : { ...one, errors: errors as GraphQLError[] };
      };
      if (Array.isArray(result)) setResult(result.map((r) => fix(r as ExecutionResult)) as typeof result);
      else if (result && typeof result === 'object' && 'errors' in result) {
        const fixed = fix(result as ExecutionResult);
        if (fixed !== result) setResult(fixed as typeof result);
      }
    },
  };
}
