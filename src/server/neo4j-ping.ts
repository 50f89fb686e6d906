/**
 * Can Neo4j answer queries now? For GET /health and the metrics. When the heartbeat
 * (neo4j/liveness.ts) knows it cannot, that is the answer, at once; otherwise Neo4j is asked,
 * with a deadline, so that neither ever waits on a frozen server.
 */
import type { Reader } from '../db/read.js';
import { ping, representativeRead } from '../db/readiness.js';
import { type Database, isDatabaseUnavailable } from '../neo4j/driver.js';
import { guarded, withinDeadline } from '../neo4j/liveness.js';

/** /health must answer well within a load balancer's timeout, also when Neo4j hangs. */
export const CHECK_DEADLINE_MS = 4_000;

export type Ping =
  | { reachable: true; ready: true; latencyMs: number }
  | { reachable: boolean; ready: false; error: string };

/** Ready for queries: the heartbeat saw Neo4j answer with every index online, and a representative read works (GET /health). */
export function checkReady(reader: Reader): Promise<Ping> {
  return measure(reader.db, () => representativeRead(reader));
}

/** Neo4j answers `RETURN 1` (the metrics; `ready` says whether queries can run). */
export function pingNeo4j(db: Database): Promise<Ping> {
  return measure(db, () => guarded(db, () => ping(db)));
}

async function measure(db: Database, work: () => Promise<void>): Promise<Ping> {
  const known = db.liveness?.state();
  if (known && !known.up)
    return { reachable: known.reachable, ready: false, error: known.reason ?? 'the graph database is unavailable' };
  if (known && !known.warm)
    return { reachable: true, ready: false, error: 'the graph database is warming up after being unavailable' };
  const started = performance.now();
  try {
    await withinDeadline(work(), CHECK_DEADLINE_MS);
    return { reachable: true, ready: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // reachable unless Neo4j itself could not be reached (a starting database answers)
    const unreachable = isDatabaseUnavailable(err) && !(err as { starting?: boolean }).starting;
    return { reachable: !unreachable, ready: false, error: (err as Error).message };
  }
}
