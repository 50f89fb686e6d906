/**
 * Issue 12, C: `newsgraph ingest` (the CLI, as users run it) when Neo4j is not there or dies in the
 * middle of the run: one clear line saying what happened and that a re-run resumes, a non-zero
 * exit code, no stack trace; and the re-run does resume.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/neo4j/embedded.js';
import { REPO_ROOT, writeGeneratedCorpus } from '../support/corpus.js';
import { type OwnNeo4j, startOwnNeo4j } from './neo4j.js';

const ARTICLES = 600;
const KILL_AFTER = 100; // articles stored before the kill

interface CliRun {
  code: number | null;
  stderr: string;
  /** resolves when the process has exited */
  done: Promise<void>;
}

function ingestCli(uri: string, dir: string): CliRun {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'newsgraph.js'), 'ingest', dir, '--batch-size', '50'], {
    env: { ...process.env, NEO4J_URI: uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const run: CliRun = { code: null, stderr: '', done: Promise.resolve() };
  child.stderr!.on('data', (c: Buffer) => (run.stderr += c.toString('utf8')));
  run.done = new Promise((resolve) =>
    child.once('close', (code) => {
      run.code = code;
      resolve();
    }),
  );
  return run;
}

/** What the user sees: stderr lines; a stack trace shows as "    at …" lines. */
function expectOneClearLine(stderr: string, what: RegExp) {
  const lines = stderr.split('\n').filter((l) => l.trim());
  expect(
    lines.filter((l) => /^\s+at /.test(l)),
    stderr,
  ).toEqual([]);
  expect(stderr).not.toMatch(/Neo4jError|node:internal|\.ts:\d+/);
  const said = lines.filter((l) => l.startsWith('newsgraph:'));
  expect(said, stderr).toHaveLength(1);
  expect(said[0]).toMatch(what);
  expect(lines, stderr).toHaveLength(1);
}

describe('newsgraph ingest without its database', () => {
  let neo4j: OwnNeo4j;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-cli-lost-'));
    writeGeneratedCorpus(dir, ARTICLES, 99);
    neo4j = await startOwnNeo4j('cli-lost');
  });
  afterAll(async () => {
    await neo4j?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with nothing listening at NEO4J_URI: one line, exit 1', async () => {
    const run = ingestCli(`bolt://127.0.0.1:${await freePort()}`, dir);
    await run.done;
    console.log(`[figures] cli, dead port: exit ${run.code}; stderr: ${run.stderr.trim()}`);
    expect(run.code).toBe(1);
    expectOneClearLine(run.stderr, /^newsgraph: cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:\d+/);
  });

  it('when Neo4j is killed mid-run: one line saying a re-run resumes, exit 1; the re-run resumes', async () => {
    const run = ingestCli(neo4j.handle.uri, dir);
    const count = async () => {
      const { records } = await neo4j.db.driver.executeQuery('MATCH (a:Article) RETURN count(a) AS n');
      return records[0].get('n') as number;
    };
    let stored = 0;
    while (stored < KILL_AFTER) {
      if (run.code !== null) throw new Error(`ingest ended before the kill:\n${run.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
      stored = await count();
    }
    await neo4j.kill();
    const killedAt = performance.now();
    await run.done;
    const exitedMs = performance.now() - killedAt;
    console.log(
      `[figures] cli, Neo4j killed after ${stored} articles were stored: exit ${run.code} ${(exitedMs / 1000).toFixed(1)} s after the kill; stderr: ${run.stderr.trim()}`,
    );
    expect(run.code).toBe(1);
    expectOneClearLine(
      run.stderr,
      /^newsgraph: lost the connection to Neo4j at bolt:\/\/\S+ during the ingest, after \d+ of 600 files \(.+\); .*run the same command again to resume/,
    );

    // What the line promises: the same command, once Neo4j is back, resumes.
    await neo4j.restart();
    const kept = await count();
    expect(kept).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(kept).toBeLessThan(ARTICLES);
    const again = ingestCli(neo4j.handle.uri, dir);
    await again.done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`${ARTICLES - kept} new, 0 updated, ${kept} unchanged, 0 failed`));
    expect(await count()).toBe(ARTICLES);
  }, 600_000);
});
