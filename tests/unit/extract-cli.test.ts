import { describe, expect, it } from 'vitest';
import { extractLine, extractStream } from '../../src/cli/commands/extract.js';

describe('newsgraph extract', () => {
  it('extracts from plain text', () => {
    const out = extractLine(JSON.stringify({ id: 'x1', text: '商务部印发《外贸促进方案》。' }));
    expect(out.error).toBeUndefined();
    expect(out.entities).toContainEqual({ type: 'Agency', name: '商务部', aliases: [] });
    expect(out.issued).toEqual([{ agency: '商务部', policy: '外贸促进方案' }]);
  });

  it('extracts from a whole markdown article with stock hints', () => {
    const md = '---\ntitle: 测试\n---\n<p>推动<span id="stock_sz300959"><a>线上线下</a></span>连接。</p>';
    const out = extractLine(JSON.stringify({ id: 'm1', markdown: md }));
    expect(out.entities).toContainEqual({ type: 'Stock', name: 'sz300959', aliases: ['线上线下'] });
  });

  it('reports bad lines and goes on', async () => {
    async function* lines() {
      yield 'not json';
      yield '';
      yield JSON.stringify({ id: 2 });
      yield JSON.stringify({ id: 3, text: '工信部表示。' });
    }
    const written: string[] = [];
    const failed = await extractStream(lines(), (s) => written.push(s));
    expect(failed).toBe(2);
    const outs = written.map((l) => JSON.parse(l));
    expect(outs).toHaveLength(3);
    expect(outs[0].error).toMatch(/not JSON/);
    expect(outs[1]).toMatchObject({ id: 2, error: expect.any(String) });
    expect(outs[2].entities[0].name).toBe('工业和信息化部');
  });
});
