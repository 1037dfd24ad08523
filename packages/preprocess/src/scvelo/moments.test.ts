import { AnnData, CsrMatrix, DenseArray, toDenseValues } from '@vitae/anndata';
import { describe, expect, it } from 'vitest';

import { moments, neighbourMeans } from './moments.js';

const f32 = Math.fround;

describe('scVelo moments', () => {
  it('averages over the non-zero pattern of the graph plus the cell itself', () => {
    // 4 cells; graph: 0-1 (weight 0.3), 1-2 (0.9), 3 isolated; an explicit 0 entry is not an edge
    const g = CsrMatrix.fromCoo([0, 1, 1, 2, 3], [1, 0, 2, 1, 0], [0.3, 0.3, 0.9, 0.9, 0], 4, 4);
    const x = CsrMatrix.fromDense([1, 0, 3, 6, 5, 0, 0, 9], 4, 2);
    const m = neighbourMeans(g, x);
    const w2 = f32(1 / 2);
    const w3 = f32(1 / 3);
    expect(Array.from(m.values)).toEqual([f32(w2 * 4), f32(w2 * 6), f32(w3 * 9), f32(w3 * 6), f32(w2 * 8), f32(w2 * 6), 0, 9].map(f32));
  });

  it('uses X directly below 50 genes: the symmetric kNN union (connectivities) or the kNN lists (distances)', () => {
    // cells on a line at 0, 1, 3, 7, 15; with nNeighbors 2 each cell's nearest other cell:
    // 0 -> 1, 1 -> 0, 3 -> 1, 7 -> 3, 15 -> 7
    const pos = [0, 1, 3, 7, 15];
    const X = new DenseArray(Float32Array.from(pos.flatMap((p) => [p, 0])), 5, 2);
    const sp = new DenseArray(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => v / 2)), 5, 2);
    const ad = new AnnData({ X, layers: { spliced: sp, unspliced: sp } });
    const out = moments(ad, { nNeighbors: 2 });
    const s = (i: number): number => (sp.values[i * 2] as number);
    // union graph: 0-1, 2-1, 3-2, 4-3
    const groups = [[0, 1], [1, 0, 2], [2, 1, 3], [3, 2, 4], [4, 3]];
    const ms = out.layers.Ms as DenseArray;
    groups.forEach((grp, i) => expect(ms.get(i, 0)).toBe(f32(f32(1 / grp.length) * grp.reduce((a, j) => a + s(j), 0))));
    expect(out.uns.neighbors).toMatchObject({ params: { n_neighbors: 2, use_rep: 'X' } });
    const directed = moments(ad, { nNeighbors: 2, mode: 'distances' });
    const lists = [[0, 1], [1, 0], [2, 1], [3, 2], [4, 3]];
    lists.forEach((grp, i) => expect((directed.layers.Ms as DenseArray).get(i, 0)).toBe(f32(0.5 * grp.reduce((a, j) => a + s(j), 0))));
    expect(out.obsp.connectivities).toBeInstanceOf(CsrMatrix);
  });

  it('normalizes count layers first, as scVelo does', () => {
    const X = new DenseArray(Float32Array.from([0, 0, 1, 0, 3, 0]), 3, 2);
    const counts = CsrMatrix.fromDense([2, 2, 1, 1, 3, 3], 3, 2); // sizes 4, 2, 6: median 4
    const out = moments(new AnnData({ X, layers: { spliced: counts, unspliced: counts.clone() } }), { nNeighbors: 1 });
    // nNeighbors 1: only the cell itself, so Ms is the normalized spliced layer
    expect(Array.from(toDenseValues(out.layer('Ms')))).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('names bad options and missing layers', () => {
    const ad = new AnnData({ X: new DenseArray(new Float32Array(4), 2, 2), layers: { spliced: new DenseArray(new Float32Array(4), 2, 2) } });
    expect(() => moments(ad)).toThrow(/moments: option 'nNeighbors' must be an integer in \[1, nObs = 2\] \(the cell itself counts\), got 30/);
    expect(() => moments(ad, { nNeighbors: 2 })).toThrow(/moments: argument 'unsplicedLayer' names layer 'unspliced', which is not there; the layers are \["spliced"\]/);
    expect(() => moments(ad, { nNeighbors: 2, nPcs: 0 })).toThrow(/option 'nPcs' must be a positive integer, got 0/);
    expect(() => moments(ad, { nNeighbors: 2, mode: 'knn' as 'distances' })).toThrow(/option 'mode' must be 'connectivities' or 'distances', got "knn"/);
  });
});
