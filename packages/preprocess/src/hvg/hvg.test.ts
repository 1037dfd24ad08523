import { describe, expect, it } from 'vitest';
import { AnnData, Categorical, CsrMatrix, DataFrame, DenseArray } from '@vitae/anndata';
import { Prng } from '@vitae/tensor';

import { cutBins, highlyVariableGenes, loess, loessVertices, log1p, normalizeTotal, seuratV3 } from '../index.js';

/** Poisson-ish counts: cells × genes with gene-specific means and a few over-dispersed genes. */
function counts(nCells: number, nGenes: number, seed: number): CsrMatrix {
  const rng = new Prng(seed);
  const values = new Float32Array(nCells * nGenes);
  for (let j = 0; j < nGenes; j++) {
    const mu = 0.05 * Math.exp(4 * rng.nextDouble());
    const burst = j % 10 === 0 ? 6 : 1;
    for (let i = 0; i < nCells; i++) {
      const lambda = mu * (rng.nextDouble() < 1 / burst ? burst : 0.1);
      // Knuth's Poisson draw, fine for these small means.
      let k = 0;
      let p = rng.nextDouble();
      const l = Math.exp(-lambda);
      while (p > l) {
        k++;
        p *= rng.nextDouble();
      }
      values[i * nGenes + j] = k;
    }
  }
  return CsrMatrix.fromDense(values, nCells, nGenes);
}

const genes = (n: number): string[] => Array.from({ length: n }, (_, j) => `g${j}`);

