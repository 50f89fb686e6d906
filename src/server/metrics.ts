/**
 * GET /metrics in the Prometheus text format: one prom-client registry per app (not the global
 * one, so several servers in one process, as in the tests, do not collide).
 *   - graphql-yoga's Prometheus plugin: HTTP requests (method, status, operation) and GraphQL
 *     operations executed (by name and type), each with a latency histogram;
 *     (answers from the response cache skip parsing and execution, so they are not in those:
 *     newsgraph_response_cache_hits_total counts them);
 *   - newsgraph_graphql_errors_total{code}: errors as sent to clients, by `extensions.code`;
 *   - newsgraph_ingest_mutations_total{mutation,outcome}: ingestArticle / deleteArticle, `ok` or the error code;
 *   - newsgraph_neo4j_up and newsgraph_graph_articles: asked of Neo4j when scraped;
 *   - newsgraph_subscriptions, newsgraph_subscription_events_total, newsgraph_subscriptions_dropped_total,
 *     newsgraph_change_feed_seq: the change feed (change-feed.ts), read from it when scraped;
 *   - newsgraph_reads_waiting: API reads held at the read gate (db/read-gate.ts);
 *   - Node's process metrics (CPU, memory, event loop) with the `newsgraph_` prefix.
 */
import type { ServerResponse } from 'node:http';
import {
  createCounter,
  createHistogram,
  type FillLabelsFnParams,
  usePrometheus,
} from '@graphql-yoga/plugin-prometheus';
import { type DocumentNode, type ExecutionResult, getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { createReader, readRows } from '../db/read.js';
import type { Database } from '../neo4j/driver.js';
import { withinDeadline } from '../neo4j/liveness.js';
import type { ChangeFeedStats } from './change-feed.js';
import { CHECK_DEADLINE_MS, pingNeo4j } from './neo4j-ping.js';

const WRITE_MUTATIONS = new Set(['ingestArticle', 'deleteArticle']);
/** Operation names come from clients: past this many distinct ones, further names count as `other`. */
export const MAX_OPERATION_NAMES = 200;
/** How graphql-yoga's response-cache plugin marks an answer it served from memory (as in request-log.ts). */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');

export interface Metrics {
  registry: Registry;
  plugins: Plugin[];
  /** Writes the metrics page (Neo4j is asked at this moment). */
  serve(res: ServerResponse): Promise<void>;
}

/** newsgraph_graph_articles, asked at scrape time (not an API read: it does not wait at the read gate) */
export const ARTICLE_COUNT_CYPHER = 'MATCH (a:Article) RETURN count(a) AS row';

export function createMetrics(db: Database, feed?: () => ChangeFeedStats, readsWaiting?: () => number): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'newsgraph_' });
  if (feed) liveMetrics(registry, feed);
  if (readsWaiting)
    new Gauge({
      name: 'newsgraph_reads_waiting',
      help: 'API reads waiting in the server for a slot in Neo4j now (NEWSGRAPH_READ_CONCURRENCY, NEWSGRAPH_READS_WHILE_WRITING)',
      registers: [registry],
      collect() {
        this.set(readsWaiting());
      },
    });

  const errors = new Counter({
    name: 'newsgraph_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by extensions.code (NONE: no code)',
    labelNames: ['code'],
    registers: [registry],
  });
  const cacheHits = new Counter({
    name: 'newsgraph_response_cache_hits_total',
    help: 'GraphQL requests answered from the response cache (not executed)',
    registers: [registry],
  });
  const writes = new Counter({
    name: 'newsgraph_ingest_mutations_total',
    help: 'ingestArticle and deleteArticle calls by outcome (ok, or the error code)',
    labelNames: ['mutation', 'outcome'],
    registers: [registry],
  });
  const up = new Gauge({
    name: 'newsgraph_neo4j_up',
    help: '1 when Neo4j can answer queries (heartbeat answered with every index online, RETURN 1 answered at scrape time), else 0',
    registers: [registry],
  });
  const pingSeconds = new Gauge({
    name: 'newsgraph_neo4j_ping_seconds',
    help: 'time Neo4j took to answer the scrape-time RETURN 1',
    registers: [registry],
  });
  const articles = new Gauge({
    name: 'newsgraph_graph_articles',
    help: 'Article nodes in the graph at scrape time (any ingest: API or CLI)',
    registers: [registry],
  });

  async function sampleNeo4j(): Promise<void> {
    // the heartbeat's verdict when it has one (no scrape waits on a frozen Neo4j), else a RETURN 1
    const ping = await pingNeo4j(db);
    up.set(ping.ready ? 1 : 0);
    if (!ping.ready) return;
    pingSeconds.set(ping.latencyMs / 1000);
    try {
      // a count-store lookup (constant time), through the guarded read path, with a deadline
      const [n] = await withinDeadline(readRows<number>(createReader(db), ARTICLE_COUNT_CYPHER, {}), CHECK_DEADLINE_MS);
      articles.set(Number(n));
    } catch {
      // the gauge keeps its last value; newsgraph_neo4j_up tells the story
    }
  }

  // the operation label, bounded: a client sending a new name per request must not grow the registry forever
  const names = new Set<string>();
  const operation = (p: FillLabelsFnParams) => {
    let name = p.operationName || 'Anonymous';
    if (!names.has(name)) {
      if (names.size < MAX_OPERATION_NAMES) names.add(name);
      else name = 'other';
    }
    return { operationName: name, operationType: p.operationType ?? 'unknown' };
  };
  const byOperation = ['operationName', 'operationType'] as const;

  const countResults: Plugin = {
    onResultProcess({ result }) {
      if (result && typeof result === 'object' && SERVED_FROM_CACHE in result) cacheHits.inc();
      for (const one of Array.isArray(result) ? result : [result]) {
        for (const error of (one as ExecutionResult | undefined)?.errors ?? [])
          errors.inc({ code: String(error.extensions?.code ?? 'NONE') });
      }
    },
  };

  const countWrites: Plugin = {
    onExecute({ args }) {
      const operation = getOperationAST(args.document as DocumentNode, args.operationName ?? undefined);
      if (operation?.operation !== 'mutation') return;
      // response keys (aliases included) of the write mutations this operation calls
      const calls = operation.selectionSet.selections.flatMap((s) =>
        s.kind === Kind.FIELD && WRITE_MUTATIONS.has(s.name.value)
          ? [{ mutation: s.name.value, key: s.alias?.value ?? s.name.value }]
          : [],
      );
      if (!calls.length) return;
      return {
        onExecuteDone({ result }) {
          if (!('data' in result) && !('errors' in result)) return; // a stream: not for mutations
          const { data, errors: failures } = result as ExecutionResult;
          for (const { mutation, key } of calls) {
            const failure = failures?.find((e) => e.path?.[0] === key);
            const outcome =
              data?.[key] != null && !failure ? 'ok' : String(failure?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
            writes.inc({ mutation, outcome });
          }
        },
      };
    },
  };

  return {
    registry,
    plugins: [
      usePrometheus({
        registry,
        endpoint: false, // served by app.ts, after asking Neo4j
        metrics: {
          graphql_envelop_request: createCounter({
            registry,
            counter: { name: 'graphql_envelop_request', help: 'GraphQL operations executed', labelNames: byOperation },
            fillLabelsFn: operation,
          }),
          graphql_envelop_request_duration: createHistogram({
            registry,
            histogram: {
              name: 'graphql_envelop_request_duration',
              help: 'Time spent executing GraphQL operations (seconds)',
              labelNames: byOperation,
            },
            fillLabelsFn: operation,
          }),
          graphql_yoga_http_duration: createHistogram({
            registry,
            histogram: {
              name: 'graphql_yoga_http_duration',
              help: 'Time spent on HTTP requests to /graphql (seconds)',
              labelNames: [...byOperation, 'method', 'statusCode'],
            },
            fillLabelsFn: (p: FillLabelsFnParams & { request: Request; response: Response }) => ({
              ...operation(p),
              method: p.request.method,
              statusCode: p.response.status,
            }),
          }),
          graphql_envelop_request_time_summary: false,
          graphql_envelop_phase_parse: false,
          graphql_envelop_phase_validate: false,
          graphql_envelop_phase_context: false,
          graphql_envelop_phase_execute: false,
          graphql_envelop_phase_subscribe: false,
          graphql_envelop_error_result: false, // newsgraph_graphql_errors_total counts by code instead
          graphql_envelop_deprecated_field: false,
          graphql_envelop_schema_change: false,
        },
      }) as Plugin,
      countResults,
      countWrites,
    ],
    async serve(res) {
      await sampleNeo4j();
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(body);
    },
  };
}

/** The change feed's numbers, read from it at scrape time. */
function liveMetrics(registry: Registry, stats: () => ChangeFeedStats): void {
  new Gauge({
    name: 'newsgraph_subscriptions',
    help: 'GraphQL subscriptions open now',
    registers: [registry],
    collect() {
      this.set(stats().subscribers);
    },
  });
  // counters from the feed's running totals: inc by what is new since the last scrape
  const total = (name: string, help: string, read: (s: ChangeFeedStats) => number) => {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read(stats());
        this.inc(now - seen);
        seen = now;
      },
    });
  };
  total('newsgraph_subscription_events_total', 'events handed to subscribers’ streams', (s) => s.delivered);
  total(
    'newsgraph_subscriptions_dropped_total',
    'subscriptions ended with SLOW_CONSUMER (their queue was full)',
    (s) => s.dropped,
  );
  new Gauge({
    name: 'newsgraph_change_feed_seq',
    help: 'the last change record this server read (db/changes-write.ts)',
    registers: [registry],
    collect() {
      this.set(stats().seq);
    },
  });
}
