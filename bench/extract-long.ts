/**
 * Extraction time of one long article at growing sizes (parse + extract + record, one thread):
 * it must grow linearly with the text, since ingestArticle accepts articles of up to 8 MiB.
 * The text repeats a paragraph naming an agency, a policy, companies and a person in every sentence,
 * the densest case for the per-sentence and per-pair steps.
 * Run: npx tsx bench/extract-long.ts
 */
import { identify, toRecord } from '../src/ingest/article.js';

const paragraph =
  '<p>　　国家统计局发布数据显示，工信部表示将推动中小企业降低数字化门槛，京东工业品和联想集团参与了这一行动。分析师张伟认为，快手的投入也在增加。</p>\n';

function timeExtract(mb: number): { ms: number; entities: number } {
  const body = paragraph.repeat(Math.ceil((mb * 1048576) / Buffer.byteLength(paragraph)));
  const raw = `---\ntitle: '很长的文章'\ndate: 2022-03-18T08:00:00+08:00\n---\n${body}`;
  const started = performance.now();
  const { record } = toRecord(identify(raw, `long-${mb}.md`));
  return { ms: performance.now() - started, entities: record.entities.length };
}

timeExtract(0.25); // warm up the JIT, the tagger model and jieba's dictionary
console.log('size     time     per MB   entities');
for (const mb of [0.5, 1, 2, 4]) {
  const { ms, entities } = timeExtract(mb);
  console.log(
    `${String(mb).padStart(3)} MB ${(ms / 1000).toFixed(2).padStart(6)} s ${(ms / 1000 / mb).toFixed(2).padStart(6)} s ${String(entities).padStart(8)}`,
  );
}
