import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { type LinkedCompany as LinkedCompanyRow, policiesByName } from '../../db/policies-read.js';
import { builder } from '../builder.js';
import { entityByName } from '../entity-node.js';
import { checkConnectionArgs, pageSize } from '../paging.js';
import { ArticleRef, CompanyRef, IssuedRef, PolicyRef } from '../refs.js';
import { loadArticles, loadEntity } from '../resolve.js';
import { LinkScopeEnum } from './enums.js';

const LinkedCompany = builder.objectRef<LinkedCompanyRow>('LinkedCompany').implement({
  description: 'A company mentioned close to a policy, with the strength of the link and the sentences that show it.',
  fields: (t) => ({
    company: t.field({ type: CompanyRef, resolve: (l, _, ctx) => loadEntity(ctx, l.companyId) }),
    score: t.exposeInt('score', {
      description: 'Shared units at the requested scope (articles, paragraphs or sentences).',
    }),
    articles: t.field({
      type: [ArticleRef],
      description: 'The articles linking them.',
      resolve: async (l, _, ctx) =>
        loadArticles(
          ctx,
          await ctx.loaders.linkArticles.load({ policyId: l.policyId, companyId: l.companyId, scope: l.scope }),
        ),
    }),
    evidence: t.exposeStringList('evidence', {
      description:
        'Sentences from the shared units that mention the policy or the company (at most 10); at ARTICLE scope, the company’s own sentences.',
    }),
  }),
});

builder.objectFields(PolicyRef, (t) => ({
  issuedBy: t.field({
    type: [IssuedRef],
    description: 'Agencies reported to have issued it.',
    resolve: (p, _, ctx) => ctx.loaders.relations('ISSUED', 'to').load(p.id),
  }),
  linkedCompanies: t.field({
    type: [LinkedCompany],
    description: 'Companies mentioned together with this policy, strongest first.',
    args: {
      scope: t.arg({ type: LinkScopeEnum, required: false, defaultValue: 'PARAGRAPH' }),
      first: t.arg.int({ required: false, description: 'at most 100; default 20' }),
    },
    resolve: async (p, args, ctx) => {
      return ctx.loaders.linkedCompanies(args.scope ?? 'PARAGRAPH', pageSize(args.first, 20)).load(p.id);
    },
  }),
}));

builder.queryFields((t) => ({
  policy: t.field({
    type: PolicyRef,
    nullable: true,
    description: 'A policy by its name or a short reference, or null.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_, { name }, ctx) => entityByName(ctx, 'Policy', name),
  }),
  policies: t.connection({
    type: PolicyRef,
    description:
      'Policies whose name or alias contains the text, most-reported first; `first` at most 100, default 20.',
    args: { nameContains: t.arg.string({ required: false }) },
    resolve: (_, args, ctx) => {
      checkConnectionArgs(args);
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, async ({ offset, limit }) => {
        const rows = await policiesByName(ctx.reader, {
          nameContains: args.nameContains?.trim() || null,
          offset,
          limit,
        });
        for (const row of rows) ctx.loaders.entityById.prime(row.id, row);
        return rows;
      });
    },
  }),
}));
