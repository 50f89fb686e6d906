/** What every command needs: config, a logger, and a database it closes on exit or Ctrl-C. */
import { type Config, loadConfig } from '../config.js';
import { migrate } from '../db/migrations.js';
import { closeExtractionPool, setExtractionThreads } from '../ingest/pool.js';
import { createLogger } from '../logger.js';
import { type Database, isDatabaseUnavailable, lastCause, openDatabase } from '../neo4j/driver.js';

export const say = (line: string) => process.stderr.write(`${line}\n`);

export function config(): Config {
  return loadConfig();
}

/**
 * Opens the database (starting the embedded one if needed), applies migrations, runs `fn`,
 * closes (and ends the extraction workers, if any ran). Ctrl-C (or SIGTERM) aborts `signal`: long work stops at its next safe point and
 * the database (and an embedded Neo4j started here) is closed before the process exits.
 */
export async function withDatabase<T>(
  fn: (db: Database, config: Config, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const cfg = config();
  const db = await openDatabase(cfg, say);
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) {
      say('Stopping now.');
      process.exit(130); // a second Ctrl-C: the embedded Neo4j still stops, it watches our pipe
    }
    say('Stopping... (Ctrl-C again to force)');
    stop.abort();
    process.exitCode = 130;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await setExtractionThreads(cfg.extractWorkers);
    await migrate(db.driver, db.database);
    return await fn(db, cfg, stop.signal);
  } finally {
    await closeExtractionPool();
    await db.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export { createLogger };

/** Prints a known error as one clear line and sets the exit code; unknown errors keep their stack. */
export function reportFailure(err: unknown): void {
  if (err instanceof Error && err.name === 'AbortError') return; // Ctrl-C: already said
  const known = [
    'ConfigError',
    'EmbeddedNeo4jError',
    'DatabaseUnavailableError',
    'StrictModeStop',
    'ArticleParseError',
  ];
  if (err instanceof Error && known.includes(err.name)) say(`newsgraph: ${err.message}`);
  // the driver's own ServiceUnavailable & co: a lost database is not a bug, so no stack either
  else if (isDatabaseUnavailable(err))
    say(`newsgraph: lost the connection to Neo4j (${lastCause(err)}); run the command again once Neo4j is back`);
  else say(`newsgraph: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
}
