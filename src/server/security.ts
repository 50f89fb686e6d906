/**
 * HTTP-level protections for /graphql, as yoga plugins (wired in app.ts with `securityPlugins`):
 *   - CSRF prevention: a request a browser could send cross-site without a CORS preflight
 *     (GET, or POST as a form or text/plain) must carry the `x-graphql-yoga-csrf` header;
 *   - a request body limit: 1 MiB for requests without the API key, more only with it (the
 *     `ingestArticle` mutation carries a whole article); bigger bodies get 413 before parsing;
 *   - no introspection in production (`NODE_ENV=production`): `__schema` / `__type` are refused.
 * GraphiQL is already off in production (app.ts); field suggestions are blocked by graphql-armor.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { ASTVisitor, FieldNode, ValidationContext } from 'graphql';
// yoga's createGraphQLError: the same `graphql` instance as yoga's request parsers, whose
// `instanceof GraphQLError` checks decide between our 413 and a generic 400.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { MAX_ARTICLE_BYTES } from '../ingest/article.js';
import { keyMatches, presentedKey } from '../schema/auth.js';
import { errorExtensions } from '../schema/errors.js';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export const BODY_LIMITS = {
  /** any request without the right API key: ample for the biggest query (armor allows 2,000 tokens) and its variables */
  anonymousBytes: 1024 * 1024,
  /** with the API key: an article of MAX_ARTICLE_BYTES, JSON-escaped, plus the query */
  authorizedBytes: 2 * MAX_ARTICLE_BYTES + 64 * 1024,
} as const;

export function securityPlugins(config: Config): Plugin[] {
  return [
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }) as Plugin,
    useBodyLimit(config),
    ...(config.server.production ? [useNoIntrospection()] : []),
  ];
}

function tooLarge(limit: number) {
  return createGraphQLError(`request body is over the ${limit} byte limit`, {
    extensions: errorExtensions('REQUEST_ENTITY_TOO_LARGE', { http: { status: 413 }, limit }),
  });
}

/** Refuses bodies over the limit: by Content-Length at once, and while streaming for chunked bodies (no Content-Length). */
export function useBodyLimit(config: Config): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const limit = keyMatches(presentedKey(request.headers), config.server.apiKey)
        ? BODY_LIMITS.authorizedBytes
        : BODY_LIMITS.anonymousBytes;
      const declared = request.headers.get('content-length');
      if (declared != null && /^\d+$/.test(declared)) {
        if (Number(declared) > limit) throw tooLarge(limit);
        return; // node's HTTP parser never delivers more than a declared Content-Length: no need to count
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => {
        let seen = 0;
        const counted = req.body!.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              seen += chunk.byteLength;
              if (seen > limit) controller.error(tooLarge(limit));
              else controller.enqueue(chunk);
            },
          }),
        );
        return parse(
          new fetchAPI.Request(req.url, {
            method: req.method,
            headers: req.headers,
            signal: req.signal,
            body: counted as never,
            // @ts-expect-error `duplex` is required for streamed bodies but missing from the RequestInit type
            duplex: 'half',
          }),
        );
      });
    },
  };
}

/**
 * Refuses `__schema` and `__type` (not `__typename`) at validation. By field name, like graphql's
 * NoSchemaIntrospectionCustomRule, but without its type checks, which fail when `graphql` is loaded twice.
 */
export function useNoIntrospection(): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => ({
    Field(node: FieldNode) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(
          createGraphQLError(
            `GraphQL introspection is disabled on this server, but the query asked for "${node.name.value}"`,
            {
              nodes: [node],
              extensions: errorExtensions('GRAPHQL_VALIDATION_FAILED'),
            },
          ),
        );
      }
    },
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
