/**
 * Where an ingest's database time goes: writes N generated articles in batches, sequentially
 * (no extraction overlap), into a throw-away embedded Neo4j, timing each write statement.
 *
 *   npx tsx bench/write-statements.ts [--articles 2000] [--batch-size 200]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ManagedTransaction } from 'neo4j-driver';
import { writeArticlesTx } from '../src/db/articles-write.js';
import type { ArticleRecord } from '../src/graph/record.js';
import { prepare } from '../src/ingest/article.js';
import { collectArticleFiles } from '../src/ingest/files.js';
import { withEmptyNeo4j } from './bench-neo4j.js';
import { defaultSource, makeCorpus } from './make-corpus.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    'batch-size': { type: 'string', default: '200' },
  },
});
const n = Number(values.articles);
const batchSize = Number(values['batch-size']);
const corpusDir = join(process.cwd(), 'bench', 'out', `corpus-${n}`);
makeCorpus({ articles: n, seed: Number(values.seed), source: defaultSource(), out: corpusDir });
const { files } = await collectArticleFiles([corpusDir]);
const records: ArticleRecord[] = [];
for (const f of files) records.push((await prepare(f)).record);

await withEmptyNeo4j(async (db) => {
  const byStatement = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < records.length; i += batchSize) {
    const session = db.driver.session({ database: db.database });
    try {
      await session.executeWrite((tx) => {
        // the statement's first line after UNWIND names it well enough
        const timed = {
          run: async (cypher: string, params: Record<string, unknown>) => {
            const name = cypher.trim().split('\n').slice(0, 2).join(' ').slice(0, 70);
            const t = performance.now();
            const res = await tx.run(cypher, params);
            byStatement.set(name, (byStatement.get(name) ?? 0) + performance.now() - t);
            return res;
          },
        } as unknown as ManagedTransaction;
        return writeArticlesTx(timed, records.slice(i, i + batchSize));
      });
    } finally {
      await session.close();
    }
  }
  const total = performance.now() - started;
  console.log(
    `${records.length} articles written in ${(total / 1000).toFixed(2)} s (${(total / records.length).toFixed(2)} ms per article, commits included)`,
  );
  for (const [name, ms] of [...byStatement].sort((a, b) => b[1] - a[1]))
    console.log(`${(ms / 1000).toFixed(2).padStart(7)} s  ${name}`);
});
