/**
 * The extraction worker pool (piscina): parsing and extracting an article takes from milliseconds to
 * seconds of CPU (a big page ~0.8 s/MB), which on the main thread would stall every request and the
 * ingest job's writes. One pool per process, created on first use, each worker loading the tagger
 * model once; `closeExtractionPool` ends it (server stop, end of a CLI command). Idle workers are
 * unref'd by piscina, so a pool nobody closed never keeps a process alive.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { LoadedArticle, PreparedArticle } from './article.js';
import { ArticleParseError } from './parse.js';
import type { PrepareInput, PrepareOutcome } from './prepare-task.js';

const WORKER = fileURLToPath(new URL('./prepare-worker.mjs', import.meta.url));

let threads = availableParallelism();
let pool: Piscina<PrepareInput, PrepareOutcome> | undefined;
/** Worker threads started and not yet exited, whichever pool started them. */
const live = new Set<Worker>();

/** Worker threads of the pool (default: the available cores); a running pool of another size is replaced. */
export async function setExtractionThreads(n: number | undefined): Promise<void> {
  const wanted = n ?? availableParallelism();
  if (!Number.isInteger(wanted) || wanted < 1)
    throw new Error(`extraction workers must be a positive whole number, got ${n}`);
  if (wanted === threads) return;
  threads = wanted;
  await closeExtractionPool();
}

export function extractionThreads(): number {
  return threads;
}

function thePool(): Piscina<PrepareInput, PrepareOutcome> {
  // All threads start together and stay (min = max): an idle worker costs memory, a new one 0.35 s of model loading.
  if (!pool) {
    const p = new Piscina<PrepareInput, PrepareOutcome>({
      filename: WORKER,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Infinity,
    });
    p.on('workerCreate', () => {
      for (const t of p.threads) {
        if (live.has(t)) continue;
        live.add(t);
        t.once('exit', () => live.delete(t));
      }
    });
    pool = p;
  }
  return pool;
}

/** Starts the workers now (each loads the tagger model), so the first article a watcher sees is not slowed by it. */
export function startExtractionPool(): void {
  thePool();
}

/** Parses, extracts and builds the record of one article in a worker; a bad article rejects with ArticleParseError. */
export async function prepareOffThread(article: LoadedArticle): Promise<PreparedArticle> {
  const out = await thePool().run({
    path: article.path,
    id: article.id,
    contentHash: article.contentHash,
    raw: article.raw,
  });
  if (!out.ok) throw new ArticleParseError(article.path, out.reason);
  return out.prepared;
}

/** Ends the pool's workers (tasks in flight finish first); the next use starts a new pool. */
export async function closeExtractionPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}

/** Worker threads that have started and not exited (tests check that none is left running). */
export function liveExtractionThreads(): number {
  return live.size;
}
