/**
 * The neighbourhood's ring-2 read on a benchmark graph: the relations and strongest co-mentions
 * of the 40 entities around a centre, read from each entity's stored list (what the API runs,
 * NEIGHBOURS) and, for comparison, ranked from all of each entity's CO_MENTIONED rows (the query
 * before the lists). Same rows either way (checked); times are medians of `--runs` after one warm-up.
 *
 *   npx tsx bench/ring-read.ts --data bench/out/query-graph-10000 [--articles 10000] [--centres 10]
 */
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import { NEIGHBOURS } from '../src/db/graph-read.js';
import { RELATION_TYPES } from '../src/graph/vocabulary.js';
import { defaultDataDir, openBenchGraph } from './query-graph.js';

const RANKED_FROM_ROWS = `UNWIND $ids AS id
     MATCH (e:Entity {id: id}) USING INDEX e:Entity(id)
     CALL (e) {
       MATCH (e)-[r:${RELATION_TYPES.join('|')}]-(:Entity)
       RETURN { fromId: startNode(r).id, toId: endNode(r).id, type: type(r), weight: size(coalesce(r.articleIds, [])), label: r.title } AS row
       UNION
       MATCH (e)-[c:CO_MENTIONED]-(o)
       WITH e, o, c.articles AS shared ORDER BY shared DESC, o.id LIMIT $limit
       RETURN { fromId: e.id, toId: o.id, type: 'CO_MENTION', weight: shared, label: null } AS row
     }
     RETURN row`;

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    articles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '42' },
    centres: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
  },
});
const articles = Number(values.articles);
const { db } = await openBenchGraph({
  dataDir: values.data ?? defaultDataDir(articles),
  articles,
  seed: Number(values.seed),
});
type Row = { fromId: string; toId: string; type: string; weight: number };
const rows = async (cypher: string, params: Record<string, unknown>) =>
  (await db.driver.executeQuery(cypher, params)).records.map((r) => r.get('row') as Row);
const timed = async (cypher: string, ids: string[]) => {
  const ms: number[] = [];
  let out: Row[] = [];
  for (let i = 0; i <= Number(values.runs); i++) {
    const t = performance.now();
    out = await rows(cypher, { ids, limit: neo4j.int(40) });
    if (i > 0) ms.push(performance.now() - t);
  }
  return { median: ms.sort((a, b) => a - b)[ms.length >> 1], out };
};
const key = (r: Row) => `${r.type} ${r.fromId} ${r.toId} ${r.weight}`;
const centres = (
  await db.driver.executeQuery(
    'MATCH (e:Entity) RETURN e.id AS id ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC, e.id LIMIT $n',
    { n: neo4j.int(Number(values.centres)) },
  )
).records.map((r) => r.get('id') as string);
for (const centre of centres) {
  const ring1 = [
    ...new Set(
      (await rows(NEIGHBOURS, { ids: [centre], limit: neo4j.int(40) })).map((r) =>
        r.fromId === centre ? r.toId : r.fromId,
      ),
    ),
  ];
  const stored = await timed(NEIGHBOURS, ring1);
  const ranked = await timed(RANKED_FROM_ROWS, ring1);
  const same = JSON.stringify(stored.out.map(key).sort()) === JSON.stringify(ranked.out.map(key).sort());
  console.log(
    JSON.stringify({
      centre,
      ring1: ring1.length,
      rows: stored.out.length,
      storedListMs: +stored.median.toFixed(1),
      rankedFromRowsMs: +ranked.median.toFixed(1),
      same,
    }),
  );
}
await db.close();
