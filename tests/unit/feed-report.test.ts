import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { feedReport, renderFeedReport } from '../../src/ingest/report.js';

const FIXTURES = new URL('../fixtures/feeds/', import.meta.url).pathname;

describe('ingest --report', () => {
  it('counts files, refusals with reasons, empty bodies and stock links per feed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-report-'));
    // A 每经网 file whose front matter is broken: refused, still counted under its feed.
    writeFileSync(
      join(dir, 'broken.md'),
      "---\ntitle: '未闭合\ncategories:\n - 金融\n - 每经网\nauthor: 每经网\n---\n<p>正文</p>\n",
    );
    const report = await feedReport([FIXTURES, dir]);
    expect(report.stcn).toEqual({
      files: 1,
      refused: {},
      emptyBodies: 0,
      linksAccepted: 4,
      linksRejected: { 'inside a longer word': 1, 'malformed code': 1, 'place name': 1 },
    });
    expect(report.sina).toMatchObject({
      files: 1,
      linksAccepted: 3,
      linksRejected: { 'inside a longer word': 2, 'cited as a news source': 1 },
    });
    expect(report.cls).toMatchObject({ files: 2, emptyBodies: 1 });
    expect(report.nbd.files).toBe(2);
    expect(Object.keys(report.nbd.refused)[0]).toMatch(/^malformed front matter/);
    const text = renderFeedReport(report);
    expect(text).toContain('stcn stock links rejected: 1 × inside a longer word; 1 × malformed code; 1 × place name');
    expect(text).toMatch(/nbd refused: 1 × malformed front matter/);
  });
});
