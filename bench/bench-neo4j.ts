/** The embedded Neo4j the benchmarks run on: loopback, a free port, migrated, never NEO4J_URI. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrations.js';
import { type Database, openDatabase } from '../src/neo4j/driver.js';

/** Starts the embedded Neo4j on `dataDir` and applies the migrations. */
export async function openBenchNeo4j(
  dataDir: string,
  log: (line: string) => void = (l) => console.error(l),
  pageCache = '512m',
): Promise<Database> {
  const { NEO4J_URI: _ignored, ...env } = process.env; // a benchmark never writes to the user's own server
  const config = loadConfig({
    ...env,
    NEWSGRAPH_DATA_DIR: dataDir,
    NEWSGRAPH_NEO4J_PORT: '0',
    NEWSGRAPH_NEO4J_PAGECACHE: pageCache,
  });
  const db = await openDatabase(config, log);
  await migrate(db.driver, db.database);
  return db;
}

/** Runs `fn` on an empty embedded Neo4j in a temporary data directory, removed afterwards. */
export async function withEmptyNeo4j<T>(fn: (db: Database, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'newsgraph-bench-'));
  try {
    const db = await openBenchNeo4j(dataDir);
    try {
      return await fn(db, dataDir);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
