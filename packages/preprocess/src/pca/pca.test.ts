import { describe, expect, it } from 'vitest';
import { AnnData, CsrMatrix, DenseArray } from '@vitae/anndata';
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { Prng, numTensors } from '@vitae/tensor';

import { pca, pcaMatrix, tridiagonalEigen } from '../index.js';
import { normals } from '../util/random.js';

/** n × p: rank-6 signal with decaying scales plus noise, some exact zeros (so CSR is meaningful). */
function data(n: number, p: number, seed: number): DenseArray {
  const rng = new Prng(seed);
  const values = new Float64Array(n * p);
  const scores = Array.from({ length: 6 }, () => normals(rng, n));
  const loads = Array.from({ length: 6 }, () => normals(rng, p));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      let v = 0.3 * rng.nextNormal() + 1;
      for (let r = 0; r < 6; r++) v += (6 - r) * (scores[r]?.[i] as number) * (loads[r]?.[j] as number) * 0.5;
      values[i * p + j] = v > 1.5 ? v : 0;
    }
  }
  return new DenseArray(Float32Array.from(values), n, p); // float32, as CSR stores it
}

/** Reference PCA by ml-matrix's SVD of the centred matrix. */
function reference(x: DenseArray, k: number, center = true): { variance: number[]; ratio: number[]; loadings: Matrix } {
  const n = x.nRows;
  const M = new Matrix(Array.from({ length: n }, (_, i) => Array.from(x.row(i))));
  if (center) M.subRowVector(M.mean('column'));
  const svd = new SingularValueDecomposition(M, { autoTranspose: true });
  const s = svd.diagonal.slice(0, k);
  let total = 0;
  for (let j = 0; j < x.nCols; j++) {
    const col = M.getColumn(j);
    const mu = center ? 0 : col.reduce((a, b) => a + b, 0) / n;
    total += col.reduce((a, b) => a + (b - mu) ** 2, 0) / (center ? n - 1 : n);
  }
  const variance = center ? s.map((v) => (v * v) / (n - 1)) : [];
  return { variance, ratio: variance.map((v) => v / total), loadings: svd.rightSingularVectors };
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('tridiagonalEigen', () => {
  it('matches ml-matrix on a random symmetric tridiagonal matrix; tracked rows equal the full ones', () => {
    const rng = new Prng(3);
    const m = 40;
    const d = normals(rng, m);
    const e = normals(rng, m - 1);
    const T = Matrix.zeros(m, m);
    for (let i = 0; i < m; i++) T.set(i, i, d[i] as number);
    for (let i = 0; i < m - 1; i++) {
      T.set(i, i + 1, e[i] as number);
      T.set(i + 1, i, e[i] as number);
    }
    const ref = new EigenvalueDecomposition(T, { assumeSymmetric: true }).realEigenvalues.sort((a, b) => b - a);
    const full = tridiagonalEigen(d, e);
    full.values.forEach((v, i) => expect(v).toBeCloseTo(ref[i] as number, 10));
    // T z_j = λ_j z_j
    for (const j of [0, 17, 39]) {
      const z = full.rows.map((r) => r[j] as number);
      const tz = T.mmul(Matrix.columnVector(z)).getColumn(0);
      tz.forEach((v, i) => expect(v).toBeCloseTo((full.values[j] as number) * (z[i] as number), 9));
    }
    const last = tridiagonalEigen(d, e, [m - 1]);
    expect(Array.from(last.rows[0] as Float64Array)).toEqual(Array.from(full.rows[m - 1] as Float64Array));
  });
});

describe('pcaMatrix', () => {
  const x = data(80, 30, 1);

  it.each(['exact', 'randomized'] as const)('%s: variances, ratios and loadings as an SVD of the centred data; svd_flip signs', (svdSolver) => {
    const k = 6;
    const ref = reference(x, k);
    for (const products of ['js', 'tensor'] as const) {
      const r = pcaMatrix(x, { nComps: k, svdSolver, products, seed: 1 });
      const tol = products === 'js' && svdSolver === 'exact' ? 1e-10 : 1e-5;
      r.variance.forEach((v, c) => expect(rel(v, ref.variance[c] as number)).toBeLessThan(tol));
      r.varianceRatio.forEach((v, c) => expect(rel(v, ref.ratio[c] as number)).toBeLessThan(tol));
      for (let c = 0; c < k; c++) {
        const col = Array.from({ length: 30 }, (_, j) => r.loadings.get(j, c));
        const refCol = ref.loadings.getColumn(c);
        const dotp = col.reduce((s, v, j) => s + v * (refCol[j] as number), 0);
        expect(Math.abs(Math.abs(dotp) - 1)).toBeLessThan(1e-4);
        const big = col.reduce((b, v) => (Math.abs(v) > Math.abs(b) ? v : b), 0);
        expect(big).toBeGreaterThan(0);
      }
      expect(r.scores.values).toBeInstanceOf(Float32Array);
    }
  });

  it('wide data (fewer cells than genes), sparse input and the gene subset give the same answer', () => {
    const wide = data(20, 50, 2);
    const ref = reference(wide, 5);
    const r = pcaMatrix(wide, { nComps: 5, products: 'js' });
    r.variance.forEach((v, c) => expect(rel(v, ref.variance[c] as number)).toBeLessThan(1e-10));
    const sparse = CsrMatrix.fromDense(x.values, 80, 30);
    const a = pcaMatrix(x, { nComps: 4, products: 'js' });
    const b = pcaMatrix(sparse, { nComps: 4, products: 'js' });
    a.variance.forEach((v, c) => expect(rel(v, b.variance[c] as number)).toBeLessThan(1e-10));
    for (let i = 0; i < 80; i++) expect(a.scores.get(i, 0)).toBeCloseTo(b.scores.get(i, 0), 4);
    const sub = pcaMatrix(x, { nComps: 3, products: 'js', genes: Int32Array.from({ length: 10 }, (_, j) => 2 * j) });
    expect(sub.loadings.nRows).toBe(10);
  });

  it('zeroCenter: false is a truncated SVD with variances of the scores (ddof 0)', () => {
    const r = pcaMatrix(x, { nComps: 3, zeroCenter: false, products: 'js' });
    for (let c = 0; c < 3; c++) {
      let s = 0;
      let ss = 0;
      for (let i = 0; i < 80; i++) {
        s += r.scores.get(i, c);
        ss += r.scores.get(i, c) ** 2;
      }
      expect(r.variance[c]).toBeCloseTo(ss / 80 - (s / 80) ** 2, 3);
    }
  });

  it('leaks no tensors (the tensor products are disposed)', () => {
    const before = numTensors();
    for (let r = 0; r < 3; r++) {
      pcaMatrix(x, { nComps: 3, products: 'tensor' });
      pcaMatrix(x, { nComps: 3, products: 'tensor', svdSolver: 'randomized', nIter: 2 });
    }
    expect(numTensors()).toBe(before);
  });

  it('randomized is reproducible for a seed', () => {
    const a = pcaMatrix(x, { nComps: 3, svdSolver: 'randomized', seed: 7, nIter: 2, nOversamples: 2 });
    const b = pcaMatrix(x, { nComps: 3, svdSolver: 'randomized', seed: 7, nIter: 2, nOversamples: 2 });
    expect(Array.from(a.variance)).toEqual(Array.from(b.variance));
  });
});

describe('pca (AnnData)', () => {
  it("stores obsm.X_pca, varm.PCs (zero rows outside the HVGs) and uns.pca as scanpy; uses highly_variable by default", () => {
    const x = data(50, 20, 4);
    const a = new AnnData({ X: x });
    a.var.set('highly_variable', Array.from({ length: 20 }, (_, j) => j < 12));
    const p = pca(a, { nComps: 5, products: 'js' });
    expect((p.obsm.X_pca as DenseArray).shape).toEqual([50, 5]);
    const pcs = p.varm.PCs as DenseArray;
    expect(pcs.shape).toEqual([20, 5]);
    for (let j = 12; j < 20; j++) for (let c = 0; c < 5; c++) expect(pcs.get(j, c)).toBe(0);
    const u = p.uns.pca as { params: Record<string, unknown>; variance: Float64Array; variance_ratio: Float64Array };
    expect(u.params).toEqual({ zero_center: true, use_highly_variable: true, svd_solver: 'exact' });
    expect(u.variance.length).toBe(5);
    const all = pca(a, { nComps: 5, useHighlyVariable: false, keyAdded: 'all' });
    expect(all.obsm.all).toBeDefined();
    expect(all.obsm.X_pca).toBeUndefined();
    expect(a.obsm.X_pca).toBeUndefined();
    // default nComps: min(nObs, nVars) - 1 when that is below 50
    expect((pca(a).obsm.X_pca as DenseArray).nCols).toBe(11);
  });

  it('rejects bad options', () => {
    const a = new AnnData({ X: data(10, 8, 5) });
    expect(() => pca(a, { nComps: 9 })).toThrow("pca: option 'nComps' must be an integer in [1, min(nObs, nVars used) = 8], got 9");
    expect(() => pca(a, { nComps: 0 })).toThrow("pca: option 'nComps' must be an integer >= 1, got 0");
    expect(() => pca(a, { useHighlyVariable: true })).toThrow("pca: option 'useHighlyVariable' is true but var has no 'highly_variable' column");
    expect(() => pca(a, { svdSolver: 'arpack' as 'exact' })).toThrow(`pca: option 'svdSolver' must be one of "exact", "randomized", got "arpack"`);
    expect(() => pca(a, { layer: 'scaled' })).toThrow(`pca: option 'layer' must name a layer of the AnnData, got "scaled"`);
    expect(() => pca(a, { seed: -1 })).toThrow("pca: option 'seed' must be an integer >= 0, got -1");
  });
});
