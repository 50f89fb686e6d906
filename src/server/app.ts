/** The HTTP server: GraphQL (graphql-yoga, GraphiQL served offline) at /graphql, GET /health and GET /metrics. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createYoga } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createGraphVersion } from '../db/graph-version.js';
import { createReader, type Reader } from '../db/read.js';
import { ReadGate } from '../db/read-gate.js';
import { heartbeat } from '../db/readiness.js';
import { writeActivity } from '../db/write.js';
import { closeExtractionPool } from '../ingest/pool.js';
import { createLoaders } from '../loaders/index.js';
import { createBookmarks } from '../neo4j/bookmarks.js';
import type { Database } from '../neo4j/driver.js';
import { Liveness } from '../neo4j/liveness.js';
import { keyMatches, presentedKey } from '../schema/auth.js';
import type { Context } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { TextBudget } from '../schema/text-budget.js';
import { requestBookmarks } from './bookmarks.js';
import { ChangeFeed } from './change-feed.js';
import { corsPolicy } from './cors.js';
import { errorHygienePlugin } from './error-hygiene.js';
import { classify, createMaskError } from './errors.js';
import { EXAMPLE_QUERY, SAVED_EXAMPLES } from './examples.js';
import { handleExplore } from './explore.js';
import { jitPlugin } from './jit.js';
import { limitPlugins } from './limits.js';
import { createMetrics } from './metrics.js';
import { checkReady } from './neo4j-ping.js';
import { logRequest, noteOperation } from './request-log.js';
import { responseCachePlugins } from './response-cache.js';
import { CSRF_HEADER, securityPlugins } from './security.js';
import { createWarmUp } from './warm-up.js';
import { yogaLogger } from './yoga-logger.js';

export interface App {
  server: Server;
  /** Starts listening; resolves to the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** A poll is two index seeks: one that takes longer is Neo4j's trouble, and the next poll retries. */
const CHANGE_POLL_TIMEOUT_MS = 5_000;
const FEED_START_WAIT_MS = 10_000;

