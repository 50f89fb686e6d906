/**
 * Writes of the same article racing each other through the API (two servers, one Neo4j): an
 * ingest against a delete, and two ingests, must leave either the article whole or no trace of
 * it; never an entity that no article mentions, never a mention written twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDerived } from '../../src/db/derived-verify.js';
import type { Database } from '../../src/neo4j/driver.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

const KEY = 'test-key-races-0123456789';
const ROUNDS = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const INGEST =
  'mutation($markdown: String!, $filename: String!) { ingestArticle(markdown: $markdown, filename: $filename) { created } }';
const DELETE = 'mutation($id: ID!) { deleteArticle(id: $id) { articleId } }';

describe('racing writes of one article', () => {
  let db: Database;
  let a: TestServer;
  let b: TestServer;
  const markdown = readFileSync(join(EXAMPLES_DIR, 'ng-03-catl-battery.md'), 'utf8');
  const auth = { 'x-api-key': KEY };

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    a = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY, NEWSGRAPH_RESPONSE_CACHE_MB: '0' });
    b = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY, NEWSGRAPH_RESPONSE_CACHE_MB: '0' });
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.close();
  });

  async function problems() {
    const { records } = await db.driver.executeQuery(
      `CALL () { MATCH (e:Entity) WHERE NOT EXISTS { (e)<-[:MENTIONS]-(:Article) } AND NOT EXISTS { (e)-[:WROTE|EDITED]->(:Article) } RETURN count(e) AS orphans }
       CALL () { MATCH (x:Article)-[m:MENTIONS]->(e) WITH x, e, count(m) AS n WHERE n > 1 RETURN count(*) AS doubled }
       CALL () { MATCH (x:Article) WHERE x.contentHash IS NULL RETURN count(x) AS hollow }
       RETURN orphans, doubled, hollow`,
    );
    // and the derived relationships are what the mentions left give
    const { differences } = await verifyDerived(db.driver, db.database);
    return { ...records[0].toObject(), derivedDifferences: differences.length };
  }

  it(`ingest against delete, ${ROUNDS} rounds: the article is whole or gone, and no entity is left behind`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate: the article exists before the race, or it is new.
      if (round % 2 === 0)
        expect((await a.gql(INGEST, { markdown, filename: 'race.md' }, auth)).body.errors).toBeUndefined();
      const edited = markdown.replace('</p>', `（第${round}次修改）</p>`);
      const [ingested, deleted] = await Promise.all([
        a.gql(INGEST, { markdown: edited, filename: 'race.md' }, auth),
        // Staggered so the delete lands at different points of the ingest (parse, extract, write).
        sleep((round * 7) % 60).then(() => b.gql(DELETE, { id: 'race' }, auth)),
      ]);
      expect(ingested.body.errors).toBeUndefined();
      // A delete that ran first finds nothing (NOT_FOUND); that is an answer, not a failure.
      expect(deleted.body.errors?.[0]?.extensions?.code ?? 'OK').toMatch(/^(OK|NOT_FOUND)$/);
      expect(await problems()).toEqual({ orphans: 0, doubled: 0, hollow: 0, derivedDifferences: 0 });
      await b.gql(DELETE, { id: 'race' }, auth);
      expect(await problems()).toEqual({ orphans: 0, doubled: 0, hollow: 0, derivedDifferences: 0 });
    }
  });

  it('two ingests of one new article at once store it once', async () => {
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        [a, b].map((s) => s.gql(INGEST, { markdown, filename: `twice-${round}.md` }, auth)),
      );
      for (const r of results) expect(r.body.errors).toBeUndefined();
      expect(await problems()).toEqual({ orphans: 0, doubled: 0, hollow: 0, derivedDifferences: 0 });
    }
  });
});
