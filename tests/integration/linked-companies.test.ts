/** The policy → company linking rules, on the real Cypher path, with a short article written for this test. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveArticles, type TestServer } from './helpers.js';

const ARTICLE = `---
title: '平台企业助力中小企业'
date: Thu, 17 Mar 2022 12:00:41 GMT
---
<div>
<p>　　工信部表示，将进一步降低数字化门槛。京东工业品为中小企业设计采购方案。快手搭建一站式开放平台。</p>
<p>　　华纬科技的生产效率明显提升。</p>
</div>
`;

const QUERY = `query($scope: LinkScope!) { policies(nameContains: "数字化门槛") { edges { node {
  linkedCompanies(scope: $scope) { company { name } score evidence } } } } }`;

describe('linkedCompanies scopes', () => {
  let server: TestServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ server, close } = await serveArticles({ 'links.md': ARTICLE }));
  });
  afterAll(() => close?.());

  const links = async (scope: string) => {
    const res = await server.gql(QUERY, { scope });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.policies.edges[0].node.linkedCompanies as {
      company: { name: string };
      score: number;
      evidence: string[];
    }[];
  };

  it('links companies in the same paragraph, with the policy and company sentences as evidence', async () => {
    const found = await links('PARAGRAPH');
    expect(found.map((l) => l.company.name).sort()).toEqual(['京东工业品', '快手']);
    expect(found.find((l) => l.company.name === '快手')!.evidence).toEqual([
      '工信部表示，将进一步降低数字化门槛。',
      '快手搭建一站式开放平台。',
    ]);
  });

  it('links every company at ARTICLE scope and none at SENTENCE scope here', async () => {
    expect((await links('ARTICLE')).map((l) => l.score)).toEqual([1, 1, 1]);
    expect(await links('SENTENCE')).toEqual([]);
  });

  it('cuts the ranking at `first`, ties ordered by company id in code points as Cypher orders them', async () => {
    const res = await server.gql(`{ policies(nameContains: "数字化门槛") { edges { node {
      top: linkedCompanies(scope: ARTICLE, first: 2) { company { id } score }
      all: linkedCompanies(scope: ARTICLE, first: 100) { company { id } score } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const { top, all } = res.body.data.policies.edges[0].node;
    // global ids are base64 of 'Company:<entity id>'
    const ids = all.map((l: { company: { id: string } }) => Buffer.from(l.company.id, 'base64').toString('utf8'));
    expect(ids).toHaveLength(3);
    // all three have score 1: the order is the id's, compared by code point
    expect(ids).toEqual([...ids].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(top).toEqual(all.slice(0, 2));
  });
});
