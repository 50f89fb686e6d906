import { describe, expect, it } from 'vitest';
import { isWatchedName } from '../../src/ingest/watch.js';

describe('which file names the watcher looks at', () => {
  it('takes article names, including Chinese ones', () => {
    for (const name of ['a.md', '2024-05-01-央行降准.md', 'x.markdown', 'notes.txt'])
      expect(isWatchedName(name), name).toBe(true);
  });

  it('skips dotfiles, editor swap, backup, lock and temp files, node_modules and README.md', () => {
    for (const name of [
      '.a.md',
      '.a.md.swp',
      '.#a.md',
      'a.md.swp',
      'a.md~',
      '#a.md#',
      '~$a.md',
      'a.md.tmp',
      'a.md.TMP',
      'a.md.part',
      '4913',
      'node_modules',
      'README.md',
    ])
      expect(isWatchedName(name), name).toBe(false);
  });
});
