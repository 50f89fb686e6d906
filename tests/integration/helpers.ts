/** Shared plumbing for integration tests: the run's Neo4j, a clean graph, a live HTTP server. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result, Session } from 'neo4j-driver';
import { expect, inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { CHANGE_HEAD_CYPHER, CHANGES_AFTER_CYPHER, FIRST_OF_EPOCH_CYPHER } from '../../src/db/changes-read.js';
import { migrate } from '../../src/db/migrations.js';
import { HEARTBEAT_CYPHER } from '../../src/db/readiness.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { createLogger } from '../../src/logger.js';
import { createDriver, type Database } from '../../src/neo4j/driver.js';
import { type App, createApp } from '../../src/server/app.js';

export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

export async function openTestDatabase(): Promise<Database> {
  const { uri, user, password, origin } = inject('neo4j');
  const driver = createDriver(uri, user, password);
  const db: Database = {
    driver,
    uri,
    origin: origin === 'NEO4J_URI' ? 'NEO4J_URI' : 'embedded (already running)',
    close: () => driver.close(),
  };
  await migrate(driver);
  return db;
}

/** Empties the graph (the schema stays). */
export async function resetGraph(db: Database): Promise<void> {
  // CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction: session.run, not executeQuery.
  const session = db.driver.session({ database: db.database });
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS');
  } finally {
    await session.close();
  }
}

/** Nodes and relationships of the graph's content: the change log and GraphMeta are bookkeeping (db/changes-write.ts). */
export async function graphCounts(db: Database): Promise<{ nodes: number; rels: number }> {
  const { records } = await db.driver.executeQuery(
    'MATCH (n) WHERE NOT n:Change AND NOT n:GraphMeta WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels',
  );
  return { nodes: records[0].get('nodes'), rels: records[0].get('rels') };
}

export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', ...overrides });
}

export interface TestServer {
  url: string;
  app: App;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: { data?: T; errors?: any[]; extensions?: Record<string, any> } }>;
}

export async function startTestServer(db: Database, env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const config = testConfig(env);
  const app = createApp(db, config, createLogger(config));
  const url = await app.listen(0, '127.0.0.1');
  return {
    url,
    app,
    async gql(query, variables, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

/**
 * The usual fixture: an emptied graph holding just these articles (file name → Markdown, each
 * ingested without failure), and a server on it. `close` stops the server, the driver, and
 * removes the files.
 */
export async function serveArticles(
  files: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): Promise<{ db: Database; server: TestServer; close(): Promise<void> }> {
  const db = await openTestDatabase();
  await resetGraph(db);
  const dir = await mkdtemp(join(tmpdir(), 'newsgraph-test-'));
  for (const [name, markdown] of Object.entries(files)) await writeFile(join(dir, name), markdown);
  expect((await ingestPaths(db, [dir])).failed).toEqual([]);
  const server = await startTestServer(db, env);
  return {
    db,
    server,
    async close() {
      await server.app.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type RunArgs = Parameters<Session['run']>;

const BACKGROUND = new Set([HEARTBEAT_CYPHER, CHANGE_HEAD_CYPHER, CHANGES_AFTER_CYPHER, FIRST_OF_EPOCH_CYPHER]);

/**
 * Routes every `session.run` of this driver's new sessions through `around` until the returned
 * function is called (the read path, `readRows`, runs every statement that way).
 */
export function interceptRuns(
  db: Database,
  around: (run: (...args: RunArgs) => Result, args: RunArgs) => Result,
): () => void {
  const openSession = db.driver.session;
  db.driver.session = ((...args: Parameters<typeof openSession>) => {
    const session = openSession.apply(db.driver, args);
    const run = session.run.bind(session) as (...a: RunArgs) => Result;
    // the servers' heartbeat (every second, db/readiness.ts) and change-feed polls (server/change-feed.ts)
    // are not what a test counts or holds
    session.run = ((...runArgs: RunArgs) =>
      BACKGROUND.has(runArgs[0] as string) ? run(...runArgs) : around(run, runArgs)) as typeof session.run;
    return session;
  }) as typeof openSession;
  return () => {
    db.driver.session = openSession;
  };
}

/** Counts Cypher round trips: every statement run through any session or executeQuery of this driver. */
export function countQueries(db: Database) {
  const counter = { n: 0 };
  interceptRuns(db, (run, args) => {
    counter.n++;
    return run(...args);
  });
  const executeQuery = db.driver.executeQuery.bind(db.driver);
  db.driver.executeQuery = ((...args: Parameters<typeof executeQuery>) => {
    counter.n++;
    return executeQuery(...args);
  }) as typeof executeQuery;
  return counter;
}
