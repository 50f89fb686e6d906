import { AgencyRef, ArticleRef, IssuedRef, PolicyRef } from '../refs.js';
import { loadArticles, loadEntity } from '../resolve.js';

IssuedRef.implement({
  description: 'An agency issued (published, launched, announced) a policy, as articles report it.',
  fields: (t) => ({
    agency: t.field({ type: AgencyRef, resolve: (r, _, ctx) => loadEntity(ctx, r.fromId) }),
    policy: t.field({ type: PolicyRef, resolve: (r, _, ctx) => loadEntity(ctx, r.toId) }),
    evidence: t.exposeStringList('evidence', { description: 'Sentences that say so (at most 5).' }),
    articles: t.field({
      type: [ArticleRef],
      description: 'The articles reporting it.',
      resolve: (r, _, ctx) => loadArticles(ctx, r.articleIds),
    }),
  }),
});
