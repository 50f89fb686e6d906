/** Every test file ends the extraction workers it started (ingest/pool.ts), so none outlives its file. */
import { afterAll } from 'vitest';
import { closeExtractionPool } from '../../src/ingest/pool.js';

afterAll(closeExtractionPool);
