/**
 * Markers of one-off graph work (a backfill, a derived-row build) kept on `(:GraphMeta {key})` nodes,
 * so a start skips work a previous one finished: the version of the work last completed.
 */
import neo4j, { type Driver } from 'neo4j-driver';

/** The version recorded under `key`, 0 when there is none. */
export async function markerVersion(driver: Driver, key: string, database?: string): Promise<number> {
  const { records } = await driver.executeQuery(
    'OPTIONAL MATCH (m:GraphMeta {key: $key}) RETURN m.version AS version',
    { key },
    { database },
  );
  return Number(records[0]?.get('version') ?? 0);
}

export async function setMarkerVersion(driver: Driver, key: string, version: number, database?: string): Promise<void> {
  await driver.executeQuery(
    'MERGE (m:GraphMeta {key: $key}) SET m.version = $version',
    { key, version: neo4j.int(version) },
    { database },
  );
}
