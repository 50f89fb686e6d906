/**
 * The one Pothos builder; type modules add to it, `index.ts` turns it into the schema.
 * Batching is per request in src/loaders (ctx.loaders), shared by resolvers and Relay `loadMany`.
 */
import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
  },
});
