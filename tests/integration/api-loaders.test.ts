import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/driver.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

/** Counts Cypher round trips: every statement run through any session or executeQuery of this driver. */
function countQueries(db: Database) {
  const counter = { n: 0 };
  const openSession = db.driver.session.bind(db.driver);
  db.driver.session = ((...args: Parameters<typeof openSession>) => {
    const session = openSession(...args);
    const run = session.run.bind(session);
    session.run = ((...runArgs: Parameters<typeof run>) => {
      counter.n++;
      return run(...runArgs);
    }) as typeof run;
    return session;
  }) as typeof openSession;
  const executeQuery = db.driver.executeQuery.bind(db.driver);
  db.driver.executeQuery = ((...args: Parameters<typeof executeQuery>) => {
    counter.n++;
    return executeQuery(...args);
  }) as typeof executeQuery;
  return counter;
}

const COMPANIES_WITH_RELATIONS = `query($first: Int) {
  topEntities(type: COMPANY, first: $first) {
    entity { name ... on Company { stocks { stock { code name } } people { person { name } title } } }
  }
}`;

const POLICIES_WITH_ISSUERS = `query($first: Int) {
  policies(first: $first) { edges { node { name issuedBy { agency { name aliases } evidence } } } }
}`;

describe('DataLoaders keep round trips bounded', () => {
  let db: Database;
  let server: TestServer;
  let counter: { n: number };

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    expect((await ingestPaths(db, [EXAMPLES_DIR])).failed).toEqual([]);
    counter = countQueries(db);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  async function roundTrips(query: string, first: number) {
    counter.n = 0;
    const res = await server.gql(query, { first });
    expect(res.body.errors).toBeUndefined();
    return { trips: counter.n, data: res.body.data };
  }

  it('a page of 50 companies with their stocks and people costs 6 round trips, whatever its size', async () => {
    const big = await roundTrips(COMPANIES_WITH_RELATIONS, 50);
    const companies = big.data.topEntities;
    expect(companies.length).toBeGreaterThan(10);
    expect(companies.some((c: any) => c.entity.stocks.length > 0)).toBe(true);
    // topEntities; the companies; their LISTED_AS and HOLDS_ROLE edges (one query each);
    // the stocks and the people (one batch each: the two edge queries answer at different moments)
    expect(big.trips).toBe(6);
    const small = await roundTrips(COMPANIES_WITH_RELATIONS, 2);
    expect(small.trips).toBeLessThanOrEqual(big.trips);
  });

  it('a page of 50 policies with their issuing agencies costs 4 round trips', async () => {
    const { trips, data } = await roundTrips(POLICIES_WITH_ISSUERS, 50);
    expect(data.policies.edges.length).toBeGreaterThan(10);
    expect(data.policies.edges.some((e: any) => e.node.issuedBy.length > 0)).toBe(true);
    // policy ids, the policies, their ISSUED edges, the agencies
    expect(trips).toBe(4);
  });
});
