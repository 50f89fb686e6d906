/**
 * The ingest job with extraction in the worker pool: articles of a batch are extracted in parallel, yet
 * the summary lists them in input order; a bad file among them is reported with its path and reason and
 * the rest of its batch is stored; progress is reported up to the total; what is stored equals what
 * extraction on this thread gives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare } from '../../src/ingest/article.js';
import { type IngestProgress, ingestPaths } from '../../src/ingest/pipeline.js';
import { extractionThreads, liveExtractionThreads, setExtractionThreads } from '../../src/ingest/pool.js';
import type { Database } from '../../src/neo4j/driver.js';
import { writeGeneratedCorpus } from '../support/corpus.js';
import { openTestDatabase, resetGraph } from './helpers.js';

describe('ingest job: extraction in the worker pool', () => {
  let db: Database;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-pool-'));
  });
  afterAll(async () => {
    await setExtractionThreads(undefined);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every good article in input order, names the bad ones, reports progress to the end', async () => {
    await setExtractionThreads(2);
    const good = writeGeneratedCorpus(dir, 23, 5);
    // Bad files in the middle of batches (batches of 4): the rest of their batch still lands.
    writeFileSync(join(dir, 'gen-0005x.md'), '<p>没有front matter</p>');
    writeFileSync(join(dir, 'gen-0013x.md'), '---\ndate: 2024-05-01\n---\n<p>没有标题的正文。</p>');
    const progress: IngestProgress[] = [];
    let threadsSeen = 0;
    const summary = await ingestPaths(db, [dir], {
      batchSize: 4,
      onProgress: (p) => {
        progress.push(p);
        threadsSeen = Math.max(threadsSeen, liveExtractionThreads());
      },
    });
    expect(threadsSeen).toBe(extractionThreads());
    expect(summary.failed).toEqual([
      { path: join(dir, 'gen-0005x.md'), reason: expect.stringMatching(/no YAML front matter/) },
      { path: join(dir, 'gen-0013x.md'), reason: 'front matter has no title' },
    ]);
    expect(summary.new).toBe(23);
    // Input order (the walk sorts names), whatever order the workers finished in.
    expect(summary.articleIds).toEqual(good.map((p) => p.slice(dir.length + 1, -3)));
    expect(progress.at(-1)).toEqual({ done: 25, total: 25, failed: 2 });
    for (let k = 1; k < progress.length; k++) expect(progress[k].done).toBeGreaterThanOrEqual(progress[k - 1].done);

    // Stored = what extraction on this thread gives.
    const { records } = await db.driver.executeQuery(
      'MATCH (a:Article) WHERE a.id STARTS WITH $prefix RETURN a.sourcePath AS path, a.sentences AS sentences, COUNT { (a)-[:MENTIONS]->() } AS mentions ORDER BY a.id',
      { prefix: 'gen-' },
    );
    expect(records).toHaveLength(23);
    for (const r of records) {
      const { record } = await prepare(r.get('path'));
      expect({ sentences: r.get('sentences'), mentions: r.get('mentions') }).toEqual({
        sentences: record.sentences,
        mentions: record.entities.length,
      });
    }
  }, 120_000);

  it('with one worker, the same result; a re-run skips the stored articles and tries the bad files again', async () => {
    await setExtractionThreads(1);
    await resetGraph(db);
    const one = await ingestPaths(db, [dir], { batchSize: 5 });
    expect(one).toMatchObject({ new: 23, failed: [expect.anything(), expect.anything()] });
    expect(liveExtractionThreads()).toBe(1);
    await setExtractionThreads(2); // closes the pool of one
    expect(liveExtractionThreads()).toBe(0);
    const again = await ingestPaths(db, [dir], { batchSize: 5 });
    expect(again).toMatchObject({ new: 0, unchanged: 23, failed: one.failed });
  }, 120_000);
});
