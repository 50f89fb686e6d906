import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { EXAMPLES_DIR, graphCounts, openTestDatabase, resetGraph } from './helpers.js';

const SEED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'corpus', 'articles', 'seed.md');

async function rows(db: Database, cypher: string, params: Record<string, unknown> = {}) {
  const { records } = await db.driver.executeQuery(cypher, params);
  return records.map((r) => r.toObject());
}

describe('the graph the extraction writes', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    const res = await ingestPaths(db, [EXAMPLES_DIR]);
    expect(res.failed).toEqual([]);
  });
  afterAll(async () => db?.close());

  it('holds entities of every type with MENTIONS carrying counts and evidence sentences', async () => {
    const perType = await rows(
      db,
      'MATCH (:Article)-[m:MENTIONS]->(e:Entity) RETURN e.type AS type, count(DISTINCT e) AS n, min(m.count) AS minCount, min(size(m.evidence)) AS minEvidence ORDER BY type',
    );
    expect(perType.map((r) => r.type)).toEqual(['Agency', 'Company', 'Person', 'Policy', 'Stock']);
    for (const r of perType) expect(r.n).toBeGreaterThan(0);
    for (const r of perType.filter((r) => r.type !== 'Person' && r.type !== 'Stock')) {
      expect(r.minCount).toBeGreaterThanOrEqual(1);
      expect(r.minEvidence).toBeGreaterThanOrEqual(1);
    }
    const [jd] = await rows(
      db,
      "MATCH (:Article {id: 'ng-01-digital-threshold'})-[m:MENTIONS]->(c:Company {name: '京东工业品'}) RETURN m.evidence AS evidence",
    );
    expect(jd.evidence.some((s: string) => s.includes('京东工业品'))).toBe(true);
  });

  it('records that 工信部 issued the 数字化门槛 policy, with the sentence that says so', async () => {
    const issued = await rows(
      db,
      "MATCH (:Alias {key: 'Agency:工信部'})-[:ALIAS_OF]->(a:Agency)-[r:ISSUED]->(p:Policy) RETURN p.name AS policy, r.evidence AS evidence, r.articleIds AS articles",
    );
    const threshold = issued.find((r) => r.policy.includes('数字化门槛'));
    expect(threshold).toBeDefined();
    expect(threshold!.evidence.join('')).toContain('数字化门槛');
    expect(threshold!.articles).toContain('ng-01-digital-threshold');
    expect(new Set(issued.map((r) => r.policy)).size).toBeGreaterThanOrEqual(2);
  });

  it('links a company to its listed stock', async () => {
    const listings = await rows(
      db,
      'MATCH (c:Company)-[:LISTED_AS]->(s:Stock) RETURN c.name AS company, s.code AS code',
    );
    expect(listings).toEqual(expect.arrayContaining([{ company: '宁德时代', code: 'sz300750' }]));
  });

  it('keeps evidence bounded per edge', async () => {
    const [max] = await rows(db, 'MATCH ()-[r:MENTIONS|ISSUED|HOLDS_ROLE]->() RETURN max(size(r.evidence)) AS n');
    expect(max.n).toBeLessThanOrEqual(5);
  });

  it('re-ingesting changes no node or relationship count', async () => {
    const before = await graphCounts(db);
    const again = await ingestPaths(db, [EXAMPLES_DIR]);
    expect(again.unchanged).toBe(again.files);
    expect(await graphCounts(db)).toEqual(before);
  });

  it.skipIf(!existsSync(SEED))(
    'on seed.md: 工信部 issued the 数字化门槛 policy; the companies, the stock, and no false people',
    async () => {
      await ingestPaths(db, [SEED]);
      const mentioned = await rows(
        db,
        "MATCH (:Article {id: 'seed'})-[:MENTIONS]->(e) RETURN e.type AS type, e.name AS name, e.aliases AS aliases, e.shortName AS shortName",
      );
      const names = (type: string) => mentioned.filter((m) => m.type === type).flatMap((m) => [m.name, ...m.aliases]);
      expect(names('Agency')).toEqual(expect.arrayContaining(['工信部', '工业和信息化部']));
      expect(names('Company')).toEqual(expect.arrayContaining(['京东工业品', '快手', '联想', '华纬科技']));
      expect(mentioned.filter((m) => m.type === 'Stock').map((m) => [m.name, m.shortName])).toContainEqual([
        'sz300959',
        '线上线下',
      ]);
      for (const bogus of ['大力支持', '玉龙', '智能化']) expect(names('Person')).not.toContain(bogus);
      const issued = await rows(
        db,
        "MATCH (:Alias {key: 'Agency:工信部'})-[:ALIAS_OF]->(:Agency)-[r:ISSUED]->(p:Policy) WHERE 'seed' IN r.articleIds RETURN p.name AS policy",
      );
      expect(issued.some((r) => r.policy.includes('数字化门槛'))).toBe(true);
    },
  );
});
