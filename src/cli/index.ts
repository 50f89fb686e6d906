/** The `newsgraph` command line. Each command lives in its own module under commands/. */
import { Command } from 'commander';
import { register as registerEval } from './commands/eval.js';
import { register as registerExtract } from './commands/extract.js';
import { register as registerIngest } from './commands/ingest.js';
import { register as registerNeo4j } from './commands/neo4j.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerStart } from './commands/start.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerVerify } from './commands/verify.js';
import { reportFailure } from './runtime.js';

const program = new Command('newsgraph')
  .description('GraphQL knowledge graph of Chinese finance and policy news, on Neo4j')
  .showHelpAfterError();

registerNeo4j(program);
registerIngest(program);
registerServe(program);
registerStart(program);
registerExtract(program);
registerEval(program);
registerTrain(program);
registerVerify(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  reportFailure(err);
}