export function createApp(database: Database, config: Config, logger: Logger): App {
  // Every database call of this server goes through the heartbeat: none waits on a Neo4j that
  // stopped answering (liveness.ts). It runs from now until close().
  const warmUp = createWarmUp(
    schema,
    () => {
      // not refused by the heartbeat (the warm-up runs on its behalf), but its answers count as signs of life
      const warming: Database = {
        ...database,
        liveness: { guard: (work) => liveness.observe(work), state: () => liveness.state() },
      };
      const reader = createReader(warming, config.queryTimeoutMs);
      return {
        db: warming,
        reader,
        config,
        loaders: createLoaders(reader),
        authorized: false,
        bookmarks: createBookmarks(),
        textBudget: new TextBudget(config.server.maxTextBytes),
        changes: feed,
      };
    },
    (err) => classify(err, config.queryTimeoutMs)?.code,
  );
  const liveness = new Liveness(heartbeat(database), { warmUp });
  const db: Database = { ...database, liveness };
  liveness.start();
  // the one source of subscription events (change-feed.ts): polls the change records every write leaves
  // its reads chain on their own bookmarks (never older than the last), and events carry them to the subscribers' reads
  const feedBookmarks = createBookmarks();
  const feed = new ChangeFeed(
    createReader(db, CHANGE_POLL_TIMEOUT_MS, feedBookmarks.manager),
    feedBookmarks,
    logger.child({ component: 'change-feed' }),
    { pollMs: config.server.changePollMs, queueSize: config.server.subscriptionQueue },
  );
  feed.start();
  const bookmarks = requestBookmarks();
  // one gate for every request's reads (not the feed's, the warm-up's nor /health's)
  const { readConcurrency, readsWhileWriting } = config.server;
  const gate =
    readConcurrency || readsWhileWriting
      ? new ReadGate(readConcurrency, readsWhileWriting, writeActivity(db))
      : undefined;
  const metrics = createMetrics(db, () => feed.stats(), gate && (() => gate.queued()));
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    cors: corsPolicy(config.server.corsOrigins),
    graphiql: config.server.production
      ? false
      : {
          title: 'newsgraph',
          defaultQuery: EXAMPLE_QUERY,
          defaultTabs: [EXAMPLE_QUERY, ...SAVED_EXAMPLES.map((e) => e.query)].map((query) => ({ query })),
          // GraphiQL runs subscriptions as SSE over GET, which CSRF prevention refuses without this
          // header (security.ts); GraphiQL is served from this origin, so it may send it
          additionalHeaders: { [CSRF_HEADER]: '1' },
        },
    // GraphiQL from the package's own bundle, inlined in the page: no CDN, works offline.
    // Loaded on first use: the bundle is 9 MB of JavaScript that a server answering queries never needs.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    logging: yogaLogger(logger.child({ component: 'yoga' }), config.queryTimeoutMs),
    maskedErrors: { maskError: createMaskError(config.queryTimeoutMs) },
    plugins: [
      jitPlugin(),
      ...securityPlugins(config),
      ...limitPlugins(),
      noteOperation,
      errorHygienePlugin(config.server.production), // before the metrics, which count the codes it sets
      ...metrics.plugins,
      bookmarks.plugin,
      ...responseCachePlugins(
        createGraphVersion(db),
        { maxBytes: config.server.responseCacheBytes, reportHits: !config.server.production },
        bookmarks.forRequest,
      ),
    ],
    context: ({ request, res }) => {
      // one set of bookmarks for the request's reads and writes (bookmarks.ts)
      const requestBookmarks = bookmarks.forRequest(request);
      const reader = createReader(db, config.queryTimeoutMs, requestBookmarks.manager, gate);
      return {
        db,
        reader,
        bookmarks: requestBookmarks,
        config,
        loaders: createLoaders(reader),
        authorized: keyMatches(presentedKey(request.headers), config.server.apiKey),
        textBudget: new TextBudget(config.server.maxTextBytes),
        changes: feed,
        // a subscriber whose client stopped reading: the socket is closed (change-feed.ts)
        dropConnection: () => res.destroy(),
      };
    },
  });

  // Idle keep-alive connections stay open longer than a load balancer keeps its pooled ones (nginx: 60 s):
  // with Node's 5 s default the server closes a pooled connection just as the proxy sends a request on it,
  // and the proxy answers 502 (not retried for a POST). Seen as failed requests in replicas.test.ts.
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, async (req, res) => {
    logRequest(logger, req, res);
    if (req.method === 'GET' && req.url?.split('?')[0] === '/health') {
      return health(createReader(db, config.queryTimeoutMs), res);
    }
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      return metrics.serve(res).catch((err: Error) => {
        logger.error({ err }, 'metrics failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('metrics failed\n');
      });
    }
    if (handleExplore(req, res)) return; // the Explorer page at /explore (explore.ts)
    return yoga(req, res);
  });

  return {
    server,
    listen(port = config.server.port, host = config.server.host) {
      return new Promise((resolveUrl, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address() as { port: number };
          // subscriptions taken from now on see every write committed after this (unless Neo4j
          // did not answer the feed's first poll in time: then from its first answer)
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<void>((done) => (timer = setTimeout(done, FEED_START_WAIT_MS)));
          void Promise.race([feed.ready, late]).then(() => {
            clearTimeout(timer);
            resolveUrl(`http://${host === '0.0.0.0' ? 'localhost' : host}:${addr.port}/graphql`);
          });
        });
      });
    },
    async close() {
      await feed.stop(); // subscription streams complete
      liveness.stop();
      gate?.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await closeExtractionPool(); // the ingestArticle mutation's workers
    },
  };
}

/** 200 only when a query would succeed now: Neo4j answers, its indexes are online, a representative read works. */
async function health(reader: Reader, res: ServerResponse) {
  const neo4j = await checkReady(reader);
  res.writeHead(neo4j.ready ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: neo4j.ready ? 'ok' : 'degraded', neo4j: { uri: reader.db.uri, ...neo4j } }));
}
