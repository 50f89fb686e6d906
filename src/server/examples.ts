/** Queries shown in GraphiQL (the first tab is EXAMPLE_QUERY) and in the README. */

/** The API contract's headline query: which companies are linked to the 数字化门槛 policy, and who issued it. */
export const EXAMPLE_QUERY = `# newsgraph: which companies are linked to lowering the 数字化门槛, and who issued the policy?
{
  policies(nameContains: "数字化门槛") {
    edges {
      node {
        name
        issuedBy {
          agency {
            name
          }
        }
        linkedCompanies(scope: PARAGRAPH) {
          company {
            name
          }
          evidence
        }
      }
    }
  }
}
`;

export interface SavedExample {
  title: string;
  query: string;
}

export const SAVED_EXAMPLES: SavedExample[] = [
  {
    title: 'Search names and titles',
    query: `# full-text search (cjk) over entity names, aliases and article titles
{
  search(query: "数字化转型", first: 10) {
    edges {
      node {
        score
        type
        entity { name type }
        article { title publishedAt }
      }
    }
  }
}
`,
  },
  {
    title: 'An agency, its policies and people',
    query: `{
  agency(name: "工信部") {
    name
    canonicalName
    aliases
    mentionCount
    issued { policy { name } evidence }
    people { person { name } title }
    coMentioned(first: 5) { entity { name type } weight }
  }
}
`,
  },
  {
    title: 'Neighbourhood for a graph view',
    query: `{
  neighborhood(id: "Agency:工业和信息化部", depth: 1, limit: 30) {
    nodes { id type name }
    edges { source target type weight label }
  }
}
`,
  },
  {
    title: 'Shortest connection between two entities',
    query: `{
  path(fromId: "Company:宁德时代", toId: "Agency:中国人民银行", maxHops: 4) {
    length
    hops { from { name } to { name } type articles { title } }
  }
}
`,
  },
  {
    title: 'Mentions over time and the most mentioned companies',
    query: `{
  timeline(id: "Agency:工业和信息化部", interval: MONTH) { start articles mentions }
  topEntities(type: COMPANY, first: 5) { entity { name } articles mentions }
  stats { articles entities labels { name count } edgeTypes { name count } }
}
`,
  },
];
