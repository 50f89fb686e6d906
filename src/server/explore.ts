/**
 * The Explorer page: static files from `explorer/` at /explore, and from node_modules
 * cytoscape.js at /explore/vendor/cytoscape.min.js and the Noto Sans SC web font at
 * /explore/vendor/noto-sans-sc/ (no CDN: deployments may be offline, and the font makes
 * CJK labels render on machines without a CJK system font).
 * Only GET and HEAD; only known file types; paths are checked segment by segment after
 * decoding, then again after resolving, so no request can leave the explorer directory.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXPLORE_PREFIX = '/explore';
export const EXPLORER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'explorer');
const VENDOR: Record<string, string> = { 'cytoscape.min.js': 'cytoscape/dist/cytoscape.min.js' };
/** Web fonts (fontsource packages): their CSS by weight, and the files it names (`files/…`). */
const FONTS: Record<string, { module: string; css: Set<string> }> = {
  'noto-sans-sc': { module: '@fontsource/noto-sans-sc', css: new Set(['400.css', '700.css']) },
};

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The page may only load its own files and talk to its own server (and shows no data as markup). */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // cytoscape sets element styles from script; no inline <style> markup is served
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** A file name segment: no dot files (so no `.` or `..`), no separators, no encoded tricks. */
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

type Target = { file: string; cache: string } | { status: number; message: string } | null;

/**
 * Maps a request path to a file, or to an error status, or null when the path is not the
 * Explorer's (so the caller serves it). Exported for tests.
 */
export function resolveExplorePath(rawPath: string): Target {
  if (rawPath !== EXPLORE_PREFIX && !rawPath.startsWith(`${EXPLORE_PREFIX}/`)) return null;
  let rest: string;
  try {
    rest = decodeURIComponent(rawPath.slice(EXPLORE_PREFIX.length + 1));
  } catch {
    return { status: 400, message: 'bad path encoding' };
  }
  // The page itself is revalidated on each load so a new version shows at once.
  if (rest === '' || rest === 'index.html') return { file: join(EXPLORER_DIR, 'index.html'), cache: 'no-cache' };
  const segments = rest.split('/');
  if (!segments.every((s) => SAFE_SEGMENT.test(s))) return { status: 404, message: 'not found' };
  if (segments[0] === 'vendor') {
    const module = segments.length === 2 ? VENDOR[segments[1]] : vendorFont(segments);
    if (!module) return { status: 404, message: 'not found' };
    return resolveVendor(module);
  }
  if (!CONTENT_TYPES[extname(rest)]) return { status: 404, message: 'not found' };
  const file = resolve(EXPLORER_DIR, ...segments);
  // Belt and braces: the segment check already rules out `..`, this rules out anything it missed.
  if (!file.startsWith(EXPLORER_DIR + sep)) return { status: 404, message: 'not found' };
  // Short max-age plus an ETag: the files are not content-hashed, so revalidate hourly.
  return { file, cache: 'public, max-age=3600' };
}

function resolveVendor(module: string): Target {
  const require = createRequire(import.meta.url);
  try {
    return { file: require.resolve(module), cache: 'public, max-age=86400' };
  } catch {
    // The package is installed but has no such file: a wrong name (404), not a broken install (500).
    const pkg = module
      .split('/')
      .slice(0, module.startsWith('@') ? 2 : 1)
      .join('/');
    try {
      require.resolve(`${pkg}/package.json`);
      return { status: 404, message: 'not found' };
    } catch {
      return { status: 500, message: `${pkg} is not installed (npm ci)` };
    }
  }
}

/** `vendor/<font>/<weight>.css` or `vendor/<font>/files/<name>.woff2|woff` → a module path, else undefined. */
function vendorFont(segments: string[]): string | undefined {
  const font = FONTS[segments[1]];
  if (!font) return undefined;
  if (segments.length === 3 && font.css.has(segments[2])) return `${font.module}/${segments[2]}`;
  if (segments.length === 4 && segments[2] === 'files' && /\.woff2?$/.test(segments[3]))
    return `${font.module}/files/${segments[3]}`;
  return undefined;
}

/** Serves the Explorer; returns false (having done nothing) for any other path. */
export function handleExplore(req: IncomingMessage, res: ServerResponse): boolean {
  const rawPath = (req.url ?? '/').split('?')[0];
  const target = resolveExplorePath(rawPath);
  if (!target) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
  } else if ('status' in target) {
    send(res, target.status, target.message);
  } else {
    serveFile(req, res, target.file, target.cache).catch((err: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'ENOTDIR') send(res, 404, 'not found');
      else send(res, 500, 'could not read file');
    });
  }
  return true;
}

async function serveFile(req: IncomingMessage, res: ServerResponse, file: string, cache: string): Promise<void> {
  const info = await stat(file);
  if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  const etag = `"${createHash('sha1').update(`${file}:${info.size}:${info.mtimeMs}`).digest('base64url').slice(0, 20)}"`;
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': cache,
    etag,
    'last-modified': info.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  };
  if (extname(file) === '.html') {
    headers['content-security-policy'] = PAGE_CSP;
    headers['referrer-policy'] = 'no-referrer';
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  const body = req.method === 'HEAD' ? null : await readFile(file);
  res.writeHead(200, { ...headers, 'content-length': String(info.size) });
  res.end(body ?? undefined);
}

function send(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra });
  res.end(`${message}\n`);
}
