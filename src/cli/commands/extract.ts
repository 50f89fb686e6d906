/**
 * `newsgraph extract`: extraction without a database. Reads JSON lines on stdin, each
 * `{"id", "text"}` (plain text, one paragraph per line) or `{"id", "markdown"}` (a whole article), and writes
 * one JSON line per input: `{"id", "entities": [{"type", "name", "aliases"}], "issued": [{"agency", "policy"}]}`.
 * A bad line gets `{"id", "error"}` and the rest go on; the exit code is 1 when any line failed.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { extractArticle, extractText } from '../../ingest/extract/index.js';
import { parseArticle } from '../../ingest/parse.js';
import type { Extraction } from '../../ingest/types.js';

export interface ExtractOutput {
  id: unknown;
  entities?: { type: string; name: string; aliases: string[] }[];
  issued?: { agency: string; policy: string }[];
  error?: string;
}

export function toOutput(id: unknown, x: Extraction): ExtractOutput {
  return {
    id,
    entities: x.entities.map((e) => ({ type: e.type, name: e.name, aliases: e.aliases })),
    issued: x.issued.map((i) => ({ agency: i.agency, policy: i.policy })),
  };
}

/** One input line to one output object; never throws. */
export function extractLine(line: string): ExtractOutput {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (err) {
    return { id: null, error: `not JSON: ${(err as Error).message}` };
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { id: null, error: 'expected a JSON object' };
  const o = input as Record<string, unknown>;
  const id = o.id ?? null;
  try {
    if (typeof id !== 'string' && typeof id !== 'number') return { id, error: 'missing "id" (string or number)' };
    if (typeof o.markdown === 'string') return toOutput(id, extractArticle(parseArticle(o.markdown, `${id}.md`)));
    if (typeof o.text === 'string') return toOutput(id, extractText(String(id), o.text));
    return { id, error: 'expected a "text" or "markdown" string' };
  } catch (err) {
    return { id, error: (err as Error).message };
  }
}

/** Process every non-blank line of `lines`; resolves to the number of failed lines. */
export async function extractStream(lines: AsyncIterable<string>, write: (s: string) => void): Promise<number> {
  let failed = 0;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const out = extractLine(line);
    if (out.error !== undefined) failed++;
    write(`${JSON.stringify(out)}\n`);
  }
  return failed;
}

export function register(program: Command): void {
  program
    .command('extract')
    .description('extract entities and ISSUED relations from JSON lines on stdin (no database)')
    .addHelpText(
      'after',
      '\nInput lines: {"id": "a1", "text": "..."} or {"id": "a1", "markdown": "---\\ntitle: ...\\n---\\n<p>...</p>"}',
    )
    .action(async () => {
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      const failed = await extractStream(rl, (s) => process.stdout.write(s));
      if (failed > 0) process.exitCode = 1;
    });
}
