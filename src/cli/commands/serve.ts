import type { Command } from 'commander';
import type { Config } from '../../config.js';
import type { Database } from '../../neo4j/driver.js';
import { EXAMPLE_QUERY } from '../../server/examples.js';
import { createLogger, say, withDatabase } from '../runtime.js';

export function register(program: Command) {
  program
    .command('serve')
    .description('serve the GraphQL API (GraphiQL at /graphql) until Ctrl-C')
    .option('-p, --port <port>', 'HTTP port (default: PORT or 4000)')
    .action(async (opts: { port?: string }) => {
      await withDatabase((db, cfg, signal) =>
        serveUntilStopped(db, cfg, signal, opts.port ? Number(opts.port) : undefined),
      );
    });
}

/** Serves until `signal` aborts (Ctrl-C), then closes the server (the caller closes the database). */
export async function serveUntilStopped(db: Database, cfg: Config, signal: AbortSignal, port?: number): Promise<void> {
  const { createApp } = await import('../../server/app.js');
  const app = createApp(db, cfg, createLogger(cfg));
  // Loopback binds are shown as localhost, the address a browser on this machine uses.
  const url = (await app.listen(port)).replace('//127.0.0.1:', '//localhost:');
  say(`\nnewsgraph is serving GraphQL at ${url} (GraphiQL in a browser); Neo4j: ${db.uri} (${db.origin})`);
  say(
    `Try:\n  curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: '{ articles(first: 5) { edges { node { title } } } }' })}'`,
  );
  say(`or open ${url} and run:\n${EXAMPLE_QUERY}`);
  say(`The Explorer (graph view) is at ${url.replace(/\/graphql$/, '/explore')}`);
  say('Press Ctrl-C to stop.');
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  await app.close();
}
