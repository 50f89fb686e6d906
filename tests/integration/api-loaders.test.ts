import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import {
  countQueries,
  EXAMPLES_DIR,
  openTestDatabase,
  resetGraph,
  startTestServer,
  type TestServer,
} from './helpers.js';

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
    // the response cache off: these count what resolving a query costs (response-cache.test.ts counts hits)
    server = await startTestServer(db, { NEWSGRAPH_RESPONSE_CACHE_MB: '0' });
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

  it('a page of 50 companies with their stocks and people costs 4 round trips, whatever its size', async () => {
    const big = await roundTrips(COMPANIES_WITH_RELATIONS, 50);
    const companies = big.data.topEntities;
    expect(companies.length).toBeGreaterThan(10);
    expect(companies.some((c: any) => c.entity.stocks.length > 0)).toBe(true);
    // topEntities; the companies; their LISTED_AS and HOLDS_ROLE edges (one query each), which
    // bring the stocks and the people with them (relations-read.ts primes the entity loader)
    expect(big.trips).toBe(4);
    const small = await roundTrips(COMPANIES_WITH_RELATIONS, 2);
    expect(small.trips).toBeLessThanOrEqual(big.trips);
  });

  it('a page of 50 policies with their issuing agencies costs 2 round trips', async () => {
    const { trips, data } = await roundTrips(POLICIES_WITH_ISSUERS, 50);
    expect(data.policies.edges.length).toBeGreaterThan(10);
    expect(data.policies.edges.some((e: any) => e.node.issuedBy.length > 0)).toBe(true);
    // the policies (rows, not ids), their ISSUED edges with the agencies
    expect(trips).toBe(2);
  });
});
