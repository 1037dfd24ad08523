import { describe, expect, it } from 'vitest';
import { averageRanks, perGeneMse, quantile, quartiles, spearman } from './stats.js';

describe('stats', () => {
  it('average ranks for ties (scipy rankdata)', () => {
    expect(Array.from(averageRanks([10, 20, 10, 30, 20]))).toEqual([1.5, 3.5, 1.5, 5, 3.5]);
  });

  it('spearman: monotone 1, reversed −1, ties as scipy.stats.spearmanr', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 1e4])).toBeCloseTo(1, 15);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
    // scipy.stats.spearmanr([0.1, 0.4, 0.35, 0.8, 0.9, 0.7], [0, 1, 1, 2, 2, 2]).statistic = 0.9258200997725515
    expect(spearman([0.1, 0.4, 0.35, 0.8, 0.9, 0.7], [0, 1, 1, 2, 2, 2])).toBeCloseTo(0.9258200997725515, 12);
  });

  it('quantiles as numpy (linear)', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([3, 1, 2, 4], 0.25)).toBe(1.75);
    expect(quartiles([1, 2, 3, 4, 5])).toEqual({ q25: 2, median: 3, q75: 4, mean: 3 });
  });

  it('per-gene mean squared error', () => {
    const fit = { values: Float64Array.from([0, 1, 1, 1]), nRows: 2, nCols: 2 };
    const obs = { values: Float64Array.from([1, 1, 1, 3]), nRows: 2, nCols: 2 };
    expect(Array.from(perGeneMse(fit, obs))).toEqual([0.5, 2]);
    expect(() => perGeneMse(fit, { values: new Float64Array(2), nRows: 1, nCols: 2 })).toThrow(/same shape/);
  });
});
