import { builder } from '../builder.js';
import { entityByName } from '../entity-node.js';
import { AgencyRef, IssuedRef, RoleRef } from '../refs.js';

builder.objectFields(AgencyRef, (t) => ({
  issued: t.field({
    type: [IssuedRef],
    description: 'Policies it issued, most reported first.',
    resolve: (a, _, ctx) => ctx.loaders.relations('ISSUED', 'from').load(a.id),
  }),
  people: t.field({
    type: [RoleRef],
    description: 'People holding titles here.',
    resolve: (a, _, ctx) => ctx.loaders.relations('HOLDS_ROLE', 'to').load(a.id),
  }),
}));

builder.queryFields((t) => ({
  agency: t.field({
    type: AgencyRef,
    nullable: true,
    description: 'An agency by its name or any alias (工信部 and 工业和信息化部 find the same agency), or null.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_, { name }, ctx) => entityByName(ctx, 'Agency', name),
  }),
}));
