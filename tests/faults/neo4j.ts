/** A Neo4j of the test's own, to kill and restart: the embedded launcher on a tmp data dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/db/migrations.js';
import { createDriver, type Database } from '../../src/neo4j/driver.js';
import { type EmbeddedHandle, freePort, startEmbedded } from '../../src/neo4j/embedded.js';

export interface OwnNeo4j {
  dataDir: string;
  port: number;
  handle: EmbeddedHandle;
  /** a Database on this Neo4j, as the CLI and the server get one */
  db: Database;
  /** SIGKILL the JVM (no clean shutdown) and wait until it is gone */
  kill(): Promise<void>;
  /** start again on the same data dir and port; `db` keeps working (same URI) */
  restart(): Promise<void>;
  /** stop for good and remove the data dir */
  dispose(): Promise<void>;
}

export async function startOwnNeo4j(name: string): Promise<OwnNeo4j> {
  const dataDir = mkdtempSync(join(tmpdir(), `newsgraph-${name}-`));
  const port = await freePort();
  const start = () => startEmbedded({ dataDir, port, pageCache: '128m' });
  let handle = await start();
  const driver = createDriver(handle.uri, 'neo4j', '');
  await migrate(driver);
  const own: OwnNeo4j = {
    dataDir,
    port,
    handle,
    db: { driver, uri: handle.uri, origin: 'NEO4J_URI', close: () => driver.close() },
    async kill() {
      const pid = handle.pid;
      process.kill(pid, 'SIGKILL');
      await handle.stop(); // resolves once the child has exited
      while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
    },
    async restart() {
      handle = await start();
      own.handle = handle;
    },
    async dispose() {
      await driver.close().catch(() => {});
      await handle.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return own;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Empties the graph in auto-commit transactions (CALL … IN TRANSACTIONS needs an implicit one). */
export async function wipeGraph(db: Database): Promise<void> {
  const session = db.driver.session({ database: db.database });
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS');
  } finally {
    await session.close();
  }
}
