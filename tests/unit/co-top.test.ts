/**
 * The strongest-co-mentions list (no database): random gains and losses applied to a stored list,
 * with a ranking of all partners whenever updateTop asks for one, always equal a ranking from scratch.
 */
import { describe, expect, it } from 'vitest';
import { emptyTop, type PartnerChange, rankTop, TOP_PARTNERS, updateTop } from '../../src/db/co-top.js';
import { mulberry32 } from '../../src/prng.js';

describe('strongest co-mentions of an entity', () => {
  it('ranks by shared articles, then by id, and keeps at most TOP_PARTNERS', () => {
    const top = rankTop([
      ['b', 2],
      ['a', 2],
      ['c', 5],
      ['d', 0],
    ]);
    expect(top).toEqual({ ids: ['c', 'a', 'b'], articles: [5, 2, 2] });
    const many = rankTop(Array.from({ length: TOP_PARTNERS + 10 }, (_, i) => [`p${i}`, i + 1] as [string, number]));
    expect(many.ids).toHaveLength(TOP_PARTNERS);
    expect(many.articles[0]).toBe(TOP_PARTNERS + 10);
  });

  it('asks for a re-ranking only when a full list loses articles of a listed partner', () => {
    const full = rankTop(Array.from({ length: TOP_PARTNERS }, (_, i) => [`p${i}`, 10] as [string, number]));
    expect(updateTop(full, [{ partner: 'p3', before: 10, after: 9 }])).toBeNull();
    expect(updateTop(full, [{ partner: 'outsider', before: 4, after: 3 }])).toEqual(full);
    const short = rankTop([
      ['a', 3],
      ['b', 2],
    ]);
    expect(updateTop(short, [{ partner: 'a', before: 3, after: 0 }])).toEqual({ ids: ['b'], articles: [2] });
  });

  it.each([1, 2, 3, 4, 5])('equals a ranking from scratch after random changes (seed %i)', (seed) => {
    const rand = mulberry32(seed);
    const counts = new Map<string, number>();
    let stored = emptyTop();
    let reranked = 0;
    for (let round = 0; round < 300; round++) {
      const changes: PartnerChange[] = [];
      for (let k = 0; k < 1 + Math.floor(rand() * 20); k++) {
        const partner = `e${Math.floor(rand() * (TOP_PARTNERS * 1.5))}`;
        if (changes.some((c) => c.partner === partner)) continue;
        const before = counts.get(partner) ?? 0;
        // mostly gains (ingest), sometimes losses and removals (changed or deleted articles)
        const after = Math.max(0, before + (rand() < 0.8 ? 1 + Math.floor(rand() * 3) : -1 - Math.floor(rand() * 3)));
        changes.push({ partner, before, after });
        counts.set(partner, after);
      }
      const next = updateTop(stored, changes);
      if (next === null) reranked++;
      stored = next ?? rankTop(counts);
      expect(stored).toEqual(rankTop(counts));
    }
    expect(reranked).toBeGreaterThan(0);
    expect(reranked).toBeLessThan(300);
  });
});
