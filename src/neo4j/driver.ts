/** One way to reach Neo4j: neo4j-driver over Bolt, wherever the server runs. */
import net from 'node:net';
import neo4j, { type Driver } from 'neo4j-driver';
import type { Config } from '../config.js';
import { type EmbeddedHandle, runningEmbedded, startEmbedded } from './embedded.js';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

// the driver's own codes, and Neo4j's while a database is starting or stopping
const UNAVAILABLE_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
]);
const UNREACHABLE = /acquisition timed out|Failed to connect|ECONNREFUSED/i;

/**
 * The one test for "Neo4j cannot be reached", as opposed to a problem with one query or article:
 * the API answers DATABASE_UNAVAILABLE, the ingest job stops instead of retrying article by article.
 * By shape and name, not `instanceof`: neo4j-driver can be loaded twice under a test runner.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { name, code, message } = err as { name?: unknown; code?: unknown; message?: unknown };
  if (name === 'DatabaseUnavailableError' || UNAVAILABLE_CODES.has(String(code))) return true;
  return name === 'Neo4jError' && UNREACHABLE.test(String(message));
}

/** The last "Caused by:" of a driver message (a paragraph of advice otherwise), first line only. */
export function lastCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .split(/Caused by:\s*/)
    .pop()!
    .split('\n')[0]
    .trim();
}

/** What a heartbeat (liveness.ts) offers database calls: `guarded` runs them through it. */
export interface Heartbeat {
  guard<T>(work: () => Promise<T>): Promise<T>;
  state(): { up: boolean; reachable: boolean; warm: boolean; reason?: string };
}

export interface Database {
  driver: Driver;
  uri: string;
  /** database name for sessions (undefined: the server's default) */
  database?: string;
  /** the server's heartbeat (liveness.ts): database work waits only while it answers */
  liveness?: Heartbeat;
  /** where the server came from, for messages */
  origin: 'NEO4J_URI' | 'embedded (already running)' | 'embedded (started here)';
  /** Closes the driver, and stops the embedded Neo4j if this process started it. */
  close(): Promise<void>;
}

let noDelay = false;

/**
 * Turns on TCP_NODELAY for neo4j-driver's Bolt sockets. The driver writes a message in chunks of
 * at most 1,400 bytes and leaves Nagle's algorithm on (its socket setup only calls
 * `setKeepAlive(true)`), so a request whose query text is longer than a chunk goes out as two
 * writes, and the second waits for the server's delayed ACK: ~40 ms added to every such query
 * (measured on loopback: a 2.3 KB `RETURN 1 // xxx…` took 44 ms, 1 ms with TCP_NODELAY; the
 * policy-links read 61 ms -> 17 ms). The driver has no socket option, so the hook is the one call
 * it makes on each new socket: keep-alive sockets also get TCP_NODELAY. Harmless for the other
 * keep-alive sockets of the process (request/response traffic; Node's HTTP server already sets it).
 */
export function enableTcpNoDelay(): void {
  if (noDelay) return;
  noDelay = true;
  const setKeepAlive = net.Socket.prototype.setKeepAlive;
  net.Socket.prototype.setKeepAlive = function (this: net.Socket, ...args: Parameters<net.Socket['setKeepAlive']>) {
    this.setNoDelay(true);
    return setKeepAlive.apply(this, args);
  };
}

export function createDriver(uri: string, user: string, password: string): Driver {
  enableTcpNoDelay();
  return neo4j.driver(uri, neo4j.auth.basic(user, password), {
    // Fail fast when the server is gone instead of queueing requests for minutes.
    connectionAcquisitionTimeout: 5_000,
    connectionTimeout: 5_000,
    // executeWrite/executeQuery retry transient failures this long (default 30 s): a lost
    // database stops an ingest within seconds, deadlock retries still have room.
    maxTransactionRetryTime: 10_000,
    maxConnectionPoolSize: 50,
    disableLosslessIntegers: true,
  });
}

/** Waits until a Bolt session answers `RETURN 1`. */
export async function verifyConnectivity(driver: Driver, uri: string, database?: string): Promise<void> {
  try {
    await driver.executeQuery('RETURN 1', {}, { database });
  } catch (err) {
    throw new DatabaseUnavailableError(`cannot reach Neo4j at ${uri}: ${(err as Error).message}`);
  }
}

/**
 * Connects to NEO4J_URI when set; otherwise to the embedded Neo4j already running for
 * the data directory; otherwise starts the embedded Neo4j for the lifetime of this process.
 */
export async function openDatabase(config: Config, log: (line: string) => void = () => {}): Promise<Database> {
  const { user, password, database } = config.neo4j;
  let uri = config.neo4j.uri;
  let origin: Database['origin'] = 'NEO4J_URI';
  let embedded: EmbeddedHandle | undefined;
  if (!uri) {
    const running = runningEmbedded(config.embedded.dataDir);
    if (running) {
      uri = running.uri;
      origin = 'embedded (already running)';
    } else {
      embedded = await startEmbedded({ ...config.embedded, log });
      uri = embedded.uri;
      origin = 'embedded (started here)';
    }
  }
  const driver = createDriver(uri, user, password);
  try {
    await verifyConnectivity(driver, uri, database);
  } catch (err) {
    await driver.close();
    await embedded?.stop();
    throw err;
  }
  return {
    driver,
    uri,
    database,
    origin,
    async close() {
      await driver.close();
      await embedded?.stop();
    },
  };
}
