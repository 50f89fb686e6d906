import type { Config } from '../config.js';
import type { Reader } from '../db/read.js';
import type { Loaders } from '../loaders/index.js';
import type { Bookmarks } from '../neo4j/bookmarks.js';
import type { Database } from '../neo4j/driver.js';
import type { TextBudget } from './text-budget.js';

/** Per-request context: the database, fresh DataLoaders, configuration and auth state. */
export interface Context {
  db: Database;
  /** reads with the configured transaction timeout */
  reader: Reader;
  /** this request's Neo4j bookmarks (the reader's, and the mutations' writes): server/bookmarks.ts */
  bookmarks: Bookmarks;
  loaders: Loaders;
  config: Config;
  /** true when the request carried the right NEWSGRAPH_API_KEY */
  authorized: boolean;
  /** article text this request may still receive */
  textBudget: TextBudget;
}
