import type { Config } from '../config.js';
import type { Database } from '../neo4j/driver.js';
import type { Reader } from '../db/read.js';
import type { Loaders } from '../loaders/index.js';

/** Per-request context: the database, fresh DataLoaders, configuration and auth state. */
export interface Context {
  db: Database;
  /** reads with the configured transaction timeout */
  reader: Reader;
  loaders: Loaders;
  config: Config;
  /** true when the request carried the right NEWSGRAPH_API_KEY */
  authorized: boolean;
}
