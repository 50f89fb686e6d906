/** Is Neo4j answering? One `RETURN 1`, for GET /health and the metrics. */
import type { Database } from '../neo4j/driver.js';

export type Ping = { reachable: true; latencyMs: number } | { reachable: false; error: string };

export async function pingNeo4j(db: Database): Promise<Ping> {
  const started = performance.now();
  try {
    // session.run, not executeQuery: no driver retries, so an outage is reported at once.
    const session = db.driver.session({ database: db.database, defaultAccessMode: 'READ' });
    try {
      await session.run('RETURN 1');
    } finally {
      await session.close();
    }
    return { reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { reachable: false, error: (err as Error).message };
  }
}
