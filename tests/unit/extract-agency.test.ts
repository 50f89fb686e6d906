import { describe, expect, it } from 'vitest';
import { extractText } from '../../src/ingest/extract/index.js';
import { allNames, namesOf } from './extract-helpers.js';

describe('agency extraction', () => {
  it('maps a short form to the full official name and merges both forms', () => {
    const x = extractText('t', '工信部昨天召开会议。工业和信息化部负责同志出席。');
    expect(namesOf(x, 'Agency')).toEqual([['工业和信息化部', '工信部']]);
  });

  it('keeps the lexicon full name as canonical when only the short form occurs', () => {
    const x = extractText('t', '证监会近日表示将加强监管。');
    const [agency] = x.entities.filter((e) => e.type === 'Agency');
    expect(agency.name).toBe('中国证券监督管理委员会');
    expect(agency.aliases).toEqual(['证监会']);
  });

  it('reads two local bodies joined by a conjunction as two', () => {
    const names = allNames(extractText('t', '批复下达江苏省体育局和无锡市人民政府。'), 'Agency');
    expect(names).toContain('江苏省体育局');
    expect(names).toContain('无锡市人民政府');
    expect(names).not.toContain('江苏省体育局和无锡市人民政府');
  });

  it('finds local bodies built from a place and a body ending', () => {
    const x = extractText('t', '湖州市统计局发布数据。随后，余杭住建委和福建省财政厅也作出回应。');
    const names = allNames(x, 'Agency');
    expect(names).toContain('湖州市统计局');
    expect(names).toContain('余杭住建委');
    expect(names).toContain('福建省财政厅');
  });

  it('links a bare 省政府 to the one full provincial government in the article', () => {
    const x = extractText('t', '江西省政府召开常务会议。会后，省政府发出通知。');
    expect(namesOf(x, 'Agency')).toEqual([['江西省政府', '省政府']]);
  });

  it('finds a department of a known ministry', () => {
    const x = extractText('t', '财政部预算司司长李明在会上介绍情况。');
    expect(allNames(x, 'Agency')).toContain('财政部预算司');
  });

  it('does not take media, universities or a bare place for an agency', () => {
    const x = extractText('t', '新华社报道，清华大学的学者在江苏调研。');
    expect(namesOf(x, 'Agency')).toEqual([]);
  });

  it('does not read a deputy of a congress as the congress acting', () => {
    const x = extractText('t', '全国人大代表王伟说，要加快发展。');
    expect(allNames(x, 'Agency').has('全国人大')).toBe(false);
  });
});
