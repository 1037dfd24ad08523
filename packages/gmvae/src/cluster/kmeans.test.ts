import { SeedSequence } from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { clusteringAccuracy } from './accuracy.js';
import { centerSquaredNorms, distancesToCenters, prepareRows } from './distances.js';
import { kmeans } from './kmeans.js';
import { kmeansPlusPlus } from './kmeans-plus-plus.js';
import { lloyd } from './lloyd.js';

/** A seeded standard normal stream (Box-Muller on SeedSequence's 53-bit draws). */
function normals(seed: number): () => number {
  const seeds = new SeedSequence(seed);
  return () => Math.sqrt(-2 * Math.log(1 - seeds.next() / 2 ** 53)) * Math.cos(2 * Math.PI * (seeds.next() / 2 ** 53));
}

/** nPer points around each of `means` (rows), with standard deviation `sd`. */
function blobs(means: number[][], nPer: number, sd: number, seed: number): { data: Float64Array; truth: Int32Array; nRows: number; nCols: number } {
  const normal = normals(seed);
  const nCols = (means[0] as number[]).length;
  const nRows = means.length * nPer;
  const data = new Float64Array(nRows * nCols);
  const truth = new Int32Array(nRows);
  // Interleaved (point i from blob i mod k), so no blob sits in one contiguous block.
  for (let i = 0; i < nRows; i++) {
    const blob = i % means.length;
    truth[i] = blob;
    for (let d = 0; d < nCols; d++) data[i * nCols + d] = ((means[blob] as number[])[d] as number) + sd * normal();
  }
  return { data, truth, nRows, nCols };
}

const MEANS = [
  [0, 0, 0, 0, 0],
  [10, 0, 0, 0, 0],
  [0, 10, 0, 0, 0],
  [0, 0, 10, 0, 0],
  [0, 0, 0, 10, 10],
];

/** sum_i min_j ||x_i - c_j||² computed directly, and whether every label is a nearest centre. */
function directInertia(data: Float64Array | Float32Array, nRows: number, nCols: number, centers: Float64Array, labels: Int32Array): { inertia: number; nearest: boolean } {
  const k = centers.length / nCols;
  let inertia = 0;
  let nearest = true;
  for (let i = 0; i < nRows; i++) {
    const d2 = Array.from({ length: k }, (_, j) => {
      let s = 0;
      for (let d = 0; d < nCols; d++) s += ((data[i * nCols + d] as number) - (centers[j * nCols + d] as number)) ** 2;
      return s;
    });
    const own = d2[labels[i] as number] as number;
    inertia += own;
    if (own > Math.min(...d2) * (1 + 1e-9) + 1e-12) nearest = false;
  }
  return { inertia, nearest };
}

describe('kmeans on well-separated blobs', () => {
  const { data, truth, nRows, nCols } = blobs(MEANS, 60, 0.8, 11);

  it('recovers the blobs exactly, from float64 and float32 data', () => {
    for (const input of [data, Float32Array.from(data)]) {
      const result = kmeans(input, nRows, nCols, 5, { seed: 3 });
      expect(clusteringAccuracy(result.labels, truth).accuracy).toBe(1);
      expect(result.centers.length).toBe(5 * nCols);
      expect(result.labels.length).toBe(nRows);
      expect(result.iterations).toBeGreaterThanOrEqual(1);
      const direct = directInertia(input, nRows, nCols, result.centers, result.labels);
      expect(direct.nearest).toBe(true);
      expect(result.inertia).toBeCloseTo(direct.inertia, 6);
    }
  });

  it('gives identical results for the same seed', () => {
    const a = kmeans(data, nRows, nCols, 5, { seed: 42, nInit: 2 });
    const b = kmeans(data, nRows, nCols, 5, { seed: 42, nInit: 2 });
    expect(b).toEqual(a);
    expect(b.centers).toEqual(a.centers);
  });
});

