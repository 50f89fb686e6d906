/**
 * Varied-parameter query mix against one running GraphQL server: every request draws its
 * parameters from a seeded list read from the graph (policies by mention count, entities of
 * every type), so a response cache cannot answer from a single repeated query. Start the server
 * yourself (e.g. with NEWSGRAPH_RESPONSE_CACHE_MB=0), then:
 *
 *   npx tsx bench/query-mix.ts --url http://127.0.0.1:4000/graphql --neo4j bolt://127.0.0.1:7687 \
 *     --queries policy,comentions,neighborhood --connections 1,16 --duration 8 --seed 1
 *
 * Prints one JSON line per cell (req/s, p50 / p99 ms, errors). Time-bounded: duration per cell.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import neo4j from 'neo4j-driver';
import { mulberry32 as rng } from '../src/prng.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    neo4j: { type: 'string' },
    queries: { type: 'string', default: 'policy,comentions,neighborhood' },
    connections: { type: 'string', default: '1,16' },
    duration: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    distinct: { type: 'string', default: '100' },
  },
});
if (!values.url || !values.neo4j) throw new Error('--url and --neo4j are required');

type Kind = 'policy' | 'comentions' | 'neighborhood';
const QUERY: Record<Kind, string> = {
  policy:
    'query($name: String!) { policy(name: $name) { name issuedBy { agency { name } } linkedCompanies(scope: PARAGRAPH) { company { name } score evidence } } }',
  comentions: 'query($id: ID!) { entity(id: $id) { name coMentioned(first: 10) { entity { name } weight mentions } } }',
  neighborhood:
    'query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id type name } edges { source target type weight } } }',
};

const driver = neo4j.driver(values.neo4j, neo4j.auth.basic('neo4j', ''));
const n = Number(values.distinct);
const rand = rng(Number(values.seed));
const shuffle = <T>(xs: T[]) => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
};
// The n most-mentioned policies and entities: the ones analysts ask about, and the heaviest.
const top = async (cypher: string) =>
  (await driver.executeQuery(cypher, { n: neo4j.int(n) })).records.map((r) => r.get('v') as string);
const params: Record<Kind, Record<string, string>[]> = {
  policy: shuffle(
    await top('MATCH (p:Policy) RETURN p.name AS v ORDER BY COUNT { (p)<-[:MENTIONS]-() } DESC, p.id LIMIT $n'),
  ).map((name) => ({ name })),
  comentions: shuffle(
    await top('MATCH (e:Entity) RETURN e.id AS v ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC, e.id LIMIT $n'),
  ).map((id) => ({ id })),
  neighborhood: shuffle(
    await top('MATCH (e:Entity) RETURN e.id AS v ORDER BY COUNT { (e)<-[:MENTIONS]-() } DESC, e.id LIMIT $n'),
  ).map((id) => ({ id })),
};
await driver.close();

for (const kind of values.queries.split(',') as Kind[]) {
  const bodies = params[kind].map((variables) => JSON.stringify({ query: QUERY[kind], variables }));
  for (const connections of values.connections.split(',').map(Number)) {
    let next = 0;
    const result = await autocannon({
      url: values.url,
      connections,
      duration: Number(values.duration),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // each request takes the next parameters of the seeded list, round robin
      requests: [{ setupRequest: (req: any) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
    });
    console.log(
      JSON.stringify({
        query: kind,
        distinct: bodies.length,
        connections,
        rps: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        errors: result.errors + result.non2xx,
      }),
    );
  }
}
