/**
 * Provides the one Neo4j the integration tests use:
 *   1. NEO4J_URI when set (an existing server);
 *   2. else a testcontainers Neo4jContainer when a Docker engine answers;
 *   3. else the embedded launcher, on a free port with a throw-away data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../src/neo4j/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: { uri: string; user: string; password: string; origin: string };
  }
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.NEO4J_URI) {
    project.provide('neo4j', {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      origin: 'NEO4J_URI',
    });
    return;
  }
  if (await dockerAnswers()) {
    const { Neo4jContainer } = await import('@testcontainers/neo4j');
    const container = await new Neo4jContainer('neo4j:5.26-community').withPassword('newsgraph-test').start();
    project.provide('neo4j', {
      uri: container.getBoltUri(),
      user: 'neo4j',
      password: 'newsgraph-test',
      origin: 'testcontainers',
    });
    return async () => {
      await container.stop();
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'newsgraph-test-neo4j-'));
  const neo4j = await startEmbedded({ dataDir, port: 0, pageCache: '128m', log: (l) => console.log(`[neo4j] ${l}`) });
  project.provide('neo4j', { uri: neo4j.uri, user: 'neo4j', password: '', origin: 'embedded' });
  return async () => {
    await neo4j.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
