import { ArticleRef, CompanyRef, ListingRef, StockRef } from '../refs.js';
import { loadArticles, loadEntity } from '../resolve.js';

ListingRef.implement({
  description: 'A company is listed as a stock.',
  fields: (t) => ({
    company: t.field({ type: CompanyRef, resolve: (r, _, ctx) => loadEntity(ctx, r.fromId) }),
    stock: t.field({ type: StockRef, resolve: (r, _, ctx) => loadEntity(ctx, r.toId) }),
    articles: t.field({ type: [ArticleRef], resolve: (r, _, ctx) => loadArticles(ctx, r.articleIds) }),
  }),
});
