/**
 * Issue 14, part 1: Neo4j stops while the watcher (src/ingest/watch.ts) is watching a folder. Files
 * written, changed and renamed while it is down wait; once Neo4j is back on the same port they are
 * caught up: every file stored exactly once, the renamed file under its new id only, and the graph
 * (articles, mentions, entities, derived relationships) equal to a clean ingest of the same folder.
 */
import { copyFileSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { type ArticleWatcher, watchArticles } from '../../src/ingest/watch.js';
import type { Database } from '../../src/neo4j/driver.js';
import { writeGeneratedCorpus } from '../support/corpus.js';
import { contentCounts } from './graph-counts.js';
import { type OwnNeo4j, startOwnNeo4j, wipeGraph } from './neo4j.js';

const BEFORE = 20; // files there before the outage
const DURING = 20; // written while Neo4j is down
const AFTER = 10; // written right after it is back

describe('the watcher through a Neo4j outage', () => {
  let neo4j: OwnNeo4j;
  let staging: string;
  let dir: string;
  let generated: string[];
  let watcher: ArticleWatcher | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    staging = mkdtempSync(join(tmpdir(), 'newsgraph-watch-outage-src-'));
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-watch-outage-'));
    generated = writeGeneratedCorpus(staging, BEFORE + DURING + AFTER, 14);
    neo4j = await startOwnNeo4j('watch-outage');
  });
  afterAll(async () => {
    await watcher?.close();
    await neo4j?.dispose();
    rmSync(staging, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (from: number, to: number) => {
    for (const path of generated.slice(from, to)) copyFileSync(path, join(dir, basename(path)));
  };

  it('keeps what was written while Neo4j was down and catches up: nothing lost, nothing doubled', async () => {
    const { db } = neo4j;
    put(0, BEFORE);
    watcher = await watchArticles(db, dir, { log: (l) => lines.push(l), retryMs: { first: 250, max: 2_000 } });
    await watcher.idle();
    expect(await articleIds(db)).toHaveLength(BEFORE);

    await neo4j.kill();
    const downAt = performance.now();
    put(BEFORE, BEFORE + DURING);
    // A change and a rename while down, too.
    const changed = join(dir, basename(generated[0]));
    writeFileSync(changed, (await readFile(changed, 'utf8')).replace(/title: '([^']*)'/, "title: '停机时改过'"));
    const renamedFrom = basename(generated[1], '.md');
    renameSync(join(dir, `${renamedFrom}.md`), join(dir, 'renamed-while-down.md'));
    // The watcher tries, finds Neo4j gone, and keeps the files for later.
    await waitFor('the watcher to notice', () => lines.some((l) => l.startsWith('watch: Neo4j unavailable')), 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const restartAt = performance.now();
    await neo4j.restart();
    const upAt = performance.now();
    put(BEFORE + DURING, BEFORE + DURING + AFTER);

    const files = readdirSync(dir)
      .filter((n) => n.endsWith('.md'))
      .map((n) => basename(n, '.md'))
      .sort();
    expect(files).toHaveLength(BEFORE + DURING + AFTER);
    await waitFor(
      'every file stored',
      async () => JSON.stringify(await articleIds(db)) === JSON.stringify(files),
      120_000,
    );
    const caughtUpMs = performance.now() - upAt;
    await new Promise((r) => setTimeout(r, 2_000)); // a late event would show now
    await watcher.idle();
    await watcher.close();
    watcher = undefined;

    // Exactly once each, the rename under its new id only, the change stored.
    expect(await articleIds(db)).toEqual(files);
    expect(files).not.toContain(renamedFrom);
    const title = await db.driver.executeQuery('MATCH (a:Article {id: $id}) RETURN a.title AS t', {
      id: basename(changed, '.md'),
    });
    expect(title.records[0].get('t')).toBe('停机时改过');
    expect(lines.some((l) => l.startsWith('watch: Neo4j is back'))).toBe(true);
    expect(lines.filter((l) => l.includes('(not stored)'))).toEqual([]);
    const recovered = await fingerprint(db);

    // The same folder ingested from scratch.
    await wipeGraph(db);
    const clean = await ingestPaths(db, [dir]);
    expect(clean).toMatchObject({ new: files.length, failed: [] });
    const reference = await fingerprint(db);
    expect(recovered.counts).toEqual(reference.counts);
    expect(recovered.mentions).toEqual(reference.mentions);
    expect(recovered.entities).toEqual(reference.entities);

    console.log(lines.filter((l) => !l.includes('renamed:')).join('\n'));
    console.log(
      `[figures] watch outage: Neo4j down ${((restartAt - downAt) / 1000).toFixed(1)} s, restart took ${((upAt - restartAt) / 1000).toFixed(1)} s; ` +
        `${DURING} files written while down and ${AFTER} right after, all stored ${(caughtUpMs / 1000).toFixed(1)} s after Neo4j was back; ` +
        `${lines.filter((l) => l.startsWith('watch: Neo4j unavailable')).length} outage line(s)`,
    );
  });
});

async function waitFor(what: string, probe: () => Promise<unknown> | unknown, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function articleIds(db: Database): Promise<string[]> {
  const { records } = await db.driver.executeQuery('MATCH (a:Article) RETURN a.id AS id ORDER BY id');
  return records.map((r) => r.get('id') as string);
}

/** Counts by label and relation type, mentions per article (count and total), mentions per entity. */
async function fingerprint(db: Database) {
  const q = async (cypher: string) => (await db.driver.executeQuery(cypher)).records;
  const counts = await contentCounts(db);
  const mentions = Object.fromEntries(
    (
      await q(
        'MATCH (a:Article) OPTIONAL MATCH (a)-[m:MENTIONS]->() RETURN a.id AS id, count(m) AS n, sum(m.count) AS total ORDER BY id',
      )
    ).map((r) => [r.get('id'), [r.get('n'), r.get('total')]]),
  );
  const entities = Object.fromEntries(
    (
      await q(
        'MATCH (e:Entity) OPTIONAL MATCH (e)<-[m:MENTIONS]-() RETURN e.id AS id, count(m) AS n, sum(m.count) AS total ORDER BY id',
      )
    ).map((r) => [r.get('id'), [r.get('n'), r.get('total')]]),
  );
  return { counts, mentions, entities };
}
