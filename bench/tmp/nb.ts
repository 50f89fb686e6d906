import { openBenchGraph } from '../query-graph.js';
import { NEIGHBOURS } from '../../src/db/graph-read.js';
import neo4j from 'neo4j-driver';
const { db } = await openBenchGraph({ dataDir: '/work/qgraph-10k', articles: 10000, seed: 42 });
const q = async (c: string, p: Record<string, unknown> = {}) => (await db.driver.executeQuery(c, p)).records.map((r) => r.toObject());
console.log(await q(`MATCH (e:Entity) WITH e, COUNT { (e)-[:CO_MENTIONED]-() } AS d RETURN e.type AS t, count(*) AS n, avg(d) AS avg, max(d) AS max, percentileDisc(d, 0.9) AS p90`));
const top = await q(`MATCH (e:Entity) RETURN e.id AS id ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC LIMIT 100`);
for (const k of [0, 5, 50]) {
  const centre = top[k].id as string;
  const ring1 = (await q(NEIGHBOURS, { ids: [centre], limit: neo4j.int(40) })).map((r: any) => r.row.toId === centre ? r.row.fromId : r.row.toId);
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const rows = await q(NEIGHBOURS, { ids: ring1, limit: neo4j.int(40) });
    console.log(centre, 'ring2 over', ring1.length, 'ids:', rows.length, 'rows', (performance.now() - t).toFixed(1), 'ms');
  }
}
await db.close();