describe('kmeans on overlapping data', () => {
  // Uniform points in a cube: no true clusters, many local optima.
  const seeds = new SeedSequence(5);
  const nRows = 400;
  const nCols = 3;
  const data = Float64Array.from({ length: nRows * nCols }, () => seeds.next() / 2 ** 53);

  it('never increases the inertia with more restarts (the restarts of nInit = n are the first n of any larger nInit)', () => {
    const inertias = [1, 2, 4, 8, 16].map((nInit) => kmeans(data, nRows, nCols, 8, { seed: 9, nInit }).inertia);
    for (let p = 1; p < inertias.length; p++) expect(inertias[p] as number).toBeLessThanOrEqual(inertias[p - 1] as number);
    expect(inertias[4] as number).toBeLessThan(inertias[0] as number);
  });

  it('agrees with plain Lloyd iterations from the same k-means++ start (the bounds only skip work)', () => {
    const rows = prepareRows(data, nRows, nCols);
    let state = 1;
    const uniform = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const initial = kmeansPlusPlus(rows, 8, uniform);
    const accelerated = lloyd(rows, 8, initial, 300, 0);
    const plain = plainLloyd(data, nRows, nCols, 8, initial, 300);
    expect(Array.from(accelerated.labels)).toEqual(Array.from(plain.labels));
    expect(accelerated.iterations).toBe(plain.iterations);
    for (let p = 0; p < plain.centers.length; p++) expect(Math.abs((accelerated.centers[p] as number) - (plain.centers[p] as number))).toBeLessThan(1e-12);
  });

  it('stops at the tolerance (relative to the mean variance) or maxIter', () => {
    const strict = kmeans(data, nRows, nCols, 8, { seed: 1, nInit: 1, tol: 0 });
    const loose = kmeans(data, nRows, nCols, 8, { seed: 1, nInit: 1, tol: 1e-1 });
    expect(loose.iterations).toBeLessThan(strict.iterations);
    expect(kmeans(data, nRows, nCols, 8, { seed: 1, nInit: 1, maxIter: 2, tol: 0 }).iterations).toBe(2);
  });
});

/** Textbook Lloyd (direct distances, first nearest centre on ties), stopping when no label changes. */
function plainLloyd(data: Float64Array, nRows: number, nCols: number, k: number, initial: Float64Array, maxIter: number): { labels: Int32Array; centers: Float64Array; iterations: number } {
  let centers = initial.slice();
  const labels = new Int32Array(nRows).fill(-1);
  let iterations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    let changed = false;
    for (let i = 0; i < nRows; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let d = 0; d < nCols; d++) s += ((data[i * nCols + d] as number) - (centers[j * nCols + d] as number)) ** 2;
        if (s < bestD) {
          bestD = s;
          best = j;
        }
      }
      if (labels[i] !== best) changed = true;
      labels[i] = best;
    }
    const sums = new Float64Array(k * nCols);
    const counts = new Float64Array(k);
    for (let i = 0; i < nRows; i++) {
      const a = labels[i] as number;
      counts[a] = (counts[a] as number) + 1;
      for (let d = 0; d < nCols; d++) sums[a * nCols + d] = (sums[a * nCols + d] as number) + (data[i * nCols + d] as number);
    }
    centers = sums.map((s, p) => s / (counts[Math.floor(p / nCols)] as number));
    iterations = iter + 1;
    if (!changed) break;
  }
  return { labels, centers, iterations };
}

