/** Mutations, all behind the API key: ingest one article, delete one article. */
import { basename } from 'node:path';
import type { ArticleRecord, EntityRecord, RelationRecord } from '../../graph/record.js';
import { identify, MAX_ARTICLE_BYTES, type PreparedArticle } from '../../ingest/article.js';
import { ArticleParseError } from '../../ingest/parse.js';
import { prepareOffThread } from '../../ingest/pool.js';
import { removeArticle, storeArticle } from '../../ingest/store.js';
import { requireApiKey } from '../auth.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { articleIdCandidates } from '../ids.js';
import { ArticleRef } from '../refs.js';
import { foundOrThrow } from '../resolve.js';
import { EntityTypeEnum } from './enums.js';

const ExtractedEntity = builder.objectRef<EntityRecord>('ExtractedEntity').implement({
  fields: (t) => ({
    type: t.field({ type: EntityTypeEnum, resolve: (e) => e.type }),
    name: t.exposeString('name'),
    aliases: t.exposeStringList('aliases'),
    count: t.exposeInt('count'),
    evidence: t.exposeStringList('evidence'),
  }),
});

/** A relation as extracted, with its ends as names (refs are `Type:normalised name`). */
const ExtractedRelation = builder.objectRef<RelationRecord>('ExtractedRelation').implement({
  fields: (t) => ({
    from: t.string({ resolve: (r) => r.from.slice(r.from.indexOf(':') + 1) }),
    to: t.string({ resolve: (r) => r.to.slice(r.to.indexOf(':') + 1) }),
    title: t.string({ nullable: true, resolve: (r) => r.title ?? null }),
    evidence: t.exposeString('evidence', { nullable: true }),
  }),
});

const Extracted = builder.objectRef<ArticleRecord>('Extracted').implement({
  description: 'What the extractor found in the article.',
  fields: (t) => ({
    entities: t.field({ type: [ExtractedEntity], resolve: (r) => r.entities }),
    issued: t.field({ type: [ExtractedRelation], description: 'agency -> policy', resolve: (r) => r.issued }),
    roles: t.field({
      type: [ExtractedRelation],
      description: 'person -> organisation, with title',
      resolve: (r) => r.roles,
    }),
    listings: t.field({ type: [ExtractedRelation], description: 'company -> stock code', resolve: (r) => r.listings }),
    extractorVersion: t.exposeString('extractorVersion'),
  }),
});

const IngestPayload = builder.objectRef<PreparedArticle & { created: boolean }>('IngestArticlePayload').implement({
  fields: (t) => ({
    article: t.field({
      type: ArticleRef,
      resolve: async (p, _, ctx) => {
        const a = await ctx.loaders.articleById.load(p.record.id);
        if (!a) throw new Error(`article ${p.record.id} missing right after it was written`);
        return a;
      },
    }),
    created: t.exposeBoolean('created', { description: 'false when an article with this id was replaced' }),
    extracted: t.field({ type: Extracted, resolve: (p) => p.record }),
    warnings: t.exposeStringList('warnings', {
      description: 'problems that did not cost the article, e.g. an unparseable date (the article is stored undated)',
    }),
  }),
});

const DeletePayload = builder.objectRef<{ id: string }>('DeleteArticlePayload').implement({
  fields: (t) => ({ articleId: t.exposeString('id') }),
});

function checkFilename(filename: string): string {
  const name = basename(filename.trim());
  if (!/^.+\.md$/i.test(name))
    throw badInput('`filename` must be a file name ending in .md; the article id is the name without .md', {
      argument: 'filename',
    });
  return name;
}

builder.mutationType({});

builder.mutationFields((t) => ({
  ingestArticle: t.field({
    type: IngestPayload,
    description: 'Parses, extracts and stores one article (replacing one with the same id). Needs the API key.',
    args: {
      markdown: t.arg.string({ required: true, description: 'the file content: YAML front matter + Sina HTML body' }),
      filename: t.arg.string({ required: true, description: 'e.g. my-article.md; the id is the name without .md' }),
    },
    resolve: async (_, { markdown, filename }, ctx) => {
      requireApiKey(ctx);
      const name = checkFilename(filename);
      // Decoding and parsing a request of megabytes ran in one go up to here: let other requests have a turn.
      await new Promise((resolve) => setImmediate(resolve));
      if (Buffer.byteLength(markdown, 'utf8') > MAX_ARTICLE_BYTES)
        throw badInput(`\`markdown\` is over the ${MAX_ARTICLE_BYTES / 1048576} MiB limit`, { argument: 'markdown' });
      // The request body is decoded leniently, so bytes that were not UTF-8 (a GBK file) arrive as U+FFFD.
      if (markdown.includes('\uFFFD'))
        throw badInput('`markdown` is not valid UTF-8 text (was the file GBK-encoded? convert it to UTF-8)', {
          argument: 'markdown',
        });
      let prepared: PreparedArticle;
      try {
        // The ingest job's steps for one article, in the worker pool: a big page takes seconds to parse,
        // which on this thread would hold up every other request.
        prepared = await prepareOffThread(identify(markdown, name));
      } catch (err) {
        if (err instanceof ArticleParseError)
          throw badInput(`cannot parse ${name}: ${err.reason}`, { argument: 'markdown' });
        throw err;
      }
      const { created } = await storeArticle(ctx.db, prepared.record, ctx.bookmarks.manager);
      ctx.loaders.articleById.clear(prepared.record.id);
      return { ...prepared, created };
    },
  }),
  deleteArticle: t.field({
    type: DeletePayload,
    description: 'Deletes an article and the entities only it mentioned. Needs the API key.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, args, ctx) => {
      requireApiKey(ctx);
      const id = await storedArticleId(ctx, String(args.id));
      if (!(await removeArticle(ctx.db, id, ctx.bookmarks.manager)))
        throw notFound(`no article with id ${JSON.stringify(id)}`);
      ctx.loaders.articleById.clear(id);
      return { id };
    },
  }),
}));

/**
 * The stored article an id argument names. Deleting is not undone, so an argument that names two
 * stored articles (one's file name is the other's global ID) is refused, not guessed.
 */
async function storedArticleId(ctx: Context, arg: string): Promise<string> {
  const candidates = articleIdCandidates(arg);
  const rows = foundOrThrow(await ctx.loaders.articleById.loadMany(candidates));
  const stored = candidates.filter((_, i) => rows[i]);
  if (stored.length > 1) {
    const [plain, decoded] = stored;
    throw badInput(
      `"id" names two stored articles: ${JSON.stringify(plain)}, and ${JSON.stringify(decoded)} through its global ID; give the global ID of the first or the id of the second`,
      { argument: 'id' },
    );
  }
  return stored[0] ?? candidates[0];
}
