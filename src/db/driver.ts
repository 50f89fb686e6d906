/** One way to reach Neo4j: neo4j-driver over Bolt, wherever the server runs. */
import neo4j, { type Driver } from 'neo4j-driver';
import type { Config } from '../config.js';
import { runningEmbedded, startEmbedded, type EmbeddedHandle } from './embedded.js';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface Database {
  driver: Driver;
  uri: string;
  /** database name for sessions (undefined: the server's default) */
  database?: string;
  /** where the server came from, for messages */
  origin: 'NEO4J_URI' | 'embedded (already running)' | 'embedded (started here)';
  /** Closes the driver, and stops the embedded Neo4j if this process started it. */
  close(): Promise<void>;
}

export function createDriver(uri: string, user: string, password: string): Driver {
  return neo4j.driver(uri, neo4j.auth.basic(user, password), {
    // Fail fast when the server is gone instead of queueing requests for minutes.
    connectionAcquisitionTimeout: 5_000,
    connectionTimeout: 5_000,
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
