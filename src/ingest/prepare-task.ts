/**
 * What an extraction worker runs (pool.ts): the CPU side of one article, parse + extract + record.
 * A bad article is an answer, not an exception: error classes do not survive the thread boundary,
 * so its reason travels back as data and the caller raises the ArticleParseError.
 */
import { type LoadedArticle, type PreparedArticle, toRecord } from './article.js';
import { tokenize } from './extract/segment.js';
import { defaultTagger } from './extract/tagger/index.js';
import { ArticleParseError } from './parse.js';

export type PrepareOutcome = { ok: true; prepared: PreparedArticle } | { ok: false; reason: string };

/** The article as it crosses to the worker: a Buffer arrives as a plain Uint8Array. */
export type PrepareInput = Omit<LoadedArticle, 'raw'> & { raw: Uint8Array | string };

export default function prepareTask(input: PrepareInput): PrepareOutcome {
  const raw =
    typeof input.raw === 'string'
      ? input.raw
      : Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength);
  try {
    return { ok: true, prepared: toRecord({ ...input, raw }) };
  } catch (err) {
    if (err instanceof ArticleParseError) return { ok: false, reason: err.reason };
    throw err;
  }
}

/** Loads the tagger model and jieba's dictionary once per worker, when it starts, not in its first task. */
export function warmUp(): void {
  defaultTagger();
  tokenize('预热');
}
