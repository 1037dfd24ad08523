import { loadFixture } from '@vitae/fixtures/load';
import { describe, expect, it } from 'vitest';
import { clusteringAccuracy } from './accuracy.js';
import { gaussianMixture } from './gaussian-mixture.js';
import { kmeans } from './kmeans.js';

// scikit-learn's GaussianMixture(covariance_type='diag') started from the k-means partition
// (tooling/fixtures/generators/gaussian_mixture.py).
interface MixtureCase {
  name: string;
  nRows: number;
  nCols: number;
  k: number;
  data: number[][];
  kmeansLabels: number[];
  weights: number[];
  means: number[][];
  variances: number[][];
  iterations: number;
  converged: boolean;
  logLikelihood: number;
  labels: number[];
}

const fixture = loadFixture('gaussian-mixture') as { cases: MixtureCase[] };

describe.each(fixture.cases)('gaussianMixture: $name against scikit-learn', (c) => {
  const data = Float64Array.from(c.data.flat());
  const fit = gaussianMixture(data, c.nRows, c.nCols, c.k, { seed: 3, nInit: 20 });
  // Our components are in k-means' order; match each reference component by its nearest mean.
  const order = c.means.map((m) => {
    let best = 0;
    let bestDist = Infinity;
    for (let j = 0; j < c.k; j++) {
      const dist = m.reduce((s, v, d) => s + (v - (fit.means[j * c.nCols + d] as number)) ** 2, 0);
      if (dist < bestDist) [best, bestDist] = [j, dist];
    }
    return best;
  });

  it('starts from the same k-means partition', () => {
    const start = kmeans(data, c.nRows, c.nCols, c.k, { seed: 3, nInit: 20 });
    expect(clusteringAccuracy(start.labels, c.kmeansLabels).accuracy).toBe(1);
  });

  it('reaches the same weights, means and variances, in as many iterations', () => {
    expect(new Set(order).size).toBe(c.k);
    c.means.forEach((m, r) => {
      const j = order[r] as number;
      expect(fit.weights[j]).toBeCloseTo(c.weights[r] as number, 8);
      m.forEach((v, d) => expect(fit.means[j * c.nCols + d]).toBeCloseTo(v, 8));
      (c.variances[r] as number[]).forEach((v, d) => expect(fit.variances[j * c.nCols + d]).toBeCloseTo(v, 8));
    });
    expect(fit.logLikelihoods.length).toBe(c.iterations);
    expect(fit.converged).toBe(c.converged);
    expect(fit.logLikelihoods.at(-1)).toBeCloseTo(c.logLikelihood, 10);
    expect(Array.from(fit.labels, (j) => order.indexOf(j))).toEqual(c.labels);
  });

  it('never lowers the log-likelihood', () => {
    fit.logLikelihoods.slice(1).forEach((ll, i) => expect(ll).toBeGreaterThanOrEqual((fit.logLikelihoods[i] as number) - 1e-12));
  });
});

describe('gaussianMixture: arguments', () => {
  it('clear errors', () => {
    const data = new Float64Array([0, 1, 2, 3, 4, 5]);
    expect(() => gaussianMixture(data, 3, 2, 2, { seed: 1, regCovar: 0 })).toThrow(/gaussianMixture: .*'regCovar' must be a finite number > 0, got 0/);
    expect(() => gaussianMixture(data, 3, 2, 2, { seed: 1, maxIter: 0 })).toThrow(/gaussianMixture: .*'maxIter' must be an integer >= 1/);
    expect(() => gaussianMixture(data, 3, 2, 4, { seed: 1 })).toThrow(/argument 'k' must be an integer <= nRows \(3\), got 4/);
    expect(() => gaussianMixture(data, 3, 2, 2, undefined as never)).toThrow(/gaussianMixture/);
  });
});
