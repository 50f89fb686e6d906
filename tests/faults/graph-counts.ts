import type { Database } from '../../src/neo4j/driver.js';

/**
 * Nodes by label and relationships by type, leaving out the graph's bookkeeping: GraphMeta (the
 * migrations' records, which a wiped graph lacks) and Change (the change feed's log,
 * db/changes-write.ts: one record per write transaction, so as many as the run had batches).
 * Keys are `:Label` and `[TYPE]`, so two graphs compare with one toEqual.
 */
export async function contentCounts(db: Database): Promise<Record<string, number>> {
  const q = async (cypher: string) => (await db.driver.executeQuery(cypher)).records;
  const labels = await q(
    'MATCH (n) WHERE NOT n:GraphMeta AND NOT n:Change UNWIND labels(n) AS l RETURN l, count(*) AS n ORDER BY l',
  );
  const types = await q('MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t');
  return {
    ...Object.fromEntries(labels.map((r) => [`:${r.get('l')}`, r.get('n') as number])),
    ...Object.fromEntries(types.map((r) => [`[${r.get('t')}]`, r.get('n') as number])),
  };
}
