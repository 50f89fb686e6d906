/**
 * The derived relationships (CO_MENTIONED, LINKED_COMPANY) stay what a from-scratch build of the
 * same articles gives, through ingests, changed re-ingests and deletes; `newsgraph verify` says so
 * (exit 0) and names a corrupted row (exit 1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deleteArticles } from '../../src/db/articles-write.js';
import { type CoRow, type LinkRow, SCOPES } from '../../src/db/derived-model.js';
import { expectedRows, expectedTops, rebuildDerived, storedRows, verifyDerived } from '../../src/db/derived-verify.js';
import { rankTops, refillEvidence, refillRecent } from '../../src/db/derived-write.js';
import { createWriter } from '../../src/db/write.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { REPO_ROOT, writeGeneratedCorpus } from '../support/corpus.js';
import { openTestDatabase, resetGraph } from './helpers.js';

describe('derived relationships', () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    dir = mkdtempSync(join(tmpdir(), 'newsgraph-derived-'));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const verify = () => verifyDerived(db.driver, db.database);
  const snapshot = async () => {
    const session = db.driver.session({ database: db.database });
    try {
      return await session.executeRead((tx) => storedRows(tx));
    } finally {
      await session.close();
    }
  };
  const articleIds = async () =>
    (
      await db.driver.executeQuery('MATCH (a:Article) RETURN a.id AS id ORDER BY id', {}, { database: db.database })
    ).records.map((r) => r.get('id') as string);

  it('match a from-scratch build after ingests, changed re-ingests and deletes', async () => {
    const paths = writeGeneratedCorpus(dir, 40, 7);
    expect((await ingestPaths(db, [dir], { batchSize: 7 })).failed).toEqual([]);
    let report = await verify();
    expect(report.differences).toEqual([]);
    expect(report.coMentioned).toBeGreaterThan(20);
    expect(report.linkedCompanies).toBeGreaterThan(0);

    // Change 15 articles: other paragraphs (from another seed), some moved in time, some undated.
    const other = mkdtempSync(join(tmpdir(), 'newsgraph-derived-other-'));
    const replacements = writeGeneratedCorpus(other, 40, 99);
    for (let i = 0; i < 15; i++) {
      let text = readFileSync(replacements[i * 2 + 1], 'utf8');
      if (i % 5 === 0) text = text.replace(/^date: .*\n/m, '');
      else if (i % 5 === 1) text = text.replace(/^date: .*$/m, `date: 2023-0${1 + (i % 9)}-15T00:00:00.000Z`);
      writeFileSync(paths[i * 2 + 1], text);
    }
    rmSync(other, { recursive: true, force: true });
    // and add ten new ones (same paragraphs, so many shared pairs with the stored articles)
    const extra = mkdtempSync(join(tmpdir(), 'newsgraph-derived-extra-'));
    for (const p of writeGeneratedCorpus(extra, 10, 3)) writeFileSync(join(dir, `new-${basename(p)}`), readFileSync(p));
    rmSync(extra, { recursive: true, force: true });
    const second = await ingestPaths(db, [dir], { batchSize: 6 });
    expect(second).toMatchObject({ failed: [], new: 10, updated: 15 });
    expect((await verify()).differences).toEqual([]);

    // Delete the most recent articles first (they head the recent-article lists), then a few more.
    const ids = await articleIds();
    const writer = createWriter(db);
    const newest = (
      await db.driver.executeQuery(
        'MATCH (a:Article) WHERE a.publishedAt IS NOT NULL RETURN a.id AS id ORDER BY a.publishedAt DESC LIMIT 6',
        {},
        { database: db.database },
      )
    ).records.map((r) => r.get('id') as string);
    expect(await deleteArticles(writer, newest.slice(0, 3))).toBe(3);
    expect(await deleteArticles(writer, [...newest.slice(3), ids[0], ids[5], 'not-an-article'])).toBe(5);
    report = await verify();
    expect(report.differences).toEqual([]);

    // The deleted articles' files are still there: ingesting the tree again brings them back.
    expect(await ingestPaths(db, [dir], { batchSize: 4 })).toMatchObject({ failed: [], new: 8 });
    expect((await verify()).differences).toEqual([]);
    const before = await snapshot();

    // The incremental rows equal a rebuild from scratch, property for property.
    const rebuilt = await rebuildDerived(db.driver, db.database, { force: true });
    expect(rebuilt.rebuilt).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('the refill queries (a removal left a list short) read what a from-scratch build holds', async () => {
    const session = db.driver.session({ database: db.database });
    try {
      await session.executeRead(async (tx) => {
        const expected = await expectedRows(tx);
        const co: CoRow[] = [...expected.co.values()].map((r) => ({ ...r, recent: [] }));
        const links: LinkRow[] = [...expected.links.values()].map((r) => ({
          ...r,
          article: { ...r.article, evidence: [] },
          paragraph: { ...r.paragraph, evidence: [] },
          sentence: { ...r.sentence, evidence: [] },
        }));
        await refillRecent(tx, co);
        // pages of 1, 4, 16... articles: the walk goes on until the evidence is enough or the articles run out
        await refillEvidence(
          tx,
          links.map((row) => ({ row, scopes: SCOPES.filter((s) => row[s].links > 0) })),
          1,
        );
        expect(co).toEqual([...expected.co.values()]);
        expect(links).toEqual([...expected.links.values()]);
        expect(Math.max(...links.map((l) => l.article.links))).toBeGreaterThan(1);
        // a full strongest-co-mentions list that lost articles is ranked again from the rows
        const tops = expectedTops(expected.co.values());
        expect(await rankTops(tx, [...tops.keys()])).toEqual(tops);
        expect(Math.max(...[...tops.values()].map((t) => t.ids.length))).toBeGreaterThan(5);
      });
    } finally {
      await session.close();
    }
  });

  it('`newsgraph verify` exits 0 on a consistent graph, and 1 naming the pair after one property is corrupted', async () => {
    const { uri, user, password } = inject('neo4j');
    const cli = () =>
      spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'newsgraph.js'), 'verify'], {
        env: { ...process.env, NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 120_000,
      });
    const ok = cli();
    expect(ok.stderr).toMatch(/derived relationships match the mentions/);
    expect(ok.status).toBe(0);

    const { records } = await db.driver.executeQuery(
      `MATCH (x)-[r:CO_MENTIONED]->(y) WHERE r.articles > 1 WITH x, r, y ORDER BY x.id, y.id LIMIT 1
       SET r.paragraphs = r.paragraphs + 1 RETURN x.id AS x, y.id AS y`,
      {},
      { database: db.database },
    );
    const [x, y] = [records[0].get('x') as string, records[0].get('y') as string];
    const report = await verify();
    expect(report.differences.map((d) => [d.type, d.from, d.to, d.fields])).toEqual([
      ['CO_MENTIONED', x, y, ['paragraphs']],
    ]);
    const bad = cli();
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`CO_MENTIONED ${x} -> ${y}: paragraphs stored`);

    // and a LINKED_COMPANY evidence list
    await db.driver.executeQuery(
      `MATCH ()-[r:LINKED_COMPANY]->() WHERE r.paragraphLinks > 0 WITH r LIMIT 1 SET r.paragraphEvidence = '[]'`,
      {},
      { database: db.database },
    );
    expect((await verify()).differences.map((d) => d.type).sort()).toEqual(['CO_MENTIONED', 'LINKED_COMPANY']);

    // and an entity's strongest-co-mentions list
    await db.driver.executeQuery(`MATCH (e:Entity {id: $x}) SET e.coTopIds = []`, { x }, { database: db.database });
    expect((await verify()).differences.map((d) => [d.type, d.from, d.fields]).sort()).toEqual([
      ['CO_MENTIONED', x, ['paragraphs']],
      ['LINKED_COMPANY', expect.any(String), ['paragraphEvidence']],
      ['TOP_CO_MENTIONS', x, ['missing']],
    ]);
    expect(cli().stderr).toContain(`TOP_CO_MENTIONS of ${x}: missing`);

    // and a mention's copy of its article's date (the ordered index of an entity's articles)
    const moved = await db.driver.executeQuery(
      `MATCH (a:Article)-[m:MENTIONS]->(e:Entity {id: $x}) WITH a, m, e ORDER BY a.id LIMIT 1
       SET m.publishedAt = datetime('1999-01-01T00:00:00Z') RETURN a.id AS a`,
      { x },
      { database: db.database },
    );
    const article = moved.records[0].get('a') as string;
    expect(
      (await verify()).differences.filter((d) => d.type === 'MENTION_KEYS').map((d) => [d.from, d.to, d.fields]),
    ).toEqual([[article, x, ['publishedAt']]]);

    await rebuildDerived(db.driver, db.database, { force: true });
    expect((await verify()).differences).toEqual([]);
  });

  it('the migration builds them for a graph written without them, once', async () => {
    await db.driver.executeQuery(
      `MATCH ()-[r:CO_MENTIONED|LINKED_COMPANY]->() DELETE r`,
      {},
      { database: db.database },
    );
    await db.driver.executeQuery(
      `MATCH ()-[m:MENTIONS]->() REMOVE m.entityId, m.articleId, m.publishedAt`,
      {},
      { database: db.database },
    );
    await db.driver.executeQuery(`MATCH (m:GraphMeta) DELETE m`, {}, { database: db.database });
    expect((await verify()).differences.length).toBeGreaterThan(0);
    const { migrate } = await import('../../src/db/migrations.js');
    await migrate(db.driver, db.database);
    expect((await verify()).differences).toEqual([]);
    expect((await rebuildDerived(db.driver, db.database)).rebuilt).toBe(false);
  });

  it('stay exact under concurrent writers: two ingests and deletes of articles sharing entities', async () => {
    await resetGraph(db);
    const dirs = [0, 1].map((i) => {
      const d = mkdtempSync(join(tmpdir(), `newsgraph-derived-race${i}-`));
      const src = mkdtempSync(join(tmpdir(), 'newsgraph-derived-src-'));
      for (const p of writeGeneratedCorpus(src, 24, 11 + i))
        writeFileSync(join(d, `w${i}-${basename(p)}`), readFileSync(p));
      rmSync(src, { recursive: true, force: true });
      return d;
    });
    try {
      expect((await ingestPaths(db, [dirs[0]], { batchSize: 8 })).failed).toEqual([]);
      const writer = createWriter(db);
      const stored = await articleIds();
      const [first, second] = await Promise.all([
        ingestPaths(db, [dirs[1]], { batchSize: 3, concurrency: 2 }),
        (async () => {
          // rewrite half of the first set while the second set goes in
          for (const f of stored.slice(0, 12))
            writeFileSync(join(dirs[0], `${f}.md`), readFileSync(join(dirs[1], `w1-gen-00${f.slice(-2)}.md`)));
          return ingestPaths(db, [dirs[0]], { batchSize: 2, concurrency: 2 });
        })(),
        (async () => {
          for (const id of stored.slice(12, 20)) await deleteArticles(writer, [id]);
        })(),
      ]);
      expect(first.failed).toEqual([]);
      expect(second.failed).toEqual([]);
      expect((await verify()).differences).toEqual([]);
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});
