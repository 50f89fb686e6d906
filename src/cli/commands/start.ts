import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { say, withDatabase } from '../runtime.js';
import { checkWatchDir, runIngest, startWatching } from './ingest.js';
import { serveUntilStopped } from './serve.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

export function register(program: Command) {
  program
    .command('start')
    .description(
      'everything at once: Neo4j (embedded unless NEO4J_URI is set), ingest the sample articles, serve GraphQL',
    )
    .option(
      '--articles <paths...>',
      'articles to ingest before serving (default: the --watch directory, else examples/)',
    )
    .option(
      '--watch [dir]',
      'keep watching a directory while serving, ingesting new and changed files (default: the first --articles path)',
    )
    .option('--sync-deletes', 'with --watch: a deleted file removes its article (otherwise it is kept)')
    .option('-p, --port <port>', 'HTTP port (default: PORT or 4000)')
    .action(async (opts: { articles?: string[]; watch?: string | true; syncDeletes?: boolean; port?: string }) => {
      const watchDir = opts.watch === true ? (opts.articles?.[0] ?? EXAMPLES) : opts.watch;
      const articles = opts.articles ?? [watchDir ?? EXAMPLES];
      if (watchDir) checkWatchDir(watchDir);
      await withDatabase(async (db, cfg, signal) => {
        say(`Neo4j ready at ${db.uri} (${db.origin}). Ingesting ${articles.join(', ')}...`);
        await runIngest(db, articles, { signal });
        // The watcher first: a directory it cannot watch stops the command before the server listens.
        const watcher = watchDir && !signal.aborted ? await startWatching(db, watchDir, opts) : undefined;
        try {
          await serveUntilStopped(db, cfg, signal, opts.port ? Number(opts.port) : undefined);
        } finally {
          await watcher?.close(); // the batch in flight finishes first
        }
      });
      if (watchDir) process.exitCode = 0; // Ctrl-C or SIGTERM is how a watching server ends: a clean stop
    });
}
