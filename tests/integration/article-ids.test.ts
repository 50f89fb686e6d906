/**
 * Article ids are file names, and a file may be named like another article's global ID: each
 * article stays reachable by its own id, and a delete never removes the other one.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/neo4j/driver.js';
import { EXAMPLES_DIR, openTestDatabase, resetGraph, startTestServer, type TestServer } from './helpers.js';

const KEY = 'test-key-ids-0123456789';
const INGEST =
  'mutation($markdown: String!, $filename: String!) { ingestArticle(markdown: $markdown, filename: $filename) { created } }';
const ARTICLE = 'query($id: ID!) { article(id: $id) { articleId title } }';
const DELETE = 'mutation($id: ID!) { deleteArticle(id: $id) { articleId } }';

describe('an article named like another article’s global ID', () => {
  let db: Database;
  let server: TestServer;
  const auth = { 'x-api-key': KEY };
  const original = 'ng-03-catl-battery';
  const lookalike = encodeGlobalID('Article', original);

  beforeAll(async () => {
    db = await openTestDatabase();
    await resetGraph(db);
    server = await startTestServer(db, { NEWSGRAPH_API_KEY: KEY, NEWSGRAPH_RESPONSE_CACHE_MB: '0' });
    const markdown = readFileSync(join(EXAMPLES_DIR, `${original}.md`), 'utf8');
    for (const [name, title] of [
      [original, '原文'],
      [lookalike, '同名文件'],
    ]) {
      const res = await server.gql(
        INGEST,
        { markdown: markdown.replace(/^title: .*$/m, `title: '${title}'`), filename: `${name}.md` },
        auth,
      );
      expect(res.body.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  it('each is reachable by its own id; the global ID of the first still finds it', async () => {
    expect((await server.gql(ARTICLE, { id: lookalike })).body.data.article).toEqual({
      articleId: lookalike,
      title: '同名文件',
    });
    expect((await server.gql(ARTICLE, { id: original })).body.data.article).toEqual({
      articleId: original,
      title: '原文',
    });
  });

  it('a delete that could mean either is refused and deletes nothing; each can be deleted unambiguously', async () => {
    const refused = await server.gql(DELETE, { id: lookalike }, auth);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/names two stored articles/);
    expect((await server.gql(ARTICLE, { id: original })).body.data.article).not.toBeNull();

    const byGlobalId = await server.gql(DELETE, { id: encodeGlobalID('Article', lookalike) }, auth);
    expect(byGlobalId.body.data?.deleteArticle).toEqual({ articleId: lookalike });
    expect((await server.gql(ARTICLE, { id: original })).body.data.article).toEqual({
      articleId: original,
      title: '原文',
    });
    expect((await server.gql(DELETE, { id: original }, auth)).body.data?.deleteArticle).toEqual({
      articleId: original,
    });
  });
});
