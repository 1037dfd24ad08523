import { describe, expect, it } from 'vitest';
import { AnnData, CsrMatrix, DenseArray } from '@vitae/anndata';
import { Prng } from '@vitae/tensor';

import { knnDistances, neighborGraph, neighbors, smoothKnnDist, umapConnectivities } from '../index.js';
import { normals } from '../util/random.js';

function points(n: number, d: number, seed: number): DenseArray {
  const rng = new Prng(seed);
  return new DenseArray(Float32Array.from(normals(rng, n * d)), n, d);
}

/** Brute force by sorting every row: the k nearest (self first), ties by index. */
function bruteForce(x: DenseArray, k: number): number[][] {
  return Array.from({ length: x.nRows }, (_, i) => {
    const d = Array.from({ length: x.nRows }, (_, j) => {
      let s = 0;
      for (let c = 0; c < x.nCols; c++) s += (x.get(i, c) - x.get(j, c)) ** 2;
      return [j === i ? -1 : s, j] as [number, number];
    });
    return d.sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, k).map(([, j]) => j);
  });
}

describe('neighbors (exact kNN)', () => {
  it('matches a sorted brute force, self first, on a DenseArray or obsm X_pca (nPcs columns)', () => {
    const x = points(120, 7, 1);
    const r = neighbors(x, { nNeighbors: 10 });
    const ref = bruteForce(x, 10);
    ref.forEach((row, i) => expect(Array.from(r.indices.subarray(i * 10, (i + 1) * 10))).toEqual(row));
    expect(r.distances[0]).toBe(0);
    const a = new AnnData({ X: x, obsm: { X_pca: x } });
    const three = neighbors(a, { nNeighbors: 5, nPcs: 3 });
    const x3 = new DenseArray(Float32Array.from({ length: 360 }, (_, t) => x.get(Math.floor(t / 3), t % 3)), 120, 3);
    bruteForce(x3, 5).forEach((row, i) => expect(Array.from(three.indices.subarray(i * 5, (i + 1) * 5))).toEqual(row));
  });

  it('breaks ties by index and keeps self first among duplicates', () => {
    const x = new DenseArray(Float32Array.from([0, 0, 0, 1, 0, 1, 0, -1]), 4, 2); // points 1 and 2 coincide
    const r = neighbors(x, { nNeighbors: 3 });
    expect(Array.from(r.indices.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(r.indices.subarray(3, 6))).toEqual([1, 2, 0]);
    expect(Array.from(r.indices.subarray(6, 9))).toEqual([2, 1, 0]);
    expect(r.distances[4]).toBe(0);
  });

  it('rejects bad input', () => {
    const x = points(10, 3, 2);
    const a = new AnnData({ X: new CsrMatrix({ nRows: 10, nCols: 3, data: new Float32Array(0), indices: new Int32Array(0), indptr: new Int32Array(11) }) });
    expect(() => neighbors(x, { nNeighbors: 11 })).toThrow("neighbors: option 'nNeighbors' must be an integer in [1, nObs = 10] (the cell itself counts), got 11");
    expect(() => neighbors(a)).toThrow(`neighbors: option 'useRep' must name an obsm entry, got "X_pca"; obsm holds [] (run pca first for 'X_pca')`);
    expect(() => neighbors(a, { useRep: 'X' })).toThrow("neighbors: option 'useRep' is 'X' but X is sparse");
    expect(() => neighbors(x, { nPcs: 4 })).toThrow("neighbors: option 'nPcs' must be an integer in [1, 3] (the columns of the representation), got 4");
    expect(() => neighbors(x, { metric: 'cosine' as 'euclidean' })).toThrow(`neighbors: option 'metric' must be one of "euclidean", got "cosine"`);
    expect(() => neighbors(new DenseArray(Float32Array.from([0, NaN]), 1, 2), { nNeighbors: 1 })).toThrow('neighbors: coordinates must be finite, got NaN at cell 0, column 1');
  });
});

describe('UMAP connectivities and the neighbour graph', () => {
  const x = points(60, 4, 3);
  const knn = neighbors(x, { nNeighbors: 8 });

  it('sigma solves Σ exp(-(d - rho) / sigma) = log2 k; weights are the fuzzy union, symmetric, in (0, 1]', () => {
    const { sigmas, rhos } = smoothKnnDist(knn);
    for (let i = 0; i < 60; i++) {
      expect(rhos[i]).toBe(knn.distances[i * 8 + 1]);
      let s = 0;
      for (let r = 1; r < 8; r++) s += Math.exp(-Math.max((knn.distances[i * 8 + r] as number) - (rhos[i] as number), 0) / (sigmas[i] as number));
      expect(s).toBeCloseTo(Math.log2(8), 4);
    }
    const { connectivities: w } = umapConnectivities(knn);
    for (let i = 0; i < 60; i++) {
      for (let p = w.indptr[i] as number; p < (w.indptr[i + 1] as number); p++) {
        const j = w.indices[p] as number;
        expect(j).not.toBe(i);
        expect(w.data[p]).toBeGreaterThan(0);
        expect(w.data[p]).toBeLessThanOrEqual(1);
        expect(w.get(j, i)).toBe(w.data[p]);
      }
      // the nearest neighbour is at distance rho: weight 1 from i's side, so 1 in the union
      expect(w.get(i, knn.indices[i * 8 + 1] as number)).toBe(1);
    }
    // intersection (mix 0) <= union
    const inter = umapConnectivities(knn, { setOpMixRatio: 0 }).connectivities;
    expect(inter.nnz).toBeLessThanOrEqual(w.nnz);
  });

  it('neighborGraph stores obsp distances (k - 1 per row, no self) and connectivities, and uns.neighbors', () => {
    const a = new AnnData({ X: x, obsm: { X_pca: x } });
    const g = neighborGraph(a, { nNeighbors: 8 });
    const d = g.obsp.distances as CsrMatrix;
    expect(Array.from(d.rowNnz()).every((c) => c === 7)).toBe(true);
    expect(d.get(0, knn.indices[1] as number)).toBeCloseTo(knn.distances[1] as number, 6);
    expect(d).toEqual(knnDistances(knn));
    expect(g.uns.neighbors).toEqual({ connectivities_key: 'connectivities', distances_key: 'distances', params: { n_neighbors: 8, method: 'umap', metric: 'euclidean', use_rep: 'X_pca' } });
    expect(Object.keys(a.obsp)).toEqual([]);
    const keyed = neighborGraph(a, { knn, keyAdded: 'pca8' });
    expect(Object.keys(keyed.obsp).sort()).toEqual(['pca8_connectivities', 'pca8_distances']);
    expect(() => neighborGraph(new AnnData({ X: points(5, 2, 1), obsm: { X_pca: points(5, 2, 1) } }), { knn })).toThrow("neighborGraph: option 'knn' must come from this AnnData's 5 cells, got a kNN of 60");
  });
});
