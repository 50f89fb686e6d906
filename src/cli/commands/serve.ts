import type { Command } from 'commander';
import type { Config } from '../../config.js';
import type { Database } from '../../db/driver.js';
import { EXAMPLE_QUERY } from '../../server/examples.js';
import { createLogger, say, withDatabase } from '../runtime.js';

export function register(program: Command) {
  program
    .command('serve')
    .description('serve the GraphQL API (GraphiQL at /graphql) until Ctrl-C')
    .option('-p, --port <port>', 'HTTP port (default: PORT or 4000)')
    .action(async (opts: { port?: string }) => {
      await withDatabase((db, cfg) => serveUntilStopped(db, cfg, opts.port ? Number(opts.port) : undefined));
    });
}

/** Serves until SIGINT/SIGTERM, then closes the server (the caller closes the database). */
export async function serveUntilStopped(db: Database, cfg: Config, port?: number): Promise<void> {
  const { createApp } = await import('../../server/app.js');
  const app = createApp(db, cfg, createLogger(cfg));
  const url = await app.listen(port);
  say(`\nnewsgraph is serving GraphQL at ${url} (GraphiQL in a browser); Neo4j: ${db.uri} (${db.origin})`);
  say(`Try:\n  curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: '{ articles(first: 5) { edges { node { title } } } }' })}'`);
  say(`or open ${url} and run:\n${EXAMPLE_QUERY}`);
  say('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      say('Stopping...');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
}
