/**
 * Two `newsgraph ingest` processes started at once on a fresh database, on overlapping article
 * sets (140 + 140 articles, 80 shared, 5 per write transaction), must end with exactly the graph a
 * serial run of the same two sets gives: no process refused by the other's migrations, and no
 * article's mentions written twice.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDerived } from '../../src/db/derived-verify.js';
import type { Database } from '../../src/neo4j/driver.js';
import { REPO_ROOT, writeGeneratedCorpus } from '../support/corpus.js';
import { contentCounts } from './graph-counts.js';
import { type OwnNeo4j, startOwnNeo4j, wipeGraph } from './neo4j.js';

const TRIALS = 3;

describe('concurrent ingest processes on overlapping sets, on a fresh database', () => {
  let neo4j: OwnNeo4j;
  let work: string;
  let setA: string;
  let setB: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'newsgraph-concurrent-'));
    const all = writeGeneratedCorpus(join(work, 'all'), 200, 77);
    setA = join(work, 'a');
    setB = join(work, 'b');
    mkdirSync(setA);
    mkdirSync(setB);
    for (const p of all.slice(0, 140)) copyFileSync(p, join(setA, basename(p)));
    for (const p of all.slice(60, 200)) copyFileSync(p, join(setB, basename(p)));
    neo4j = await startOwnNeo4j('concurrent');
  });
  afterAll(async () => {
    await neo4j?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('gives the graph of a serial run, every time', async () => {
    await freshDatabase(neo4j.db);
    for (const dir of [setA, setB]) expect((await ingest(dir)).status).toBe(0);
    const serial = await fingerprint(neo4j.db);
    expect(serial.duplicatePairs).toBe(0);

    for (let trial = 0; trial < TRIALS; trial++) {
      await freshDatabase(neo4j.db);
      const runs = await Promise.all([ingest(setA), ingest(setB)]);
      for (const run of runs) expect(run.stderr).not.toMatch(/already exists|Error/);
      expect(runs.map((r) => r.status)).toEqual([0, 0]);
      const concurrent = await fingerprint(neo4j.db);
      expect(concurrent).toEqual(serial);
      expect((await verifyDerived(neo4j.db.driver, neo4j.db.database)).differences).toEqual([]);
    }
    console.log(
      `[figures] concurrent ingest: ${TRIALS} trials of 140 + 140 articles (80 shared) on a fresh database, each equal to the serial graph (${serial.nodes} nodes, ${serial.mentions} mentions)`,
    );
  });

  function ingest(dir: string): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [join(REPO_ROOT, 'bin', 'newsgraph.js'), 'ingest', dir, '--batch-size', '5'],
        {
          env: {
            ...process.env,
            NEO4J_URI: neo4j.handle.uri,
            NEO4J_USER: 'neo4j',
            NEO4J_PASSWORD: '',
            LOG_LEVEL: 'silent',
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stderr }));
    });
  }
});

/** No data and no schema, as on a database nothing has run on yet. */
async function freshDatabase(db: Database): Promise<void> {
  await wipeGraph(db);
  for (const show of ['SHOW CONSTRAINTS YIELD name', "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'"]) {
    const kind = show.includes('CONSTRAINTS') ? 'CONSTRAINT' : 'INDEX';
    const { records } = await db.driver.executeQuery(`${show} RETURN name`);
    // Schema names come from the database itself (DROP takes no parameter for a name).
    for (const r of records)
      await db.driver.executeQuery(`DROP ${kind} \`${(r.get('name') as string).replace(/`/g, '``')}\``);
  }
}

/**
 * What the graph holds, independent of write order. An entity is named by all its names: which of
 * them becomes its id and display name depends on which article came first, in serial runs too.
 */
async function fingerprint(db: Database) {
  const q = async (cypher: string) => (await db.driver.executeQuery(cypher)).records.map((r) => r.toObject());
  const [counts] = await q(
    // not the change feed's log (db/changes-write.ts): one record per write transaction, so per run
    'MATCH (n) WHERE NOT n:Change AND NOT n:GraphMeta WITH count(n) AS nodes MATCH ()-[m:MENTIONS]->() RETURN nodes, count(m) AS mentions',
  );
  const [dup] = await q(
    'MATCH (a:Article)-[m:MENTIONS]->(e) WITH a, e, count(m) AS n WHERE n > 1 RETURN count(*) AS pairs',
  );
  const mentions = await q(
    `MATCH (a:Article)-[m:MENTIONS]->(e)
     WITH a, m, e, [n IN [e.name] + e.aliases | n] AS all
     UNWIND all AS n WITH a, m, e, n ORDER BY n
     WITH a, m, e, collect(n) AS sorted
     RETURN a.id + " " + e.type + ":" + reduce(s = "", n IN sorted | s + "|" + n) + " " + m.count AS m ORDER BY m`,
  );
  return {
    nodes: counts.nodes,
    mentions: counts.mentions,
    duplicatePairs: dup.pairs,
    counts: await contentCounts(db),
    mentionList: mentions.map((r) => r.m),
  };
}
