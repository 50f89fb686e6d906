import { builder } from '../builder.js';
import { entityByName } from '../entity-node.js';
import { CompanyRef, ListingRef, RoleRef } from '../refs.js';

builder.objectFields(CompanyRef, (t) => ({
  stocks: t.field({
    type: [ListingRef],
    description: 'Its listings.',
    resolve: (c, _, ctx) => ctx.loaders.relations('LISTED_AS', 'from').load(c.id),
  }),
  people: t.field({
    type: [RoleRef],
    description: 'People holding titles here.',
    resolve: (c, _, ctx) => ctx.loaders.relations('HOLDS_ROLE', 'to').load(c.id),
  }),
}));

builder.queryFields((t) => ({
  company: t.field({
    type: CompanyRef,
    nullable: true,
    description: 'A company by its name or any alias (exact, after normalising width and spaces), or null.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_, { name }, ctx) => entityByName(ctx, 'Company', name),
  }),
}));
