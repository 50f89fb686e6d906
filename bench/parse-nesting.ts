/**
 * Parse time of the worst page the nesting limit allows (every block nested to MAX_NESTING_DEPTH - 1)
 * next to flat HTML of the same size: parsing must stay linear in input size.
 * Run: npx tsx bench/parse-nesting.ts
 */
import { MAX_NESTING_DEPTH, parseArticle } from '../src/ingest/parse.js';

const deep = `${'<div>'.repeat(MAX_NESTING_DEPTH - 1)}<p>深度测试文本。</p>${'</div>'.repeat(MAX_NESTING_DEPTH - 1)}`;
const flat = '<p>中小企业数字化转型专项资金拨付情况一览，单位：万元。</p>\n';

function timeParse(block: string, mb: number): number {
  const raw = `---\ntitle: t\ndate: 2024-01-01\n---\n${block.repeat(Math.floor((mb * 1048576) / Buffer.byteLength(block)))}`;
  const started = performance.now();
  parseArticle(raw, 'bench.md');
  return performance.now() - started;
}

timeParse(deep, 0.25); // warm up the JIT
console.log(`nesting limit ${MAX_NESTING_DEPTH}`);
console.log('size   deepest allowed   flat HTML');
for (const mb of [1, 2, 4, 8]) {
  const d = timeParse(deep, mb);
  const f = timeParse(flat, mb);
  console.log(
    `${String(mb).padStart(2)} MB   ${(d / 1000).toFixed(2).padStart(8)} s   ${(f / 1000).toFixed(2).padStart(8)} s`,
  );
}
