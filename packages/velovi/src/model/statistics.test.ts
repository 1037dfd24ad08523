// The statistics of get_directional_uncertainty and get_permutation_scores against numpy / scipy
// (values from numpy 2.4 / scipy 1.17, printed by:
//   python3 -c "import numpy as np; from scipy.stats import ttest_ind; ..."
// with the inputs below) and against their definitions.
import { describe, expect, it } from 'vitest';
import { centredCosine, directionalStatistics, percentile, tTestStatistic, variance } from '../index.js';

describe('statistics', () => {
  it("numpy's percentile (linear) and variance (ddof 0)", () => {
    const a = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(percentile(a, 95)).toBeCloseTo(7.949999999999998, 12);
    expect(percentile(a, 5)).toBeCloseTo(1.0, 12);
    expect(percentile(a, 50)).toBeCloseTo(3.5, 12);
    expect(variance(a)).toBeCloseTo(6.609375, 12);
  });

  it("scipy's ttest_ind statistic (pooled variance), with its NaN / infinity cases", () => {
    expect(tTestStatistic([0.3, 1.2, 0.8, 2.5, 1.1], [0.2, 0.4, 0.1, 0.9])).toBeCloseTo(1.762097294884826, 12);
    expect(tTestStatistic([1.5], [2, 2.5])).toBeCloseTo(-1.7320508075688774, 12);
    expect(tTestStatistic([1, 1, 1], [2, 2, 2])).toBe(-Infinity);
    expect(tTestStatistic([1, 1, 1], [1, 1, 1])).toBeNaN();
    expect(tTestStatistic([1], [2])).toBeNaN();
  });

  it('the centred cosine similarity is invariant to shifts and scales, and clipped to [−1, 1]', () => {
    const v = [0.3, -1.2, 2.5, 0.7];
    expect(centredCosine(v, v)).toBeCloseTo(1, 12);
    expect(centredCosine(v, v.map((x) => 3 * x + 10))).toBeCloseTo(1, 12);
    expect(centredCosine(v, v.map((x) => -x))).toBeCloseTo(-1, 12);
    const w = [1, 0, 0, 0];
    // Centred: v − 0.575 and w − 0.25, by hand.
    const cv = v.map((x) => x - 0.575);
    const cw = w.map((x) => x - 0.25);
    const dot = cv.reduce((s, x, i) => s + x * (cw[i] as number), 0);
    const norm = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
    expect(centredCosine(v, w)).toBeCloseTo(dot / (norm(cv) * norm(cw)), 12);
  });

  it('directional statistics of one cell: identical samples have no spread; otherwise the five columns from their definitions', () => {
    const same = directionalStatistics([1, 2, 3, 1, 2, 3, 1, 2, 3], 3, 3);
    expect(same.statistics.directional_cosine_sim_mean).toBeCloseTo(1, 12);
    expect(same.statistics.directional_cosine_sim_variance).toBeCloseTo(0, 12);
    expect(same.statistics.directional_variance).toBeCloseTo(0, 6);
    const samples = [1, 2, 3, 3, 2, 1.5, 0, 1, 0.5, 2, 2.5, 1];
    const { cosineSims, statistics } = directionalStatistics(samples, 4, 3);
    const mean = [0, 1, 2].map((g) => [0, 1, 2, 3].reduce((s, k) => s + (samples[k * 3 + g] as number) / 4, 0));
    const cos = [0, 1, 2, 3].map((k) => centredCosine(samples.slice(k * 3, k * 3 + 3), mean));
    expect(Array.from(cosineSims)).toEqual(cos);
    const angles = cos.map(Math.acos);
    expect(statistics.directional_cosine_sim_mean).toBeCloseTo(cos.reduce((a, b) => a + b, 0) / 4, 12);
    expect(statistics.directional_cosine_sim_variance).toBeCloseTo(variance(cos), 12);
    expect(statistics.directional_variance).toBeCloseTo(variance(angles), 12);
    expect(statistics.directional_difference).toBeCloseTo(percentile(angles, 95) - percentile(angles, 5), 12);
    expect(statistics.directional_cosine_sim_difference).toBeCloseTo(percentile(cos, 95) - percentile(cos, 5), 12);
  });
});
