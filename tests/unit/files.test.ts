import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectArticleFiles } from '../../src/ingest/files.js';

describe('collectArticleFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsgraph-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a named pipe and a link to a device named on the command line, and reads neither', async () => {
    const pipe = join(dir, 'feed');
    execFileSync('mkfifo', [pipe]);
    const zero = join(dir, 'zero-link');
    symlinkSync('/dev/zero', zero);
    const real = join(dir, 'real.md');
    writeFileSync(real, '---\ntitle: t\n---\n<p>x</p>\n');
    const { files, problems } = await collectArticleFiles([pipe, zero, real]);
    expect(files).toEqual([real]);
    expect(problems).toEqual([
      { path: pipe, reason: 'not a regular file (a named pipe); skipped' },
      { path: zero, reason: 'not a regular file (a device); skipped' },
    ]);
  });

  it('ignores a non-article special file inside a walked directory', async () => {
    const sub = join(dir, 'walk');
    execFileSync('mkdir', [sub]);
    execFileSync('mkfifo', [join(sub, 'queue')]);
    expect(await collectArticleFiles([sub])).toEqual({ files: [], problems: [] });
  });
});
