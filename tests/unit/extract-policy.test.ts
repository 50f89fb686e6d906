import { describe, expect, it } from 'vitest';
import { extractText } from '../../src/ingest/extract/index.js';
import { allNames, namesOf } from './extract-helpers.js';

describe('policy extraction', () => {
  it('takes titled documents and aliases their short references', () => {
    const x = extractText('t', '《西部物流枢纽建设规划》日前印发。《规划》提出三项任务。');
    expect(namesOf(x, 'Policy')).toEqual([['西部物流枢纽建设规划', '规划']]);
  });

  it('ignores newspapers and company documents in book-title marks', () => {
    const x = extractText('t', '他对《经济日报》记者说，公司发布了《员工持股计划（草案）》。');
    expect(allNames(x, 'Policy').size).toBe(0);
  });

  it('takes quoted terms used as policies but not other quotes', () => {
    const x = extractText('t', '各地推进“链长制”，落实“双减”政策，打造“数字乡村”示范，评选“年度人物”。');
    const names = allNames(x, 'Policy');
    expect(names).toContain('链长制');
    expect(names).toContain('双减');
    expect(names).toContain('数字乡村');
    expect(names.has('年度人物')).toBe(false);
  });

  it('takes unquoted names headed by 行动计划, 工程 or 试点示范, stopping at the verb', () => {
    const x = extractText('t', '我们将实施农业机械化提升行动计划，开展新能源汽车与城市协同发展试点示范。');
    const names = allNames(x, 'Policy');
    expect(names).toContain('农业机械化提升行动计划');
    expect(names).toContain('新能源汽车与城市协同发展试点示范');
  });

  it('takes well-known national slogans from the lexicon', () => {
    const x = extractText('t', '坚持房住不炒，推进共同富裕。');
    const names = allNames(x, 'Policy');
    expect(names).toContain('房住不炒');
    expect(names).toContain('共同富裕');
  });

  it('takes a measure named as the subject of 是…举措', () => {
    const x = extractText('t', '记者了解到，减轻小微企业融资负担是今年的重点举措。');
    expect(allNames(x, 'Policy')).toContain('减轻小微企业融资负担');
  });

  it('does not make policies of ordinary nouns', () => {
    const x = extractText('t', '数字化和大数据改变了制造业，企业加快转型。');
    expect(allNames(x, 'Policy').size).toBe(0);
  });
});
