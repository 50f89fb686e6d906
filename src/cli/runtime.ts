/** What every command needs: config, a logger, and a database it closes on exit or Ctrl-C. */
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/driver.js';
import { migrate } from '../db/migrations.js';
import { createLogger } from '../logger.js';

export const say = (line: string) => process.stderr.write(`${line}\n`);

export function config(): Config {
  return loadConfig();
}

/** Opens the database (starting the embedded one if needed), applies migrations, runs `fn`, closes. */
export async function withDatabase<T>(fn: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const cfg = config();
  const db = await openDatabase(cfg, say);
  const stopOnSignal = () => {
    say('Stopping...');
    db.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await migrate(db.driver, db.database);
    return await fn(db, cfg);
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await db.close();
  }
}

export { createLogger };

/** Prints a known error as one clear line and sets the exit code; unknown errors keep their stack. */
export function reportFailure(err: unknown): void {
  const known = ['ConfigError', 'EmbeddedNeo4jError', 'DatabaseUnavailableError', 'StrictModeStop', 'ArticleParseError'];
  if (err instanceof Error && known.includes(err.name)) say(`newsgraph: ${err.message}`);
  else say(`newsgraph: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
}
