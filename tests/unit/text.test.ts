import { describe, expect, it } from 'vitest';
import { nameKey, toHalfWidth } from '../../src/graph/vocabulary.js';
import { cleanText, splitSentences } from '../../src/ingest/text.js';

describe('text helpers', () => {
  it('splits at Chinese sentence ends and keeps closing quotes with their sentence', () => {
    expect(splitSentences('“我们将推进计划。”他说。真的吗？是的！没有结尾')).toEqual([
      '“我们将推进计划。”',
      '他说。',
      '真的吗？',
      '是的！',
      '没有结尾',
    ]);
  });

  it('normalises width, spaces and invisible characters', () => {
    expect(toHalfWidth('ＡＢＣ１２３')).toBe('ABC123');
    expect(cleanText('\u3000\u3000正文\u200b内容  \n 继续')).toBe('正文内容 继续');
    expect(nameKey('５Ｇ ＋工业互联网')).toBe(nameKey('5G+工业互联网'));
  });
});
