/**
 * Writes the GraphQL schema to schema.graphql (`npm run schema:export`), or with --check
 * exits 1 when the file is missing or differs from the code (`npm run schema:check`, used by CI).
 * An optional path argument names another file.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSchemaFileCurrent, schemaSDL } from '../src/schema/sdl.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const target = resolve(
  args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'schema.graphql'),
);

if (check) {
  if (!isSchemaFileCurrent(target)) {
    console.error(
      `${target} is stale: it does not match the schema the code builds.\nRun \`npm run schema:export\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${target} is current.`);
} else {
  writeFileSync(target, schemaSDL());
  console.log(`wrote ${target}`);
}
