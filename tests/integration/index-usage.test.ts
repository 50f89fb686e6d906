/**
 * The lookups the API runs by name, alias, id and code start from an index seek, never a
 * label scan: checked on the plans (EXPLAIN) of the exact Cypher strings the read modules run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES_BY_IDS } from '../../src/db/articles-read.js';
import { CHANGE_HEAD_CYPHER, CHANGES_AFTER_CYPHER } from '../../src/db/changes-read.js';
import { DELETE_CO, DELETE_LINKS, READ_CO, READ_LINKS, UPDATE_CO } from '../../src/db/derived-write.js';
import {
  ARTICLES_MENTIONING,
  ENTITIES_BY_IDS,
  ENTITY_IDS_BY_ALIAS_KEYS,
  STOCK_IDS_BY_CODES,
} from '../../src/db/entities-read.js';
import { CO_MENTIONS, NEIGHBOURS, RECENT_MENTIONS } from '../../src/db/graph-read.js';
import { POLICY_LINKS } from '../../src/db/policies-read.js';
import { integersAsInts } from '../../src/db/read.js';
import { relationsCypher } from '../../src/db/relations-read.js';
import { entityKey } from '../../src/graph/vocabulary.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import type { Database } from '../../src/neo4j/driver.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph } from './helpers.js';

interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  children: PlanNode[];
}

function operators(plan: PlanNode): PlanNode[] {
  return [plan, ...plan.children.flatMap(operators)];
}

/** Operator names without the runtime suffix, e.g. "NodeUniqueIndexSeek@neo4j" -> "NodeUniqueIndexSeek". */
const name = (op: PlanNode) => op.operatorType.split('@')[0];

const SEEKS =
  /^(NodeUniqueIndexSeek|NodeIndexSeek|MultiNodeIndexSeek|NodeUniqueIndexSeekByRange|NodeIndexSeekByRange)$/;
const SCANS = /^(NodeByLabelScan|AllNodesScan|NodeIndexScan|UnionNodeByLabelsScan|IntersectionNodeByLabelsScan)$/;

const ID = 'Agency:工业和信息化部';

const LOOKUPS: { what: string; cypher: string; params: Record<string, unknown>; label: string; property: string }[] = [
  {
    what: 'entity by name or alias (Alias.key)',
    cypher: ENTITY_IDS_BY_ALIAS_KEYS,
    params: { keys: [entityKey('Agency', '工信部')] },
    label: 'Alias',
    property: 'key',
  },
  { what: 'entity by id', cypher: ENTITIES_BY_IDS, params: { ids: [ID] }, label: 'Entity', property: 'id' },
  {
    what: 'stock by code',
    cypher: STOCK_IDS_BY_CODES,
    params: { codes: ['sz300750'] },
    label: 'Stock',
    property: 'code',
  },
  { what: 'article by id', cypher: ARTICLES_BY_IDS, params: { ids: ['a'] }, label: 'Article', property: 'id' },
  {
    what: "an entity's articles (by entity id)",
    cypher: ARTICLES_MENTIONING,
    params: { keys: [{ entityId: ID, limit: 20, after: null }] },
    label: 'Entity',
    property: 'id',
  },
  {
    what: 'relations pointing at an entity (by id)',
    cypher: relationsCypher('ISSUED', 'to'),
    params: { ids: ['Policy:专精特新'] },
    label: 'Entity',
    property: 'id',
  },
  {
    what: 'relations from an entity (by id)',
    cypher: relationsCypher('ISSUED', 'from'),
    params: { ids: [ID] },
    label: 'Entity',
    property: 'id',
  },
  { what: 'neighbours (by id)', cypher: NEIGHBOURS, params: { ids: [ID], limit: 40 }, label: 'Entity', property: 'id' },
  {
    what: 'co-mentions (by entity id)',
    cypher: CO_MENTIONS,
    params: { keys: [{ id: ID, type: null, limit: 10 }] },
    label: 'Entity',
    property: 'id',
  },
  {
    what: 'policy linked companies (by policy id)',
    cypher: POLICY_LINKS,
    params: {
      ids: ['Policy:专精特新'],
      score: 'paragraphScore',
      links: 'paragraphLinks',
      evidence: 'paragraphEvidence',
    },
    label: 'Policy',
    property: 'id',
  },
  // the change feed's polls, every 250 ms on every server (server/change-feed.ts)
  { what: 'change feed head', cypher: CHANGE_HEAD_CYPHER, params: {}, label: 'GraphMeta', property: 'key' },
  {
    what: 'change records after a seq',
    cypher: CHANGES_AFTER_CYPHER,
    params: { after: 3, limit: 20 },
    label: 'Change',
    property: 'seq',
  },
];

const PAIR = ['Agency:工业和信息化部', 'Policy:专精特新', 'Agency:工业和信息化部\u0000Policy:专精特新'];

/** The article writer's reads and deletes of derived rows, one per pair of a batch: seeks on the rows' own key. */
const PAIR_LOOKUPS: { what: string; cypher: string; params: Record<string, unknown>; type: string }[] = [
  { what: 'read co-mention rows', cypher: READ_CO, params: { pairs: [PAIR] }, type: 'CO_MENTIONED' },
  { what: 'delete co-mention rows', cypher: DELETE_CO, params: { pairs: [PAIR] }, type: 'CO_MENTIONED' },
  { what: 'read policy-company rows', cypher: READ_LINKS, params: { pairs: [PAIR] }, type: 'LINKED_COMPANY' },
  { what: 'delete policy-company rows', cypher: DELETE_LINKS, params: { pairs: [PAIR] }, type: 'LINKED_COMPANY' },
];

