/** The extraction worker pool: the same records as extraction on this thread, bad articles named, closed cleanly. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { identify, toRecord } from '../../src/ingest/article.js';
import { ArticleParseError } from '../../src/ingest/parse.js';
import {
  closeExtractionPool,
  extractionThreads,
  liveExtractionThreads,
  prepareOffThread,
  setExtractionThreads,
} from '../../src/ingest/pool.js';
import { EXAMPLES_DIR } from '../support/corpus.js';

const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => identify(readFileSync(join(EXAMPLES_DIR, f)), join(EXAMPLES_DIR, f)));

describe('extraction worker pool', () => {
  afterAll(() => setExtractionThreads(undefined));

  it('gives the records and warnings extraction on this thread gives, for every sample article', async () => {
    await setExtractionThreads(2);
    const pooled = await Promise.all(examples.map((a) => prepareOffThread(a)));
    expect(liveExtractionThreads()).toBe(2);
    expect(pooled).toEqual(examples.map((a) => toRecord(a)));
  }, 60_000);

  it('carries warnings back: a bad date costs the date, not the article', async () => {
    const md =
      "---\ntitle: '导出器的占位日期'\ndate: Invalid Date\n---\n<p>工信部表示，将推动中小企业数字化转型。</p>\n";
    const { record, warnings } = await prepareOffThread(identify(md, 'dir/invalid-date.md'));
    expect(record).toMatchObject({ id: 'invalid-date', publishedAt: null });
    expect(warnings).toEqual(['unparseable date "Invalid Date"; stored without a publication date']);
  }, 60_000);

  it('rejects a bad article with an ArticleParseError naming its path and reason', async () => {
    const err = await prepareOffThread(identify('<p>只有正文</p>', 'dir/no-front.md')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArticleParseError);
    expect(err).toMatchObject({ path: 'dir/no-front.md', reason: expect.stringMatching(/no YAML front matter/) });
    const binary = await prepareOffThread(identify(Buffer.from([0x89, 0x50, 0x00, 0x01]), 'dir/bin.md')).catch(
      (e: unknown) => e,
    );
    expect(binary).toMatchObject({ name: 'ArticleParseError', reason: expect.stringMatching(/binary file/) });
  }, 60_000);

  it('is closed with no thread left, and starts again on next use with the configured size', async () => {
    await closeExtractionPool();
    expect(liveExtractionThreads()).toBe(0);
    await setExtractionThreads(1);
    expect(extractionThreads()).toBe(1);
    await prepareOffThread(examples[0]);
    expect(liveExtractionThreads()).toBe(1);
    await closeExtractionPool();
    expect(liveExtractionThreads()).toBe(0);
    await expect(setExtractionThreads(0)).rejects.toThrow(/positive whole number/);
  }, 60_000);
});
