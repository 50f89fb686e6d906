/**
 * The "peer" of the query benchmark: @neo4j/graphql (v7) over the same labels and
 * relationships, served by graphql-yoga. Run in its own process by bench/query.ts:
 *
 *   NEO4J_URI=bolt://127.0.0.1:7687 PORT=0 npx tsx bench/query/peer.ts   (prints "READY <url>")
 *
 * Only what the four benchmark queries need is declared. Co-mentions and policy-company links are
 * the derived rows newsgraph keeps at ingest (CO_MENTIONED, LINKED_COMPANY), read through @cypher
 * fields: the comparison is GraphQL layer to GraphQL layer over the same stored data.
 */
import { createServer } from 'node:http';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { createYoga } from 'graphql-yoga';
import neo4j from 'neo4j-driver';
import { RELATION_TYPES } from '../../src/graph/vocabulary.js';
import { enableTcpNoDelay } from '../../src/neo4j/driver.js';

/** An entity's `$limit` strongest co-mentions `o` with their shared articles: ring 1, and the start of ring 2. */
const STRONGEST = `MATCH (this)-[r:CO_MENTIONED]-(o:Entity)
        WITH o, r.articles AS shared ORDER BY shared DESC, o.id LIMIT $limit`;

/** What every entity type declares: its articles, its direct relations and its co-mentions, ring 1 and ring 2. */
const ENTITY_FIELDS = /* GraphQL */ `
    id: ID!
    name: String!
    aliasText: String
    articles: [Article!]! @relationship(type: "MENTIONS", direction: IN, properties: "Mention")
    "direct relations (${RELATION_TYPES.join(', ')}), either direction, weighted by supporting articles"
    relations: [Neighbour!]!
      @cypher(
        statement: """
        MATCH (this)-[r:${RELATION_TYPES.join('|')}]-(o:Entity)
        RETURN { id: o.id, name: o.name, type: type(r), weight: size(coalesce(r.articleIds, [])) } AS n
        """
        columnName: "n"
      )
    "the strongest co-mentions: the CO_MENTIONED rows newsgraph keeps at ingest, read through this schema"
    coMentioned(limit: Int = 40): [Neighbour!]!
      @cypher(
        statement: """
        ${STRONGEST}
        RETURN { id: o.id, name: o.name, type: o.type, weight: shared } AS n
        """
        columnName: "n"
      )
    "ring 2: the strongest co-mentions of each of this entity's strongest co-mentions (CO_MENTIONED rows too)"
    coMentioned2(limit: Int = 40): [Neighbour!]!
      @cypher(
        statement: """
        ${STRONGEST}
        CALL (o) {
          MATCH (o)-[r2:CO_MENTIONED]-(o2:Entity)
          WITH o2, r2.articles AS shared2 ORDER BY shared2 DESC, o2.id LIMIT $limit
          RETURN o2, shared2
        }
        RETURN { id: o2.id, name: o2.name, type: o2.type, weight: shared2 } AS n
        """
        columnName: "n"
      )
`;

const entityType = (type: string, queryName: string, extra = '') => /* GraphQL */ `
  type ${type} @node @fulltext(indexes: [{ indexName: "entity_names", queryName: "${queryName}", fields: ["name", "aliasText"] }]) {
${ENTITY_FIELDS}${extra}
  }
`;

export const PEER_TYPEDEFS = /* GraphQL */ `
  type Mention @relationshipProperties {
    count: Int
    evidence: [String!]
    paragraphs: [Int!]
    sentences: [Int!]
  }

  type Issued @relationshipProperties {
    evidence: [String!]
    articleIds: [String!]
  }

  "A related or co-mentioned entity (computed by Cypher: shared or supporting articles as weight)."
  type Neighbour {
    id: String!
    name: String!
    type: String!
    weight: Int!
  }

  "A company linked to a policy at paragraph scope: the LINKED_COMPANY row newsgraph keeps at ingest."
  type LinkedCompany {
    name: String!
    score: Int!
    "the stored evidence prefix as JSON (newsgraph parses it and keeps distinct sentences; Cypher without APOC cannot)"
    evidence: String!
  }

  type Article @node @fulltext(indexes: [{ indexName: "article_text", queryName: "articlesByText", fields: ["title", "text"] }]) {
    id: ID!
    title: String!
    text: String
    "for sorting only: selecting a DateTime makes @neo4j/graphql call APOC, which the embedded Neo4j lacks"
    publishedAt: DateTime
    date: String @cypher(statement: "RETURN toString(this.publishedAt) AS d", columnName: "d")
    companies: [Company!]! @relationship(type: "MENTIONS", direction: OUT, properties: "Mention")
    policies: [Policy!]! @relationship(type: "MENTIONS", direction: OUT, properties: "Mention")
  }
${entityType('Company', 'companiesByName')}
${entityType('Person', 'peopleByName')}
${entityType('Stock', 'stocksByName')}
${entityType('Agency', 'agenciesByName', '    issued: [Policy!]! @relationship(type: "ISSUED", direction: OUT, properties: "Issued")')}
${entityType(
  'Policy',
  'policiesByName',
  `    issuedBy: [Agency!]! @relationship(type: "ISSUED", direction: IN, properties: "Issued")
    linkedCompanies(limit: Int = 20): [LinkedCompany!]!
      @cypher(
        statement: """
        MATCH (this)-[l:LINKED_COMPANY]->(c:Company)
        WHERE l.paragraphLinks > 0
        WITH c, l ORDER BY l.paragraphScore DESC, c.id LIMIT $limit
        RETURN { name: c.name, score: l.paragraphScore, evidence: l.paragraphEvidence } AS l
        """
        columnName: "l"
      )`,
)}
`;

/** The generated root field that lists each entity type. */
export const PEER_ROOTS: Record<string, string> = {
  Company: 'companies',
  Person: 'people',
  Stock: 'stocks',
  Agency: 'agencies',
  Policy: 'policies',
};

async function main() {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is required');
  // The same transport as newsgraph and the floor: TCP_NODELAY on the Bolt sockets (see
  // src/neo4j/driver.ts; without it every query text over 1,400 bytes waits ~40 ms for a delayed ACK).
  enableTcpNoDelay();
  const driver = neo4j.driver(
    uri,
    neo4j.auth.basic(process.env.NEO4J_USER ?? 'neo4j', process.env.NEO4J_PASSWORD ?? ''),
    {
      maxConnectionPoolSize: 50,
    },
  );
  const schema = await new Neo4jGraphQL({ typeDefs: PEER_TYPEDEFS, driver }).getSchema();
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: false,
    maskedErrors: false,
  });
  const server = createServer(yoga);
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(`READY http://127.0.0.1:${port}/graphql`);
  });
  const stop = () => server.close(() => void driver.close().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
