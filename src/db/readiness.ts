/**
 * What the server asks Neo4j to know it can answer queries: the heartbeat (every second, so it
 * must be cheap) and the fuller readiness check behind GET /health.
 */
import neo4j from 'neo4j-driver';
import type { Database } from '../neo4j/driver.js';
import type { HeartbeatAnswer } from '../neo4j/liveness.js';
import { type Reader, readRows } from './read.js';

/**
 * One round trip that answers both "does Neo4j answer?" and "are its indexes online?": after a
 * crash Neo4j rebuilds indexes, and a query needing one (search) waits until its timeout meanwhile.
 * Exported so that tests counting the server's queries can tell the heartbeat apart.
 */
export const HEARTBEAT_CYPHER =
  "SHOW INDEXES YIELD name, state WHERE state <> 'ONLINE' RETURN collect(name) AS notOnline";

/** The heartbeat: its own session, no driver retries (an outage must show at once). */
export function heartbeat(db: Database): () => Promise<HeartbeatAnswer> {
  return async () => {
    const session = db.driver.session({ database: db.database, defaultAccessMode: neo4j.session.READ });
    try {
      const { records } = await session.run(HEARTBEAT_CYPHER);
      return { notOnline: records[0]?.get('notOnline') as string[] };
    } finally {
      // not awaited: on a frozen server closing waits as long as the query did
      void session.close().catch(() => {});
    }
  };
}

/**
 * A representative read for /health, through the same path as the API's (readRows: its
 * transaction timeout, the heartbeat's guard): the newest article by the published-date index,
 * and a full-text lookup, the kind of query that waits while indexes are rebuilt.
 */
export async function representativeRead(reader: Reader): Promise<void> {
  await readRows(
    reader,
    'MATCH (a:Article) WHERE a.publishedAt IS NOT NULL RETURN a.id AS row ORDER BY a.publishedAt DESC LIMIT $one',
    { one: 1 },
  );
  await readRows(
    reader,
    "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node.id AS row LIMIT $one",
    { q: 'health', one: 1 },
  );
}

/** `RETURN 1` in its own session (no driver retries): Neo4j's round-trip time, for the metrics. */
export async function ping(db: Database): Promise<void> {
  const session = db.driver.session({ database: db.database, defaultAccessMode: neo4j.session.READ });
  try {
    await session.run('RETURN 1');
  } finally {
    void session.close().catch(() => {});
  }
}
