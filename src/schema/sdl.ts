/** The schema as SDL, and the check that the committed `schema.graphql` matches it. */
import { readFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

export function schemaSDL(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export function isSchemaFileCurrent(path: string): boolean {
  let current: string;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  return current === schemaSDL();
}
