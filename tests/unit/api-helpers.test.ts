import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hopsOf } from '../../src/analysis/path.js';
import { displayName } from '../../src/db/display-name.js';
import { luceneQuery } from '../../src/db/search-read.js';

describe('displayName', () => {
  it('shows the form the evidence uses most, not counting it inside longer forms', () => {
    const evidence = [
      '记者从工业和信息化部获悉。',
      '工信部表示，将实施计划。',
      '工信部总工程师介绍，工信部将开展试点。',
    ];
    expect(displayName('工业和信息化部', ['工信部'], evidence)).toBe('工信部');
    expect(displayName('京东工业品', ['京东'], ['京东工业品依托数据。', '京东工业品表示。', '京东表示。'])).toBe(
      '京东工业品',
    );
  });
  it('keeps the canonical name on a tie or without evidence', () => {
    expect(displayName('联想集团', ['联想'], [])).toBe('联想集团');
    expect(displayName('联想集团', ['联想'], ['联想集团与联想。'])).toBe('联想集团');
  });
});

describe('luceneQuery', () => {
  it('escapes every Lucene operator so user text cannot change the query', () => {
    expect(luceneQuery('"}) MATCH (n) DETACH DELETE n //')).toBe('\\"\\}\\) MATCH \\(n\\) DETACH DELETE n \\/\\/');
    expect(luceneQuery('a AND b OR NOT c:d*')).toBe('a and b or not c\\:d\\*');
  });
});

describe('hopsOf', () => {
  it('reads a CO_MENTIONED row as a co-mention and direct edges as themselves, in path order', () => {
    const hops = hopsOf({
      nodes: [{ id: 'Company:A' }, { id: 'Agency:B' }, { id: 'Policy:C' }],
      rels: [
        // stored from the smaller id: the path walks it backwards
        { type: 'CO_MENTIONED', from: 'Agency:B', to: 'Company:A', articleIds: ['art-3', 'art-1'] },
        { type: 'ISSUED', from: 'Agency:B', to: 'Policy:C', articleIds: ['art-2'] },
      ],
    });
    expect(hops).toEqual([
      { fromId: 'Company:A', toId: 'Agency:B', type: 'CO_MENTION', articleIds: ['art-3', 'art-1'] },
      { fromId: 'Agency:B', toId: 'Policy:C', type: 'ISSUED', articleIds: ['art-2'] },
    ]);
  });
});

describe('schema:check', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export-schema.ts', ...args], { encoding: 'utf8' });

  it('passes on the committed schema.graphql and fails with a clear message when a copy is stale', () => {
    expect(run(['--check']).status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'newsgraph-sdl-'));
    try {
      const stale = join(dir, 'schema.graphql');
      writeFileSync(
        stale,
        readFileSync('schema.graphql', 'utf8').replace('type Stats {', 'type Stats {\n  removedField: Int'),
      );
      const res = run(['--check', stale]);
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/stale.*\n.*npm run schema:export/);
      expect(run(['--check', join(dir, 'missing.graphql')]).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000); // three tsx start-ups (~1.5 s of CPU each): past the 5 s default on a loaded machine
});

describe('error classification', () => {
  const neo4jError = (code: string, message = 'x') => Object.assign(new Error(message), { name: 'Neo4jError', code });
  it('maps Neo4j outages and timeouts to stable codes and leaves bugs unclassified', async () => {
    const { classify } = await import('../../src/server/errors.js');
    expect(classify(neo4jError('ServiceUnavailable'), 1000)?.code).toBe('DATABASE_UNAVAILABLE');
    expect(classify(neo4jError('SessionExpired'), 1000)?.code).toBe('DATABASE_UNAVAILABLE');
    expect(
      classify(neo4jError('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration'), 1000),
    ).toMatchObject({ code: 'QUERY_TIMEOUT', message: expect.stringContaining('1000 ms') });
    expect(classify(neo4jError('Neo.ClientError.Statement.SyntaxError'), 1000)).toBeUndefined();
    expect(classify(new TypeError('boom'), 1000)).toBeUndefined();
  });
});
