// k-means on the rows of a row-major matrix: greedy k-means++ seeding, Lloyd iterations, the best
// of `nInit` seeded restarts by inertia (the sum of squared distances of points to their centres),
// with scikit-learn's conventions for the tolerance, convergence and empty clusters.
import { SeedSequence, splitSeed } from '@vitae/tensor';
import { prepareRows } from './distances.js';
import { kmeansPlusPlus } from './kmeans-plus-plus.js';
import { lloyd } from './lloyd.js';
import { allFinite, checkNumber, integerAtLeast, optionsObject, received, seedOf } from './validate.js';

import type { Matrix } from './distances.js';

export interface KMeansOptions {
  /** An integer in [0, 2^53): the same seed gives the same result. */
  seed: number;
  /** Seeded restarts, the one of least inertia kept (default 4). */
  nInit?: number;
  /** Lloyd iterations per restart at most (default 100). */
  maxIter?: number;
  /**
   * Convergence tolerance relative to the data's scale, as scikit-learn's: a restart stops once
   * the centres move by sum_j ||c_j' - c_j||² <= tol * mean_d var(x_d) (default 1e-4), or as soon
   * as an iteration leaves every label unchanged.
   */
  tol?: number;
}

export interface KMeansResult {
  /** k x nCols, row-major. */
  centers: Float64Array;
  /** The index of each row's nearest centre. */
  labels: Int32Array;
  /** sum_i ||x_i - centers[labels[i]]||². */
  inertia: number;
  /** Lloyd iterations of the restart kept. */
  iterations: number;
}

/**
 * k-means clustering of the nRows x nCols row-major `data`.
 *
 *   const { labels, centers } = kmeans(pixels, 10000, 784, 10, { seed: 0 });
 */
export function kmeans(data: Float32Array | Float64Array, nRows: number, nCols: number, k: number, options: KMeansOptions): KMeansResult {
  const fn = 'kmeans';
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new TypeError(`${fn}: argument 'data' must be a Float32Array or Float64Array, got ${received(data)}`);
  }
  integerAtLeast(nRows, fn, 'nRows', 1);
  integerAtLeast(nCols, fn, 'nCols', 1);
  if (data.length !== nRows * nCols) {
    throw new RangeError(`${fn}: argument 'data' must have nRows * nCols = ${nRows} * ${nCols} = ${nRows * nCols} entries, got ${data.length}`);
  }
  integerAtLeast(k, fn, 'k', 1);
  if (k > nRows) throw new RangeError(`${fn}: argument 'k' must be an integer <= nRows (${nRows}), got ${k}`);
  const seed = seedOf(options, fn);
  const o = optionsObject(options, fn);
  const nInit = o.nInit === undefined ? 4 : integerAtLeast(o.nInit, fn, 'nInit', 1);
  const maxIter = o.maxIter === undefined ? 100 : integerAtLeast(o.maxIter, fn, 'maxIter', 1);
  const tol = o.tol === undefined ? 1e-4 : checkNumber(o.tol, fn, 'tol', '>= 0', (x) => x >= 0);
  allFinite(data, fn, 'data');

  const rows = prepareRows(data, nRows, nCols);
  const absoluteTol = tol * meanColumnVariance(data, nRows, nCols);
  let best: KMeansResult | undefined;
  for (const runSeed of splitSeed(seed, nInit)) {
    // SeedSequence yields integers in [0, 2^53): divided by 2^53, uniform draws in [0, 1).
    const seeds = new SeedSequence(runSeed);
    const initial = kmeansPlusPlus(rows, k, () => seeds.next() / 9007199254740992);
    const run = lloyd(rows, k, initial, maxIter, absoluteTol);
    if (best === undefined || run.inertia < best.inertia) best = run;
  }
  return best as KMeansResult;
}

/** mean_d var(x_d), the population variance of each column (two passes, float64). */
function meanColumnVariance(data: Matrix, nRows: number, nCols: number): number {
  const mean = new Float64Array(nCols);
  for (let i = 0, o = 0; i < nRows; i++, o += nCols) for (let d = 0; d < nCols; d++) mean[d] = (mean[d] as number) + (data[o + d] as number);
  for (let d = 0; d < nCols; d++) mean[d] = (mean[d] as number) / nRows;
  let total = 0;
  for (let i = 0, o = 0; i < nRows; i++, o += nCols) {
    for (let d = 0; d < nCols; d++) {
      const e = (data[o + d] as number) - (mean[d] as number);
      total += e * e;
    }
  }
  return total / (nRows * nCols);
}
