/**
 * Every GraphQL read goes through `readRows`: one auto-commit read transaction per call,
 * with the configured timeout so one heavy query cannot hold the server. READ access mode:
 * with a routing URI (neo4j://) these go to cluster followers, and Neo4j refuses any write in them.
 */
import neo4j, { type BookmarkManager } from 'neo4j-driver';
import type { Database } from '../neo4j/driver.js';
import { guarded } from '../neo4j/liveness.js';
import type { ReadGate } from './read-gate.js';

export interface Reader {
  db: Database;
  /** server-side transaction timeout; undefined: the server default */
  timeoutMs?: number;
  /** the request's bookmarks (neo4j/bookmarks.ts): reads wait for them; undefined: the driver's default */
  bookmarks?: BookmarkManager;
  /** API reads: wait for one of a bounded number of slots (read-gate.ts) */
  gate?: ReadGate;
}

export function createReader(db: Database, timeoutMs?: number, bookmarks?: BookmarkManager, gate?: ReadGate): Reader {
  return { db, timeoutMs, bookmarks, gate };
}

export function readRows<T>(
  reader: Reader,
  cypher: string,
  params: Record<string, unknown>,
  key = 'row',
): Promise<T[]> {
  // guarded: refused at once, or released while waiting, when the heartbeat says Neo4j cannot answer
  const read = () => guarded(reader.db, () => runRead<T>(reader, cypher, params, key));
  return reader.gate ? reader.gate.run(read) : read();
}

async function runRead<T>(reader: Reader, cypher: string, params: Record<string, unknown>, key: string): Promise<T[]> {
  // session.run, not executeQuery: executeQuery retries an unreachable server for 30 s, so every
  // request would hang that long during an outage; this fails at once (DATABASE_UNAVAILABLE).
  const session = reader.db.driver.session({
    database: reader.db.database,
    defaultAccessMode: neo4j.session.READ,
    bookmarkManager: reader.bookmarks,
  });
  try {
    const { records } = await session.run(
      cypher,
      integersAsInts(params) as Record<string, unknown>,
      reader.timeoutMs ? { timeout: reader.timeoutMs } : undefined,
    );
    return records.map((r) => r.get(key) as T);
  } finally {
    await session.close();
  }
}

/** JavaScript numbers travel as floats; LIMIT, SKIP and list slices need Cypher integers. */
export function integersAsInts(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(integersAsInts);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, integersAsInts(v)]));
  }
  return value;
}
