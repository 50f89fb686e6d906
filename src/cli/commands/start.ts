import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { say, withDatabase } from '../runtime.js';
import { runIngest } from './ingest.js';
import { serveUntilStopped } from './serve.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

export function register(program: Command) {
  program
    .command('start')
    .description(
      'everything at once: Neo4j (embedded unless NEO4J_URI is set), ingest the sample articles, serve GraphQL',
    )
    .option('--articles <paths...>', 'articles to ingest before serving', [EXAMPLES])
    .option('-p, --port <port>', 'HTTP port (default: PORT or 4000)')
    .action(async (opts: { articles: string[]; port?: string }) => {
      await withDatabase(async (db, cfg, signal) => {
        say(`Neo4j ready at ${db.uri} (${db.origin}). Ingesting ${opts.articles.join(', ')}...`);
        await runIngest(db, opts.articles, { signal });
        await serveUntilStopped(db, cfg, signal, opts.port ? Number(opts.port) : undefined);
      });
    });
}