describe('lookups are index seeks', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    // Plans depend on statistics: plan against a populated graph, as the API runs.
    await ingestPaths(db, [EXAMPLES_DIR]);
    // and on fresh index statistics, with no plan cached before (earlier test files reset and refill the
    // graph many times; on stale samples the planner scanned the Entity(id) index instead of seeking)
    await db.driver.executeQuery('CALL db.prepareForReplanning()');
  }, 120_000);

  afterAll(async () => {
    await resetGraph(db);
    await db.close();
  });

  async function explain(cypher: string, params: Record<string, unknown>): Promise<PlanNode[]> {
    const session = db.driver.session({ database: db.database, defaultAccessMode: 'WRITE' });
    try {
      const result = await session.run(`EXPLAIN ${cypher}`, integersAsInts(params) as Record<string, unknown>);
      return operators(result.summary.plan as unknown as PlanNode);
    } finally {
      await session.close();
    }
  }

  it.each(LOOKUPS)('$what', async ({ cypher, params, label, property }) => {
    const ops = await explain(cypher, params);
    const names = ops.map(name);
    expect(
      names.filter((n) => SCANS.test(n)),
      `plan: ${names.join(' > ')}`,
    ).toEqual([]);
    const seeks = ops.filter((op) => SEEKS.test(name(op)));
    expect(seeks.length, `plan: ${names.join(' > ')}`).toBeGreaterThan(0);
    // The seek is on the property looked up, e.g. "a:Alias(key) WHERE key = k".
    const details = seeks.map((op) => String(op.arguments.Details ?? ''));
    expect(
      details.some((d) => d.includes(`:${label}`) && d.includes(`(${property})`)),
      details.join('; '),
    ).toBe(true);
  });

  it.each(PAIR_LOOKUPS)('$what', async ({ cypher, params, type }) => {
    const ops = await explain(cypher, params);
    const names = ops.map(name);
    expect(
      names.filter((n) => /Scan$/.test(n)),
      `plan: ${names.join(' > ')}`,
    ).toEqual([]);
    const seeks = ops.filter((op) => /^(Directed|Undirected)RelationshipIndexSeek$/.test(name(op)));
    expect(seeks.length, `plan: ${names.join(' > ')}`).toBeGreaterThan(0);
    const details = seeks.map((op) => String(op.arguments.Details ?? ''));
    expect(
      details.some((d) => d.includes(`:${type}(pair)`)),
      details.join('; '),
    ).toBe(true);
  });

  /** The operators from the root down to the first operator matching `target`, or null. */
  function pathTo(plan: PlanNode, target: RegExp): PlanNode[] | null {
    if (target.test(name(plan))) return [plan];
    for (const child of plan.children) {
      const path = pathTo(child, target);
      if (path) return [plan, ...path];
    }
    return null;
  }

  it.each([
    [
      "an entity's articles, first page",
      ARTICLES_MENTIONING,
      { keys: [{ entityId: ID, limit: 20, after: null }], limit: 20 },
    ],
    [
      "an entity's articles, after a cursor",
      ARTICLES_MENTIONING,
      { keys: [{ entityId: ID, limit: 20, after: { undated: false, t: '2022-01-01T00:00:00Z', id: 'x' } }], limit: 20 },
    ],
    ["a neighbourhood's recent articles", RECENT_MENTIONS, { id: ID, limit: 10 }],
  ])('%s: an ordered seek on the mention keys, cut before any sort', async (_, cypher, params) => {
    const session = db.driver.session({ database: db.database });
    let plan: PlanNode;
    try {
      plan = (await session.run(`EXPLAIN ${cypher}`, integersAsInts(params) as Record<string, unknown>)).summary
        .plan as unknown as PlanNode;
    } finally {
      await session.close();
    }
    const path = pathTo(plan, /^DirectedRelationshipIndexSeek$/);
    const names = operators(plan).map(name);
    expect(path, `plan: ${names.join(' > ')}`).not.toBeNull();
    const seek = path![path!.length - 1];
    expect(String(seek.arguments.Details)).toContain('MENTIONS(entityId, publishedAt, articleId)');
    // going up from the seek, the rows meet a Limit before any sort: the index gives the order
    const cut = [...path!].reverse().find((op) => /^(Limit|Top|PartialTop|Sort|PartialSort)$/.test(name(op)));
    expect(cut && name(cut), `plan: ${names.join(' > ')}`).toBe('Limit');
  });

  it('updates co-mention rows by the element id just read, with no scan', async () => {
    const row = { eid: '5:00000000-0000-0000-0000-000000000000:0', props: { articles: 1, lastSeen: null } };
    const names = (await explain(UPDATE_CO, { rows: [row] })).map(name);
    expect(
      names.filter((n) => /Scan$/.test(n)),
      `plan: ${names.join(' > ')}`,
    ).toEqual([]);
    expect(names, `plan: ${names.join(' > ')}`).toContain('DirectedRelationshipByElementIdSeek');
  });
});
