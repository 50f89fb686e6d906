import { describe, expect, it } from 'vitest';
import { batchEntityRows } from '../../src/db/articles-write.js';
import type { ArticleRecord, EntityRecord } from '../../src/graph/record.js';

const entity = (type: EntityRecord['type'], name: string, aliases: string[] = []): EntityRecord => ({
  ref: `${type}:${name}`,
  type,
  name,
  aliases,
  keys: [name, ...aliases].map((n) => `${type}:${n}`),
  count: 1,
  evidence: [],
  paragraphs: [],
  sentences: [],
});
const article = (id: string, entities: EntityRecord[]) => ({ id, entities }) as unknown as ArticleRecord;

describe('batchEntityRows', () => {
  it('makes one row of entities that share a name across the articles of a batch', () => {
    const { rows, representative } = batchEntityRows([
      article('a', [entity('Company', '联想集团', ['联想']), entity('Agency', '工业和信息化部', ['工信部'])]),
      article('b', [entity('Company', '联想'), entity('Agency', '工业和信息化部')]),
    ]);
    expect(rows.map((r) => [r.ref, r.name, [...r.aliases].sort()])).toEqual([
      ['Company:联想集团', '联想集团', ['联想']],
      ['Agency:工业和信息化部', '工业和信息化部', ['工信部']],
    ]);
    expect(representative.get('Company:联想')).toBe('Company:联想集团');
  });

  it('keeps types apart and joins chains of canonical names', () => {
    const { rows, representative } = batchEntityRows([
      article('a', [entity('Company', '甲'), entity('Person', '甲')]),
      article('b', [entity('Company', '乙', ['甲'])]),
      article('c', [entity('Company', '丙', ['乙'])]),
    ]);
    expect(rows.map((r) => r.ref)).toEqual(['Company:甲', 'Person:甲']);
    expect(representative.get('Company:丙')).toBe('Company:甲');
    expect(rows[0].keys.sort()).toEqual(['Company:丙', 'Company:乙', 'Company:甲'].sort());
  });

  it('does not join two entities that only share a generic alias', () => {
    const { rows } = batchEntityRows([
      article('a', [entity('Policy', '无废城市建设试点工作方案', ['方案'])]),
      article('b', [entity('Policy', '节能减排综合工作方案', ['方案'])]),
    ]);
    expect(rows.map((r) => r.ref)).toEqual(['Policy:无废城市建设试点工作方案', 'Policy:节能减排综合工作方案']);
  });
});
