/**
 * The "peer" of the query benchmark: @neo4j/graphql (v7) over the same labels and
 * relationships, served by graphql-yoga. Run in its own process by bench/query.ts:
 *
 *   NEO4J_URI=bolt://127.0.0.1:7687 PORT=0 npx tsx bench/query/peer.ts   (prints "READY <url>")
 *
 * Only what the four benchmark queries need is declared. Where newsgraph computes
 * something (co-mentions, paragraph links) the peer gets the closest @cypher field.
 */
import { createServer } from 'node:http';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { createYoga } from 'graphql-yoga';
import neo4j from 'neo4j-driver';
import { enableTcpNoDelay } from '../../src/neo4j/driver.js';

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

  "A co-mentioned entity (computed by Cypher: shared articles as weight)."
  type Neighbour {
    id: String!
    name: String!
    type: String!
    weight: Int!
  }

  "A company co-occurring with a policy in the same paragraph (computed by Cypher)."
  type LinkedCompany {
    name: String!
    score: Int!
    evidence: [String!]!
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

  type Company @node @fulltext(indexes: [{ indexName: "entity_names", queryName: "companiesByName", fields: ["name", "aliasText"] }]) {
    id: ID!
    name: String!
    aliasText: String
    articles: [Article!]! @relationship(type: "MENTIONS", direction: IN, properties: "Mention")
  }

  type Person @node @fulltext(indexes: [{ indexName: "entity_names", queryName: "peopleByName", fields: ["name", "aliasText"] }]) {
    id: ID!
    name: String!
    aliasText: String
  }

  type Stock @node @fulltext(indexes: [{ indexName: "entity_names", queryName: "stocksByName", fields: ["name", "aliasText"] }]) {
    id: ID!
    name: String!
    aliasText: String
  }

  type Agency @node @fulltext(indexes: [{ indexName: "entity_names", queryName: "agenciesByName", fields: ["name", "aliasText"] }]) {
    id: ID!
    name: String!
    aliasText: String
    articles: [Article!]! @relationship(type: "MENTIONS", direction: IN, properties: "Mention")
    issued: [Policy!]! @relationship(type: "ISSUED", direction: OUT, properties: "Issued")
    coMentioned(limit: Int = 40): [Neighbour!]!
      @cypher(
        statement: """
        MATCH (this)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(o:Entity)
        WHERE o <> this
        WITH o, count(a) AS shared ORDER BY shared DESC, o.id LIMIT $limit
        RETURN { id: o.id, name: o.name, type: o.type, weight: shared } AS n
        """
        columnName: "n"
      )
    "ring 2: the co-mentions of each of this entity's strongest co-mentions, over each one's 100 most recent articles (as newsgraph counts them)"
    coMentioned2(limit: Int = 40): [Neighbour!]!
      @cypher(
        statement: """
        MATCH (this)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(o:Entity)
        WHERE o <> this
        WITH o, count(a) AS shared ORDER BY shared DESC, o.id LIMIT $limit
        CALL (o) {
          MATCH (o)<-[:MENTIONS]-(a2:Article)
          WITH o, a2 ORDER BY a2.publishedAt DESC, a2.id LIMIT 100
          MATCH (a2)-[:MENTIONS]->(o2:Entity)
          WHERE o2 <> o
          WITH o2, count(a2) AS shared2 ORDER BY shared2 DESC, o2.id LIMIT $limit
          RETURN o2, shared2
        }
        RETURN { id: o2.id, name: o2.name, type: o2.type, weight: shared2 } AS n
        """
        columnName: "n"
      )
  }

  type Policy @node @fulltext(indexes: [{ indexName: "entity_names", queryName: "policiesByName", fields: ["name", "aliasText"] }]) {
    id: ID!
    name: String!
    aliasText: String
    issuedBy: [Agency!]! @relationship(type: "ISSUED", direction: IN, properties: "Issued")
    linkedCompanies(limit: Int = 20): [LinkedCompany!]!
      @cypher(
        statement: """
        MATCH (this)<-[mp:MENTIONS]-(a:Article)-[mc:MENTIONS]->(c:Company)
        WITH c, a, [p IN coalesce(mp.paragraphs, []) WHERE p IN coalesce(mc.paragraphs, [])] AS shared, mp, mc
        WHERE size(shared) > 0
        WITH c, sum(size(shared)) AS score, collect(coalesce(mc.evidence, []) + coalesce(mp.evidence, [])) AS ev
        ORDER BY score DESC, c.id LIMIT $limit
        RETURN { name: c.name, score: score, evidence: reduce(acc = [], s IN reduce(all = [], e IN ev | all + e) | CASE WHEN s IN acc THEN acc ELSE acc + s END)[0..10] } AS l
        """
        columnName: "l"
      )
  }
`;

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
