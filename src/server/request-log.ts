/** One structured log line per HTTP request: method, path, status, duration, GraphQL operation, cache hit. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DocumentNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

const operations = new WeakMap<IncomingMessage, string>();
const cacheHits = new WeakSet<IncomingMessage>();
/** How graphql-yoga's response-cache plugin marks an answer it served from memory. */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');

/** Notes the executed operation's name (or that the answer came from the response cache) on the Node request. */
export const noteOperation: Plugin = {
  onExecute({ args }) {
    const req = (args.contextValue as { req?: IncomingMessage }).req;
    if (!req) return;
    const definition = getOperationAST(args.document as DocumentNode, args.operationName ?? undefined);
    operations.set(req, definition?.name?.value ?? 'anonymous');
  },
  onResultProcess({ result, serverContext }) {
    // a cached answer skips parsing and execution: this is the one place that still sees it
    const req = (serverContext as { req?: IncomingMessage }).req;
    if (req && result && typeof result === 'object' && SERVED_FROM_CACHE in result) cacheHits.add(req);
  },
};

export function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  res.once('finish', () => {
    logger.info(
      {
        method: req.method,
        path: req.url?.split('?')[0],
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        operation: operations.get(req),
        ...(cacheHits.has(req) ? { cache: 'hit' } : {}),
      },
      'request',
    );
  });
}
