/**
 * The reads vote an entity's display name in Cypher (`displayNameCypher`); the rule is
 * `displayName` in TypeScript. Both must agree on every input, most of all where forms contain
 * each other (京东 inside 京东工业品) and on ties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayName, displayNameCypher } from '../../src/db/display-name.js';
import type { Database } from '../../src/neo4j/driver.js';
import { mulberry32 } from '../../src/prng.js';
import { openTestDatabase } from './helpers.js';

interface Case {
  name: string;
  aliases: string[];
  evidence: string[];
}

/** Forms over a five-character alphabet, so one often contains another; sentences mix them with filler. */
function randomCases(n: number, seed: number): Case[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const word = () =>
    Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(['京', '东', '工', '业', '品'])).join('');
  return Array.from({ length: n }, () => {
    const name = word();
    const aliases = Array.from({ length: Math.floor(rand() * 4) }, () => (rand() < 0.1 ? name : word()));
    const forms = [name, ...aliases];
    const evidence = Array.from({ length: Math.floor(rand() * 5) }, () =>
      Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
        rand() < 0.7 ? pick(forms) : pick(['表示', '。', '与']),
      ).join(''),
    );
    return { name, aliases, evidence };
  });
}

describe('display name vote in Cypher', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  async function voted(cases: Case[]): Promise<string[]> {
    const { records } = await db.driver.executeQuery(
      `UNWIND $cases AS c RETURN ${displayNameCypher('c.name', 'c.aliases', 'c.evidence')} AS name`,
      { cases },
      { database: db.database },
    );
    return records.map((r) => r.get('name') as string);
  }

  it('agrees with displayName on the worked examples', async () => {
    const cases: Case[] = [
      {
        name: '工业和信息化部',
        aliases: ['工信部'],
        evidence: ['记者从工业和信息化部获悉。', '工信部表示。', '工信部总工程师介绍，工信部将开展试点。'],
      },
      { name: '京东工业品', aliases: ['京东'], evidence: ['京东工业品依托数据。', '京东工业品表示。', '京东表示。'] },
      { name: '联想集团', aliases: ['联想'], evidence: ['联想集团与联想。'] },
      { name: '联想集团', aliases: ['联想'], evidence: [] },
      { name: '快手', aliases: [], evidence: ['快手表示。'] },
    ];
    expect(await voted(cases)).toEqual(['工信部', '京东工业品', '联想集团', '联想集团', '快手']);
    expect(await voted(cases)).toEqual(cases.map((c) => displayName(c.name, [...new Set(c.aliases)], c.evidence)));
  });

  it('agrees with displayName on 2,000 random cases of nested forms and ties', async () => {
    const cases = randomCases(2000, 7);
    const expected = cases.map((c) => displayName(c.name, [...new Set(c.aliases)], c.evidence));
    // the cases exercise the vote: many pick an alias, many keep the name
    expect(expected.filter((e, i) => e !== cases[i].name).length).toBeGreaterThan(200);
    expect(await voted(cases)).toEqual(expected);
  });
});
