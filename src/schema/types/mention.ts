import { builder } from '../builder.js';
import { ArticleRef, EntityRef, MentionRef } from '../refs.js';
import { loadEntity } from '../resolve.js';

MentionRef.implement({
  description: 'An article mentioning an entity: how often, and the sentences where.',
  fields: (t) => ({
    entity: t.field({ type: EntityRef, resolve: (m, _, ctx) => loadEntity(ctx, m.entityId) }),
    article: t.field({
      type: ArticleRef,
      resolve: async (m, _, ctx) => {
        const a = await ctx.loaders.articleById.load(m.articleId);
        if (!a) throw new Error(`article ${m.articleId} of a mention is missing`);
        return a;
      },
    }),
    count: t.exposeInt('count'),
    evidence: t.exposeStringList('evidence', { description: 'Up to 5 sentences that mention the entity.' }),
    paragraphIndexes: t.exposeIntList('paragraphs', {
      description: 'Indexes into Article.paragraphs (-1 = the title).',
    }),
    sentenceIndexes: t.exposeIntList('sentences', { description: 'Indexes into Article.sentences (-1 = the title).' }),
  }),
});

void builder;
