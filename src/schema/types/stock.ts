import { builder } from '../builder.js';
import { badInput } from '../errors.js';
import { ListingRef, StockRef } from '../refs.js';
import { ExchangeEnum, exchangeOf } from './enums.js';

builder.objectFields(StockRef, (t) => ({
  code: t.string({
    description: 'exchange prefix + code, e.g. sz300959, hk00700',
    resolve: (s) => s.code ?? s.canonicalName,
  }),
  shortName: t.exposeString('shortName', { nullable: true }),
  exchange: t.field({ type: ExchangeEnum, resolve: (s) => exchangeOf(s.code ?? s.canonicalName) }),
  listedBy: t.field({
    type: [ListingRef],
    description: 'Companies listed as this stock.',
    resolve: (s, _, ctx) => ctx.loaders.relations('LISTED_AS', 'to').load(s.id),
  }),
}));

builder.queryFields((t) => ({
  stock: t.field({
    type: StockRef,
    nullable: true,
    description: 'A stock by code (sz300959, or SZ300959), or null.',
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_, { code }, ctx) => {
      const normalised = code.trim().toLowerCase();
      if (!normalised) throw badInput('`code` must not be empty', { argument: 'code' });
      const id = await ctx.loaders.stockIdByCode.load(normalised);
      return id ? ctx.loaders.entityById.load(id) : null;
    },
  }),
}));
