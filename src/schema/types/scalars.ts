import { builder } from '../builder.js';
import { badInput } from '../errors.js';

builder.scalarType('DateTime', {
  description: 'An instant in ISO-8601 form, e.g. 2022-03-17T12:00:41.000Z',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => {
    const d = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(d.getTime())) {
      throw badInput(`DateTime must be an ISO-8601 string, got ${JSON.stringify(value)}`);
    }
    return d;
  },
});
