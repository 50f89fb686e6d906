/** One structured log line per HTTP request: method, path, status, duration and GraphQL operation. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

const operations = new WeakMap<IncomingMessage, string>();

/** Notes the executed operation's name on the Node request, for the access log line. */
export const noteOperation: Plugin = {
  onExecute({ args }) {
    const req = (args.contextValue as { req?: IncomingMessage }).req;
    if (!req) return;
    const definition = getOperationAST(args.document as DocumentNode, args.operationName ?? undefined);
    operations.set(req, definition?.name?.value ?? 'anonymous');
  },
};

export function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  res.once('finish', () => {
    logger.info(
      { method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started), operation: operations.get(req) },
      'request',
    );
  });
}
