/**
 * docker-compose.yml cannot be run here (no Docker daemon), so its syntax and the `replicas`
 * profile's wiring are checked as data (docs/DEPLOY.md): two replicas on a routing URI with a
 * database name, after a one-shot ingest, behind nginx whose config names both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { REPO_ROOT } from '../support/corpus.js';

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, any>;
};

describe('docker-compose.yml', () => {
  it('keeps the default services and adds the replicas profile', () => {
    const s = compose.services;
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['neo4j', 'app', 'seed', 'app-a', 'app-b', 'proxy']));
    expect(s.neo4j.profiles).toBeUndefined();
    expect(s.app.profiles).toBeUndefined();
    for (const name of ['seed', 'app-a', 'app-b', 'proxy']) expect(s[name].profiles).toEqual(['replicas']);
  });

  it('runs the replicas on a routing URI and a database name, with a configuration newsgraph accepts', () => {
    for (const name of ['app-a', 'app-b']) {
      const r = compose.services[name];
      expect(r.command).toEqual(['node', 'bin/newsgraph.js', 'serve']);
      expect(r.environment.NEO4J_URI).toBe('neo4j://neo4j:7687');
      expect(r.environment.NEO4J_DATABASE).toBe('neo4j');
      expect(r.depends_on).toEqual({
        neo4j: { condition: 'service_healthy' },
        seed: { condition: 'service_completed_successfully' },
      });
      // compose passes a key-only variable from the shell, or leaves it unset
      const env = Object.fromEntries(
        Object.entries(r.environment)
          .filter(([, v]) => v != null)
          .map(([k, v]) => [k, String(v)]),
      );
      expect(() => loadConfig(env)).not.toThrow();
    }
    expect(compose.services.seed.command).toEqual(['node', 'bin/newsgraph.js', 'ingest', 'examples']);
    // a routing driver is told this address: it must be reachable from the other containers
    expect(compose.services.neo4j.environment.NEO4J_server_default__advertised__address).toBe('neo4j');
  });

  it('puts nginx in front of both replicas, with its config file from the repository', () => {
    const proxy = compose.services.proxy;
    expect(proxy.image).toMatch(/^nginx:/);
    expect(Object.keys(proxy.depends_on)).toEqual(['app-a', 'app-b']);
    const [host] = (proxy.volumes[0] as string).split(':');
    const conf = join(REPO_ROOT, host);
    expect(existsSync(conf)).toBe(true);
    const text = readFileSync(conf, 'utf8');
    expect(text).toContain('server app-a:4000');
    expect(text).toContain('server app-b:4000');
    expect(text).toMatch(/location \/graphql \{[^}]*proxy_pass http:\/\/newsgraph;/);
    // braces balance (nginx -t is not available here)
    expect(text.split('{').length).toBe(text.split('}').length);
  });
});
