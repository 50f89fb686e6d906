// The Explorer's server contact: POST JSON to /graphql (see schema.graphql); live.js streams
// the subscriptions built here.
// Queries stay under the server's cost limit (src/server/limits.ts), which is why the
// entity's articles and their evidence are a separate request from its details.

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('Cannot reach the newsgraph server. Is it still running?', 'NETWORK');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy error page or a crash; reported by status below
  }
  const first = body?.errors?.[0];
  if (first) throw new ApiError(first.message || 'The server reported an error.', first.extensions?.code);
  if (!response.ok || !body?.data) throw new ApiError(`Server error (HTTP ${response.status}).`, 'HTTP');
  return body.data;
}

const ENTITY_BRIEF = 'id entityId name type';
const ARTICLE_BRIEF = 'id articleId title publishedAt sourceUrl';

export async function search(text, first = 20) {
  const data = await gql(
    `query ExplorerSearch($q: String!, $first: Int) {
      search(query: $q, first: $first) {
        edges { node { type score entity { ${ENTITY_BRIEF} aliases } article { ${ARTICLE_BRIEF} } } }
      }
    }`,
    { q: text, first },
  );
  return data.search.edges.map((e) => e.node);
}

/** The first entity whose name or alias matches the text, or null (for the path finder). */
export async function findEntity(text) {
  const hits = await search(text, 10);
  const entities = hits.filter((h) => h.entity).map((h) => h.entity);
  return entities.find((e) => e.name === text || e.aliases.includes(text)) ?? entities[0] ?? null;
}

export async function suggestions() {
  const data = await gql(`query ExplorerTop { topEntities(first: 8) { articles entity { ${ENTITY_BRIEF} } } }`);
  return data.topEntities;
}

export async function neighborhood(id, limit) {
  const data = await gql(
    `query ExplorerNeighborhood($id: ID!, $limit: Int) {
      neighborhood(id: $id, depth: 1, limit: $limit) {
        nodes { id key type name }
        edges { id source target type weight label }
      }
    }`,
    { id, limit },
  );
  return data.neighborhood;
}

export async function entityDetails(id) {
  const data = await gql(
    `query ExplorerEntity($id: ID!) {
      entity(id: $id) {
        ${ENTITY_BRIEF} canonicalName aliases mentionCount articleCount
        ... on Agency { issued { policy { ${ENTITY_BRIEF} } evidence } people { person { ${ENTITY_BRIEF} } title } }
        ... on Policy { issuedBy { agency { ${ENTITY_BRIEF} } evidence } }
        ... on Company { stocks { stock { ${ENTITY_BRIEF} } } people { person { ${ENTITY_BRIEF} } title } }
        ... on Stock { code listedBy { company { ${ENTITY_BRIEF} } } }
        ... on Person { roles { organization { ${ENTITY_BRIEF} } title } }
      }
      timeline(id: $id, interval: MONTH) { start articles mentions }
    }`,
    { id },
  );
  return data;
}

/** The newest articles about an entity, each with the sentences that mention it. */
export async function entityEvidence(id, type, first = 10) {
  const data = await gql(
    `query ExplorerEvidence($id: ID!, $first: Int, $types: [EntityType!]) {
      entity(id: $id) {
        articles(first: $first) {
          pageInfo { hasNextPage }
          edges { node { ${ARTICLE_BRIEF} mentions(first: 10, types: $types) { entity { id entityId } count evidence } } }
        }
      }
    }`,
    { id, first, types: [type] },
  );
  if (!data.entity) return { articles: [], more: false };
  return {
    more: data.entity.articles.pageInfo.hasNextPage,
    articles: data.entity.articles.edges.map(({ node }) => {
      const own = node.mentions.find((m) => m.entity.id === id || m.entity.entityId === id);
      return { ...node, count: own?.count ?? 0, evidence: own?.evidence ?? [] };
    }),
  };
}

export async function article(id) {
  const data = await gql(
    `query ExplorerArticle($id: ID!) {
      article(id: $id) {
        ${ARTICLE_BRIEF} author categories
        mentions(first: 40) { count evidence entity { ${ENTITY_BRIEF} } }
      }
    }`,
    { id },
  );
  return data.article;
}

export async function path(fromId, toId, maxHops) {
  const data = await gql(
    `query ExplorerPath($from: ID!, $to: ID!, $hops: Int) {
      path(fromId: $from, toId: $to, maxHops: $hops) {
        length
        entities { ${ENTITY_BRIEF} }
        hops { type from { id } to { id } articles { ${ARTICLE_BRIEF} } }
      }
    }`,
    { from: fromId, to: toId, hops: maxHops },
  );
  return data.path;
}

const LIVE_ARTICLE = `id articleId title publishedAt mentions(first: 40) { count evidence entity { ${ENTITY_BRIEF} } }`;

/**
 * The subscriptions that "Follow" opens for an entity (live.js runs them): new mentions of it,
 * and for a Policy the companies newly linked to it, for an Agency the policies it newly issued.
 */
export function followSubscriptions(entity) {
  const subs = [
    {
      field: 'entityMentioned',
      query: `subscription ExplorerFollow($id: ID!) {
        entityMentioned(id: $id) { articleId count evidence article { ${LIVE_ARTICLE} } }
      }`,
      variables: { id: entity.id },
    },
  ];
  if (entity.type === 'POLICY')
    subs.push({
      field: 'policyLinked',
      query: `subscription ExplorerFollowPolicy($id: ID!) {
        policyLinked(policyId: $id) { companyId scope evidence articleIds company { ${ENTITY_BRIEF} } }
      }`,
      variables: { id: entity.id },
    });
  if (entity.type === 'AGENCY')
    subs.push({
      field: 'issued',
      query: `subscription ExplorerFollowAgency($id: ID!) {
        issued(agencyId: $id) { policyId evidence articleIds policy { ${ENTITY_BRIEF} } }
      }`,
      variables: { id: entity.id },
    });
  return subs;
}

/**
 * The newest articles mentioning an entity, shaped like entityMentioned events: what "Follow"
 * already knows when it starts, and what it catches up with after a reconnection.
 */
export async function recentMentions(id, first = 20) {
  const data = await gql(
    `query ExplorerRecent($id: ID!, $first: Int) {
      entity(id: $id) { id entityId articles(first: $first) { edges { node { ${LIVE_ARTICLE} } } } }
    }`,
    { id, first },
  );
  if (!data.entity) return [];
  const self = data.entity;
  return data.entity.articles.edges.map(({ node }) => {
    const own = node.mentions.find((m) => m.entity.id === self.id);
    return { articleId: node.articleId, count: own?.count ?? 0, evidence: own?.evidence ?? [], article: node };
  });
}
