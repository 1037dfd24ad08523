import { describe, expect, it } from 'vitest';

import { describeDuplicates, duplicateNames, makeUnique } from './make-unique.js';

describe('makeUnique', () => {
  it("suffixes repeats '-1', '-2', … in order, skipping names that exist (anndata's make_index_unique)", () => {
    expect(makeUnique(['a', 'b', 'a', 'a', 'b'])).toEqual(['a', 'b', 'a-1', 'a-2', 'b-1']);
    expect(makeUnique(['a', 'a', 'a-1'])).toEqual(['a', 'a-2', 'a-1']);
    expect(makeUnique(['x', 'y'])).toEqual(['x', 'y']);
  });

  it('lists duplicates with counts, shortened', () => {
    const dups = duplicateNames(['a', 'b', 'a', 'c', 'c', 'c']);
    expect(dups).toEqual([['a', 2], ['c', 3]]);
    expect(describeDuplicates(dups, 1)).toBe("'a' ×2 and 1 more");
  });
});
