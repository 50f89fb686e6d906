/** Runtime configuration from the environment, validated once with clear messages. */
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** A comma-separated list of `*` or origins exactly as browsers send them (scheme://host[:port]). */
function parseOrigins(value: string, ctx: z.RefinementCtx): string[] {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    let origin: string | undefined;
    try {
      const url = new URL(o);
      origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
    } catch {
      origin = undefined;
    }
    if (o !== '*' && origin !== o)
      ctx.addIssue({
        code: 'custom',
        message: `"${o}" is not an origin: write scheme://host[:port], e.g. https://app.example.com (no path, no trailing slash), or *`,
      });
  }
  return origins;
}

const EnvSchema = z.object({
  NEO4J_URI: z
    .string()
    .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'must look like bolt://host:7687 or neo4j://host:7687')
    .optional(),
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: z.string().min(1).optional(),
  NEWSGRAPH_DATA_DIR: z.string().min(1).default('.data/neo4j'),
  NEWSGRAPH_NEO4J_PORT: port.default(7687),
  NEWSGRAPH_NEO4J_PAGECACHE: z
    .string()
    .regex(/^\d+[kmg]?$/i, 'e.g. 256m')
    .default('256m'),
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NEWSGRAPH_API_KEY: z.string().min(1).optional(),
  NEWSGRAPH_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  NEWSGRAPH_RESPONSE_CACHE_MB: z.coerce.number().min(0).default(64),
  NEWSGRAPH_MAX_TEXT_MB: z.coerce.number().positive().default(32),
  NEWSGRAPH_CORS_ORIGINS: z.string().default('').transform(parseOrigins),
  NEWSGRAPH_SUBSCRIPTION_QUEUE: z.coerce.number().int().min(1).max(100_000).default(1000),
  NEWSGRAPH_READ_CONCURRENCY: z.coerce.number().int().min(0).max(1000).optional(),
  NEWSGRAPH_READS_WHILE_WRITING: z.coerce.number().int().min(0).max(1000).default(1),
  NEWSGRAPH_CHANGE_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  NEWSGRAPH_EXTRACT_WORKERS: z.coerce.number().int().min(1, 'must be at least 1').max(64).optional(),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  neo4j: {
    /** set: use this server; unset: the embedded default */
    uri?: string;
    user: string;
    password: string;
    database?: string;
  };
  embedded: { dataDir: string; port: number; pageCache: string };
  server: {
    port: number;
    host: string;
    apiKey?: string;
    production: boolean;
    /** byte budget of the response cache (server/response-cache.ts); 0: off */
    responseCacheBytes: number;
    /** origins whose pages may call /graphql from the browser (server/cors.ts); empty: none; `*`: any */
    corsOrigins: string[];
    /** article text (paragraphs, sentences, text) one request may receive, in bytes (schema/text-budget.ts) */
    maxTextBytes: number;
    /** events one subscriber may have waiting; past it the subscription ends with SLOW_CONSUMER (server/change-feed.ts) */
    subscriptionQueue: number;
    /** how often the change feed polls Neo4j for new change records */
    changePollMs: number;
    /** API reads in Neo4j at once, the rest queue in the server (db/read-gate.ts); 0: no limit */
    readConcurrency: number;
    /** API reads in Neo4j at once while this process writes (ingest, watch mode, mutations); 0: no different limit */
    readsWhileWriting: number;
  };
  queryTimeoutMs: number;
  /** worker threads that parse and extract articles (ingest/pool.ts); unset: one per available core */
  extractWorkers?: number;
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    neo4j: { uri: e.NEO4J_URI, user: e.NEO4J_USER, password: e.NEO4J_PASSWORD, database: e.NEO4J_DATABASE },
    embedded: {
      dataDir: resolve(e.NEWSGRAPH_DATA_DIR),
      port: e.NEWSGRAPH_NEO4J_PORT,
      pageCache: e.NEWSGRAPH_NEO4J_PAGECACHE,
    },
    server: {
      port: e.PORT,
      host: e.HOST,
      apiKey: e.NEWSGRAPH_API_KEY,
      production: e.NODE_ENV === 'production',
      responseCacheBytes: Math.round(e.NEWSGRAPH_RESPONSE_CACHE_MB * 1024 * 1024),
      corsOrigins: e.NEWSGRAPH_CORS_ORIGINS,
      maxTextBytes: Math.round(e.NEWSGRAPH_MAX_TEXT_MB * 1024 * 1024),
      subscriptionQueue: e.NEWSGRAPH_SUBSCRIPTION_QUEUE,
      changePollMs: e.NEWSGRAPH_CHANGE_POLL_MS,
      readConcurrency: e.NEWSGRAPH_READ_CONCURRENCY ?? 0,
      readsWhileWriting: e.NEWSGRAPH_READS_WHILE_WRITING,
    },
    queryTimeoutMs: e.NEWSGRAPH_QUERY_TIMEOUT_MS,
    extractWorkers: e.NEWSGRAPH_EXTRACT_WORKERS,
    logLevel: e.LOG_LEVEL,
  };
}
