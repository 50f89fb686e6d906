/**
 * Request-shape limits: graphql-armor for depth, aliases, tokens, directives and static cost,
 * plus a validation rule refusing literal `first`/`last` above the page maximum. Breaches are
 * reported with `extensions.code` QUERY_TOO_COMPLEX (or BAD_USER_INPUT for page sizes).
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { type ASTVisitor, GraphQLError, Kind, type ValidationContext, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorExtensions } from '../schema/errors.js';
import { MAX_FIRST } from '../schema/paging.js';

/** The analyst queries nest about 6 deep (policies > edges > node > issuedBy > agency > name). */
export const LIMITS = { maxDepth: 10, maxAliases: 15, maxTokens: 2000, maxDirectives: 20, maxCost: 5000 } as const;

function tooComplex(err: GraphQLError): GraphQLError {
  return new GraphQLError(err.message.replace(/^Syntax Error: /, 'Query refused: '), {
    nodes: err.nodes,
    source: err.source,
    positions: err.positions,
    extensions: errorExtensions('QUERY_TOO_COMPLEX'),
  });
}

/** Contexts where a page size was already refused: armor's cost rule (which multiplies by `first`) stays quiet there. */
const pageSizeRefused = new WeakSet<ValidationContext>();

/** Refuses `first: 100000` written in the query itself with the same message as the resolvers use. */
export function pageSizeRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      visit(operation, {
        Argument(arg) {
          const name = arg.name.value;
          if ((name !== 'first' && name !== 'last') || arg.value.kind !== Kind.INT) return;
          const n = Number(arg.value.value);
          if (n <= MAX_FIRST) return;
          pageSizeRefused.add(context);
          context.reportError(
            new GraphQLError(`"${name}" must be between 0 and ${MAX_FIRST}, got ${n}`, {
              nodes: arg,
              extensions: errorExtensions('BAD_USER_INPUT', { argument: name, max: MAX_FIRST }),
            }),
          );
        },
      });
    },
  };
}

/** Armor rules report (instead of throwing) so the refusal carries a code. */
const report = {
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError) =>
      ctx && !pageSizeRefused.has(ctx) && ctx.reportError(tooComplex(err)),
  ],
};

export function limitPlugins(): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: LIMITS.maxDepth, exposeLimits: true, ...report },
    maxAliases: { n: LIMITS.maxAliases, exposeLimits: true, ...report },
    maxDirectives: { n: LIMITS.maxDirectives, exposeLimits: true, ...report },
    costLimit: { maxCost: LIMITS.maxCost, exposeLimits: true, ...report },
    // the token limit runs while parsing (no validation context): it throws, and codeTokenLimit adds the code
    maxTokens: { n: LIMITS.maxTokens, exposeLimits: true },
  });
  const pageSizes: Plugin = {
    onValidate({ addValidationRule }) {
      addValidationRule(pageSizeRule);
    },
  };
  return [pageSizes, ...(armor.protect().plugins as Plugin[]), codeTokenLimit];
}

const codeTokenLimit: Plugin = {
  onParse() {
    return ({ result, replaceParseResult }) => {
      // by message, not instanceof: graphql may be loaded twice (see server/errors.ts)
      if (result instanceof Error && /^Syntax Error: Token limit/.test(result.message))
        replaceParseResult(tooComplex(result as GraphQLError));
    };
  },
};
