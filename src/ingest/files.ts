/** Finds article files under the paths a user gives, safely (symlink loops, missing paths). */
import type { Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const ARTICLE_EXTENSIONS = new Set(['.md', '.markdown']);

/** Directory entries never walked into or read: dotfiles and dot-directories, node_modules, a README. */
export function isSkippedEntry(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || name === 'README.md';
}

export interface FileProblem {
  path: string;
  reason: string;
}

/** Returns article files in a stable order, plus paths that could not be walked. */
export async function collectArticleFiles(paths: string[]): Promise<{ files: string[]; problems: FileProblem[] }> {
  const files: string[] = [];
  const problems: FileProblem[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  async function visit(path: string, explicit: boolean): Promise<void> {
    let info: Stats;
    try {
      info = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({
        path,
        reason:
          code === 'ELOOP'
            ? 'symbolic link loop'
            : code === 'ENOENT'
              ? 'no such file or directory'
              : (err as Error).message,
      });
      return;
    }
    const real = await realpath(path).catch(() => path);
    if (info.isDirectory()) {
      if (seenDirs.has(real)) return; // a symlink back into a directory we are already walking
      seenDirs.add(real);
      let entries: string[];
      try {
        entries = (await readdir(path)).sort();
      } catch (err) {
        problems.push({ path, reason: `cannot read directory: ${(err as Error).message}` });
        return;
      }
      for (const name of entries) {
        if (isSkippedEntry(name)) continue;
        await visit(join(path, name), false);
      }
    } else if (info.isFile()) {
      if (!explicit && !ARTICLE_EXTENSIONS.has(extname(path).toLowerCase())) return;
      if (seenFiles.has(real)) return;
      seenFiles.add(real);
      files.push(path);
    } else if (explicit || ARTICLE_EXTENSIONS.has(extname(path).toLowerCase())) {
      // A FIFO would block the read forever and a device (a link to /dev/zero) never ends: say so, do not read.
      problems.push({ path, reason: `not a regular file (${kindOf(info)}); skipped` });
    }
  }

  for (const p of paths) await visit(p, true);
  return { files, problems };
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file or directory';
}
