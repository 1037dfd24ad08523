import { describe, expect, it } from 'vitest';
import { fromRows } from './sparse.js';
import { lineCase } from './testing.js';
import { projectTransitions, velocityEmbedding } from './velocity-embedding.js';
import { velocityGraph } from './velocity-graph.js';

/** The embedding of lineCase: cell i at (i, 0). */
function lineEmbedding(n: number): { values: Float64Array; nRows: number; nCols: number } {
  return { values: Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : 0)), nRows: n, nCols: 2 };
}

describe('velocityEmbedding', () => {
  it('velocities along the line project to (+1, 0) inside it; reversed to (−1, 0)', () => {
    const n = 10;
    for (const sign of [1, -1]) {
      const { X, V, neighbors } = lineCase(n, sign);
      const ve = velocityEmbedding(velocityGraph(X, V, neighbors), lineEmbedding(n));
      // interior cells: weights ±expm1(10) / (4 expm1(10)) on the unit steps ±1, their mean 0.
      for (let i = 2; i < n - 2; i++) {
        expect(ve[2 * i]).toBeCloseTo(sign, 12);
        expect(ve[2 * i + 1]).toBeCloseTo(0, 12);
      }
      // next to the ends: weights −1/3, 1/3, 1/3 on steps −1, 1, 1 (times the sign), minus their mean 1/9 · 1
      expect(ve[2]).toBeCloseTo(sign * (8 / 9), 12);
      // at the ends every neighbour lies on one side: the uniform-weights mean cancels it all
      expect(ve[0]).toBeCloseTo(0, 12);
      expect(ve[2 * (n - 1)]).toBeCloseTo(0, 12);
    }
  });

  it('subtracts the uniform-weights mean of the unit displacements', () => {
    // cell 0 at the origin, neighbours at (1, 0) and (0, 2) with weights 0.75 / 0.25.
    const t = fromRows([[[1, 0.75], [2, 0.25]], [], []], 3);
    const ve = projectTransitions(t, { values: Float64Array.from([0, 0, 1, 0, 0, 2]), nRows: 3, nCols: 2 });
    // 0.75 (1, 0) + 0.25 (0, 1) − 0.5 ((1, 0) + (0, 1)) = (0.25, −0.25)
    expect(ve[0]).toBeCloseTo(0.25, 15);
    expect(ve[1]).toBeCloseTo(-0.25, 15);
    expect(Array.from(ve.subarray(2))).toEqual([0, 0, 0, 0]);
  });

  it('ignores the diagonal and zero-length displacements', () => {
    const t = fromRows([[[0, 0.5], [1, 0.3], [2, 0.2]], [], []], 3);
    const ve = projectTransitions(t, { values: Float64Array.from([0, 0, 0, 0, 3, 4]), nRows: 3, nCols: 2 });
    // entries j = 1 (same place: unit step 0) and j = 2 (unit step (0.6, 0.8)); mean weight 0.25.
    expect(ve[0]).toBeCloseTo(0.2 * 0.6 - 0.25 * 0.6, 15);
    expect(ve[1]).toBeCloseTo(0.2 * 0.8 - 0.25 * 0.8, 15);
  });
});
