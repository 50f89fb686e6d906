/**
 * Page sizes. A `first` above the maximum is refused, not silently clamped, so a client
 * asking for 100000 rows learns at once that it will not get them.
 */
import { badInput } from './errors.js';

export const MAX_FIRST = 100;

export function pageSize(first: number | null | undefined, defaultSize: number, max = MAX_FIRST): number {
  if (first == null) return defaultSize;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw badInput(`"first" must be between 0 and ${max}, got ${first}`, { argument: 'first', max });
  }
  return first;
}

/** Validates the Relay connection arguments before Pothos's helpers (which would clamp) see them. */
export function checkConnectionArgs(args: { first?: number | null; last?: number | null }): void {
  pageSize(args.first, 0);
  if (args.last != null) {
    if (!Number.isInteger(args.last) || args.last < 0 || args.last > MAX_FIRST) {
      throw badInput(`"last" must be between 0 and ${MAX_FIRST}, got ${args.last}`, {
        argument: 'last',
        max: MAX_FIRST,
      });
    }
  }
}
