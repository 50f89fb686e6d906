import type { Config } from '../config.js';
import type { ChangeEvent } from '../db/changes-write.js';
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
  /** the change feed the subscriptions listen to (server/change-feed.ts) */
  changes: ChangeSubscriptions;
  /** ends this request's connection at once (a subscriber that stopped reading; server/app.ts) */
  dropConnection?: () => void;
}

/** What a subscription receives: an event with the bookmarks of the read that found it, or the end of a slow subscriber. */
export type LiveItem = { event: ChangeEvent; bookmarks: string[] } | { overflow: true; limit: number };

export interface ChangeSubscriptions {
  /**
   * The events of one kind (and, but for articleIngested, of one key: the entity, policy or agency
   * id) that `accept` takes, from now until the iterator is returned or the subscriber falls too
   * far behind (then one `overflow` item, and the end; `drop` runs if it is not taken in time).
   */
  subscribe(
    kind: ChangeEvent['kind'],
    key: string | undefined,
    accept: (event: ChangeEvent) => boolean,
    drop?: () => void,
  ): AsyncIterableIterator<LiveItem>;
}
