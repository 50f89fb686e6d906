import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tagger } from '../../src/ingest/extract/tagger/index.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'newsgraph.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('newsgraph train', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsgraph-train-'));
  const data = join(dir, 'mini.jsonl');
  const lines = [
    '{"text": "李明在星河科技工作。", "label": {"name": {"李明": [[0, 1]]}, "company": {"星河科技": [[3, 6]]}}}',
    '{"text": "市财政局表示支持星河科技。", "label": {"government": {"市财政局": [[0, 3]]}, "company": {"星河科技": [[8, 11]]}}}',
    '{"text": "李明说，市财政局已批准。", "label": {"name": {"李明": [[0, 1]]}, "government": {"市财政局": [[4, 7]]}}}',
  ];
  writeFileSync(data, `${lines.join('\n')}\n`);

  /** The same small, seeded training run, written to `out`. */
  const seededTrainArgs = (out: string) => [
    'train',
    '--cluener',
    data,
    '--holdout',
    '0',
    '--epochs',
    '8',
    '--bits',
    '16',
    '--min-count',
    '1',
    '--min-weight',
    '0',
    '--out',
    out,
  ];

  it('writes a seeded model file that loads and tags its training text back', () => {
    const out = join(dir, 'a.bin.gz');
    const r = run(seededTrainArgs(out));
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const t = Tagger.load(out);
    expect(t.tag('李明说，市财政局已批准。').map((s) => `${s.type}:${s.text}`)).toEqual([
      'Person:李明',
      'Agency:市财政局',
    ]);
    const again = join(dir, 'b.bin.gz');
    expect(run(seededTrainArgs(again)).status).toBe(0);
    expect(Tagger.load(again).model.weights).toEqual(t.model.weights);
  }, 60_000);

  it('fails with the file and line of a bad training line', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${lines[0]}\n{"text": 1}\n`);
    const r = run(['train', '--cluener', bad, '--out', join(dir, 'c.bin.gz')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('bad.jsonl:2');
    expect(existsSync(join(dir, 'c.bin.gz'))).toBe(false);
  }, 60_000);

  it('eval --cluener rejects a hold-out fraction outside (0, 1)', () => {
    const r = run(['eval', '--cluener', data, '--holdout', '2']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--holdout/);
    expect(readFileSync(data, 'utf8')).toContain('李明');
  }, 60_000);
});
