import { builder } from '../builder.js';
import { entityByName } from '../entity-node.js';
import { PersonRef, RoleRef } from '../refs.js';

builder.objectFields(PersonRef, (t) => ({
  roles: t.field({
    type: [RoleRef],
    description: 'Titles this person holds.',
    resolve: (p, _, ctx) => ctx.loaders.relations('HOLDS_ROLE', 'from').load(p.id),
  }),
}));

builder.queryFields((t) => ({
  person: t.field({
    type: PersonRef,
    nullable: true,
    description: 'A person by name, or null.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_, { name }, ctx) => entityByName(ctx, 'Person', name),
  }),
}));
