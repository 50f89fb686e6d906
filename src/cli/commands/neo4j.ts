import type { Command } from 'commander';
import { runningEmbedded, startDetached, stopDetached } from '../../neo4j/embedded.js';
import { config, say } from '../runtime.js';

export function register(program: Command) {
  const neo4j = program.command('neo4j').description('manage the embedded Neo4j (used when NEO4J_URI is not set)');
  neo4j
    .command('start')
    .description('start the embedded Neo4j in the background and wait until it answers')
    .action(async () => {
      const cfg = config();
      const { uri, pid } = await startDetached({ ...cfg.embedded, log: say });
      console.log(`embedded Neo4j running: ${uri} (pid ${pid}, data ${cfg.embedded.dataDir})`);
    });
  neo4j
    .command('stop')
    .description('stop the background embedded Neo4j')
    .action(async () => {
      const cfg = config();
      const stopped = await stopDetached(cfg.embedded.dataDir);
      console.log(stopped ? 'embedded Neo4j stopped' : 'embedded Neo4j was not running');
    });
  neo4j
    .command('status')
    .description('say whether the embedded Neo4j is running')
    .action(() => {
      const cfg = config();
      const running = runningEmbedded(cfg.embedded.dataDir);
      if (cfg.neo4j.uri) console.log(`NEO4J_URI is set (${cfg.neo4j.uri}): the embedded Neo4j is not used`);
      console.log(
        running ? `running: ${running.uri} (pid ${running.pid})` : `not running (data ${cfg.embedded.dataDir})`,
      );
      if (!running) process.exitCode = 3;
    });
}
