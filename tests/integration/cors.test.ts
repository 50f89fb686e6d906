/**
 * CORS (issue 12, defect 7): by default no other origin may read /graphql through a browser;
 * NEWSGRAPH_CORS_ORIGINS opens it to listed origins, never with credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Database } from '../../src/neo4j/driver.js';
import { openTestDatabase, startTestServer, type TestServer } from './helpers.js';

const EVIL = 'https://evil.example';
const APP = 'https://app.example.com';

/** A browser's preflight for a JSON POST carrying the API key, and the POST itself. */
async function crossOrigin(server: TestServer, origin: string) {
  const preflight = await fetch(server.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-api-key',
    },
  });
  const post = await fetch(server.url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ stats { articles } }' }),
  });
  expect(post.status).toBe(200); // the server answers; the browser decides from the headers
  await post.arrayBuffer();
  return { preflight: preflight.headers, post: post.headers };
}

describe('CORS', () => {
  let db: Database;
  const servers: TestServer[] = [];
  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const server = await startTestServer(db, env);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    for (const s of servers) await s.app.close();
    await db?.close();
  });

  it('is off by default: another origin gets no Access-Control-* header, so its page cannot read the answer', async () => {
    const { preflight, post } = await crossOrigin(await start(), EVIL);
    for (const headers of [preflight, post]) {
      expect(headers.get('access-control-allow-origin')).toBeNull();
      expect(headers.get('access-control-allow-credentials')).toBeNull();
      expect(headers.get('access-control-allow-headers')).toBeNull();
    }
  });

  it('allows exactly the listed origins, with the API key header and without credentials', async () => {
    const server = await start({ NEWSGRAPH_CORS_ORIGINS: `${APP}, http://localhost:5173` });
    for (const origin of [APP, 'http://localhost:5173']) {
      const { preflight, post } = await crossOrigin(server, origin);
      expect(preflight.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.get('access-control-allow-headers')).toContain('x-api-key');
      expect(preflight.get('access-control-allow-headers')).toContain('x-newsgraph-bookmark');
      expect(preflight.get('access-control-allow-methods')).toBe('GET, POST');
      expect(post.get('access-control-allow-origin')).toBe(origin);
      // a page reads its mutation's bookmark, to read its write through any replica (DEPLOY.md)
      expect(post.get('access-control-expose-headers')).toBe('x-newsgraph-bookmark');
      expect(preflight.get('access-control-allow-credentials')).toBeNull();
      expect(post.get('access-control-allow-credentials')).toBeNull();
    }
    const { preflight, post } = await crossOrigin(server, EVIL);
    expect(preflight.get('access-control-allow-origin')).toBeNull();
    expect(post.get('access-control-allow-origin')).toBeNull();
  });

  it('with `*` allows any origin, never with credentials', async () => {
    const { preflight, post } = await crossOrigin(await start({ NEWSGRAPH_CORS_ORIGINS: '*' }), EVIL);
    // yoga echoes the origin for `*` (with Vary: Origin); without credentials that is the same as `*`
    expect(preflight.get('access-control-allow-origin')).toBe(EVIL);
    expect(post.get('access-control-allow-origin')).toBe(EVIL);
    expect(post.get('vary')).toContain('Origin');
    expect(preflight.get('access-control-allow-credentials')).toBeNull();
    expect(post.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a malformed origin list at startup, naming the variable and the entry', () => {
    for (const bad of [
      'https://app.example.com/',
      'app.example.com',
      'https://app.example.com/graphql',
      'ftp://files.example.com',
    ]) {
      expect(() => loadConfig({ NEWSGRAPH_CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ NEWSGRAPH_CORS_ORIGINS: bad }), bad).toThrow(
        /NEWSGRAPH_CORS_ORIGINS: ".*" is not an origin/,
      );
    }
    expect(loadConfig({}).server.corsOrigins).toEqual([]);
    expect(
      loadConfig({ NEWSGRAPH_CORS_ORIGINS: ' https://a.example , http://127.0.0.1:8080 ' }).server.corsOrigins,
    ).toEqual(['https://a.example', 'http://127.0.0.1:8080']);
  });
});