describe('loess', () => {
  it('reproduces a quadratic exactly on both surfaces (local quadratic fit, cubic Hermite interpolation)', () => {
    const x = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 3 + i / 100);
    const y = x.map((v) => 2 - 0.5 * v + 0.25 * v * v);
    for (const surface of ['interpolate', 'direct'] as const) {
      const fit = loess(x, y, { span: 0.3, surface });
      fit.forEach((f, i) => expect(Math.abs(f - (y[i] as number))).toBeLessThan(1e-9));
    }
  });

  it("builds dloess' k-d tree: cells of at most floor(n·span·cell) points, splits moved off ties", () => {
    const xs = Float64Array.from({ length: 1000 }, (_, i) => i);
    const v = loessVertices(xs, 0.3, 0.2);
    // 1000 points, leaves of <= 60: 32 leaves (33 vertices), the two ends widened by 0.5% of the range.
    expect(v.length).toBe(33);
    expect(v[0]).toBeCloseTo(-4.995, 12);
    expect(v[32]).toBeCloseTo(999 + 4.995, 12);
    const tied = Float64Array.from({ length: 1000 }, (_, i) => Math.floor(i / 100));
    const vt = loessVertices(tied, 0.3, 0.2);
    for (const s of vt.subarray(1, vt.length - 1)) expect(Number.isInteger(s)).toBe(true);
  });

  it('rejects bad input', () => {
    expect(() => loess([1, 2, 3], [1, 2], {})).toThrow('loess: x and y must have the same length, got 3 and 2');
    expect(() => loess([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { span: 0.3 })).toThrow("loess: option 'span' is too small: floor(n·span) = 1 points per local fit, need at least 4 (n = 5, span = 0.3)");
    expect(() => loess([1, NaN, 3], [1, 2, 3])).toThrow('loess: x and y must be finite, got (NaN, 2) at index 1');
    expect(() => loess(new Array(100).fill(1), new Array(100).fill(2))).toThrow(/zero-width neighbourhood/);
    expect(() => loess([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { degree: 3 })).toThrow("loess: option 'degree' must be an integer >= 1 and <= 2, got 3");
  });
});

describe('highlyVariableGenes', () => {
  const m = counts(300, 200, 1);
  const adata = (): AnnData =>
    new AnnData({
      X: m,
      obs: new DataFrame(Array.from({ length: 300 }, (_, i) => `c${i}`), { batch: Categorical.fromValues(Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 'b' : 'a'))) }),
      var: genes(200),
    });

  it("seurat_v3: scanpy's var columns, nTopGenes selected, bursty genes on top, subset", () => {
    const a = adata();
    const h = highlyVariableGenes(a, { flavor: 'seurat_v3', nTopGenes: 20 });
    for (const c of ['highly_variable', 'means', 'variances', 'variances_norm', 'highly_variable_rank']) expect(h.var.has(c)).toBe(true);
    expect(h.var.has('highly_variable_nbatches')).toBe(false);
    const hv = h.var.get('highly_variable') as boolean[];
    expect(hv.filter(Boolean).length).toBe(20);
    const bursty = hv.filter((v, j) => v && j % 10 === 0).length;
    expect(bursty).toBeGreaterThanOrEqual(15);
    const rank = h.var.get('highly_variable_rank') as Float32Array;
    expect(Array.from(rank).filter((r) => !Number.isNaN(r)).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(highlyVariableGenes(a, { flavor: 'seurat_v3', nTopGenes: 20, subset: true }).nVars).toBe(20);
    expect(a.var.has('highly_variable')).toBe(false);
  });

  it('seurat_v3 with batches: median rank and highly_variable_nbatches; the bare-matrix function agrees', () => {
    const h = highlyVariableGenes(adata(), { flavor: 'seurat_v3', nTopGenes: 30, batchKey: 'batch' });
    const nb = h.var.get('highly_variable_nbatches') as Int32Array;
    expect(Math.max(...nb)).toBe(2);
    const direct = seuratV3(m, { nTopGenes: 30, batch: Int32Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 1 : 0)) });
    expect(direct.highlyVariable).toEqual(h.var.get('highly_variable'));
  });

  it('seurat on log data: cutoffs or nTopGenes, uns.log1p base honoured, batches', () => {
    const l = log1p(normalizeTotal(adata(), { targetSum: 1e4 }));
    const top = highlyVariableGenes(l, { nTopGenes: 25 });
    expect((top.var.get('highly_variable') as boolean[]).filter(Boolean).length).toBe(25);
    for (const c of ['means', 'dispersions', 'dispersions_norm']) expect(top.var.has(c)).toBe(true);
    expect(top.var.get('dispersions_norm')).toBeInstanceOf(Float32Array);
    const cut = highlyVariableGenes(l, { minMean: 0.1, maxMean: 2, minDisp: 0.3 });
    const means = cut.var.get('means') as Float64Array;
    (cut.var.get('highly_variable') as boolean[]).forEach((v, j) => {
      if (v) expect((means[j] as number) > 0.1 && (means[j] as number) < 2).toBe(true);
    });
    const l2 = log1p(normalizeTotal(adata(), { targetSum: 1e4 }), { base: 2 });
    const top2 = highlyVariableGenes(l2, { nTopGenes: 25 });
    (top2.var.get('means') as Float64Array).forEach((v, j) => expect(v).toBeCloseTo((top.var.get('means') as Float64Array)[j] as number, 4));
    const b = highlyVariableGenes(l, { nTopGenes: 25, batchKey: 'batch' });
    expect((b.var.get('highly_variable') as boolean[]).filter(Boolean).length).toBe(25);
    expect(b.var.has('highly_variable_intersection')).toBe(true);
  });

  it('cutBins is pd.cut: equal-width right-closed bins, the lowest edge lowered by 0.1%', () => {
    expect(Array.from(cutBins(Float64Array.from([0, 1, 2, 3, 4]), 4))).toEqual([0, 0, 1, 2, 3]);
    expect(Array.from(cutBins(Float64Array.from([5, 5]), 3))).toEqual([0, 0]);
  });

  it('rejects bad input with the argument, the constraint and the value', () => {
    const a = adata();
    expect(() => highlyVariableGenes(a, { flavor: 'seurat_v3', nTopGenes: 201 })).toThrow("highlyVariableGenes: option 'nTopGenes' must be an integer in [1, nVars = 200], got 201");
    expect(() => highlyVariableGenes(a, { flavor: 'seurat_v3', nTopGenes: 2.5 })).toThrow("option 'nTopGenes' must be an integer >= 1, got 2.5");
    expect(() => highlyVariableGenes(a, { flavor: 'cell_ranger' as 'seurat' })).toThrow(`option 'flavor' must be one of "seurat", "seurat_v3", got "cell_ranger"`);
    expect(() => highlyVariableGenes(a, { flavor: 'seurat_v3', layer: 'counts' })).toThrow(`option 'layer' must name a layer of the AnnData, got "counts"; the layers are []`);
    expect(() => highlyVariableGenes(a, { batchKey: 'sample' })).toThrow(`option 'batchKey' must name an obs column, got "sample"; the columns are ["batch"]`);
    const logged = log1p(a);
    expect(() => highlyVariableGenes(logged, { flavor: 'seurat_v3' })).toThrow(/highlyVariableGenes: the matrix must hold counts \(non-negative integers\), got \d+\.\d+ at cell \d+, gene \d+; pass raw counts/);
    expect(() => highlyVariableGenes(logged, { flavor: 'seurat_v3', nTopGenes: 10, checkValues: false })).not.toThrow();
    const negative = new AnnData({ X: new DenseArray(Float32Array.from([1, -2, 3, 4]), 2, 2) });
    expect(() => highlyVariableGenes(negative, { flavor: 'seurat_v3', nTopGenes: 1 })).toThrow('got -2 at cell 0, gene 1');
    const dup = new AnnData({ X: m, obs: a.obs.clone(), var: genes(200).map((g, j) => (j === 7 ? 'g3' : g)) });
    expect(() => highlyVariableGenes(log1p(dup), { nTopGenes: 10, batchKey: 'batch' })).toThrow("with option 'batchKey', gene names must be unique (scanpy merges the batches by gene name), got 'g3' twice");
  });
});
