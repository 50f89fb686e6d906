import { ArticleRef, EntityRef, PersonRef, RoleRef } from '../refs.js';
import { loadArticles, loadEntity } from '../resolve.js';

RoleRef.implement({
  description: 'A person holds a title at an agency or company.',
  fields: (t) => ({
    person: t.field({ type: PersonRef, resolve: (r, _, ctx) => loadEntity(ctx, r.fromId) }),
    organization: t.field({
      type: EntityRef,
      description: 'an Agency or a Company',
      resolve: (r, _, ctx) => loadEntity(ctx, r.toId),
    }),
    title: t.exposeString('title', { nullable: true, description: 'e.g. 总工程师' }),
    evidence: t.exposeStringList('evidence'),
    articles: t.field({ type: [ArticleRef], resolve: (r, _, ctx) => loadArticles(ctx, r.articleIds) }),
  }),
});