describe('kmeans special cases', () => {
  it('puts the single centre at the mean for k = 1', () => {
    const data = new Float64Array([0, 0, 2, 0, 4, 3]);
    const result = kmeans(data, 3, 2, 1, { seed: 0 });
    expect(Array.from(result.centers)).toEqual([2, 1]);
    expect(result.inertia).toBeCloseTo(4 + 1 + 0 + 1 + 4 + 4, 12);
  });

  it('puts every point in its own cluster for k = nRows', () => {
    const data = new Float64Array([0, 1, 5, 9, 14, 20]);
    const result = kmeans(data, 6, 1, 6, { seed: 2 });
    expect(new Set(result.labels).size).toBe(6);
    expect(result.inertia).toBe(0);
  });

  it('copes with fewer distinct points than k', () => {
    const data = new Float64Array([1, 1, 1, 1, 3, 3, 3, 3]);
    const result = kmeans(data, 4, 2, 3, { seed: 0 });
    expect(result.inertia).toBe(0);
    expect(Array.from(result.centers).every(Number.isFinite)).toBe(true);
  });

  it('moves the point farthest from its centre into an empty cluster', () => {
    // Centre 2 starts far from every point and gets none: it must take the farthest one (x = 10).
    const data = new Float64Array([0, 1, 2, 8, 9, 10]);
    const rows = prepareRows(data, 6, 1);
    const result = lloyd(rows, 3, new Float64Array([1, 8, 1000]), 100, 0);
    expect(new Set(result.labels).size).toBe(3);
    expect(result.inertia).toBeCloseTo(2 + 0.5, 12);
    expect(Array.from(result.centers).sort((a, b) => a - b)).toEqual([1, 8.5, 10]);
  });

  it('reads sparse data (most entries 0) exactly as dense data', () => {
    const normal = normals(3);
    const nRows = 50;
    const nCols = 20;
    const data = Float64Array.from({ length: nRows * nCols }, (_, p) => (p % 7 === 0 || p % 11 === 0 ? normal() : 0));
    const sparse = prepareRows(data, nRows, nCols);
    expect(sparse.sparse).not.toBeNull();
    const dense = { ...sparse, sparse: null };
    const centers = Float64Array.from({ length: 5 * nCols }, () => normal());
    const norms = new Float64Array(5);
    centerSquaredNorms(centers, 5, nCols, norms);
    const a = new Float64Array(5);
    const b = new Float64Array(5);
    for (let i = 0; i < nRows; i++) {
      distancesToCenters(sparse, i, centers, norms, 5, a);
      distancesToCenters(dense, i, centers, norms, 5, b);
      expect(a).toEqual(b);
    }
  });
});

describe('kmeans argument errors', () => {
  const data = new Float64Array(12);
  it('names the function, the argument, the constraint and the value', () => {
    expect(() => kmeans(data, 4, 3, 0, { seed: 0 })).toThrow("kmeans: argument 'k' must be an integer >= 1, got 0");
    expect(() => kmeans(data, 4, 3, 2.5, { seed: 0 })).toThrow("kmeans: argument 'k' must be an integer >= 1, got 2.5");
    expect(() => kmeans(data, 4, 3, 5, { seed: 0 })).toThrow("kmeans: argument 'k' must be an integer <= nRows (4), got 5");
    expect(() => kmeans(data, 5, 3, 2, { seed: 0 })).toThrow("kmeans: argument 'data' must have nRows * nCols = 5 * 3 = 15 entries, got 12");
    expect(() => kmeans(data, 0, 3, 2, { seed: 0 })).toThrow("kmeans: argument 'nRows' must be an integer >= 1, got 0");
    expect(() => kmeans([1, 2] as unknown as Float64Array, 2, 1, 1, { seed: 0 })).toThrow("kmeans: argument 'data' must be a Float32Array or Float64Array, got an array of length 2");
    expect(() => kmeans(new Float64Array([0, 1, NaN, 3]), 4, 1, 2, { seed: 0 })).toThrow("kmeans: argument 'data' must hold finite numbers, got NaN at index 2");
    expect(() => kmeans(data, 4, 3, 2, { seed: -1 })).toThrow("kmeans: argument 'seed' must be an integer in [0, 2^53), got -1");
    expect(() => kmeans(data, 4, 3, 2, undefined as unknown as { seed: number })).toThrow("kmeans: argument 'seed' must be an integer in [0, 2^53), got undefined");
    expect(() => kmeans(data, 4, 3, 2, { seed: 0, nInit: 0 })).toThrow("kmeans: argument 'nInit' must be an integer >= 1, got 0");
    expect(() => kmeans(data, 4, 3, 2, { seed: 0, maxIter: 1.5 })).toThrow("kmeans: argument 'maxIter' must be an integer >= 1, got 1.5");
    expect(() => kmeans(data, 4, 3, 2, { seed: 0, tol: -1 })).toThrow("kmeans: argument 'tol' must be a finite number >= 0, got -1");
  });
});
