import { describe, expect, it } from 'vitest';
import { AnnData, CscMatrix, CsrMatrix, DenseArray } from '@vitae/anndata';

import { log1p, log1pMatrix, normalizeTotal, normalizeTotalMatrix, scale, scaleMatrix } from './index.js';

// Row totals 6, 0, 3, 10 (a zero cell, as real data can have).
const values = [1, 0, 5, 0, 0, 0, 0, 3, 0, 2, 4, 4];
const csr = (): CsrMatrix => CsrMatrix.fromDense(values, 4, 3);

describe('normalizeTotal', () => {
  it('defaults to the median of the non-zero totals and leaves zero cells at zero', () => {
    const r = normalizeTotalMatrix(csr());
    expect(r.targetSum).toBe(6);
    expect(Array.from(r.countsPerCell)).toEqual([6, 0, 3, 10]);
    const m = r.matrix as CsrMatrix;
    expect(Array.from(m.rowSums()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([6, 0, 6, 6]);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Array.from(r.normFactor)).toEqual([1, 0, 0.5, 10 / 6]);
  });

  it('takes a target, CSC or dense input, a layer, keyAdded and exclude_highly_expressed', () => {
    const a = new AnnData({ X: csr(), layers: { counts: new DenseArray(Float32Array.from(values), 4, 3) } });
    const b = normalizeTotal(a, { targetSum: 1e4, layer: 'counts', keyAdded: 'nf' });
    expect(Array.from((b.layers.counts as DenseArray).values.subarray(0, 3)).map(Math.round)).toEqual([1667, 0, 8333]);
    expect(b.X).toBe(a.X);
    expect(Array.from(b.obs.get('nf') as Float64Array)).toEqual([6e-4, 0, 3e-4, 1e-3]);
    expect(a.obs.has('nf')).toBe(false);
    expect(normalizeTotalMatrix(CscMatrix.fromCsr(csr()), { targetSum: 1 }).matrix).toBeInstanceOf(CsrMatrix);
    // gene 2 has > 50% of cell 0's counts: excluded from the totals
    const ex = normalizeTotalMatrix(csr(), { excludeHighlyExpressed: true, maxFraction: 0.5, targetSum: 1 });
    expect(ex.geneSubset).toEqual([true, false, false]);
    expect(Array.from(ex.countsPerCell)).toEqual([1, 0, 0, 2]);
  });

  it('rejects bad options', () => {
    const a = new AnnData({ X: csr() });
    expect(() => normalizeTotal(a, { targetSum: 0 })).toThrow("normalizeTotal: option 'targetSum' must be a number > 0, got 0");
    expect(() => normalizeTotal(a, { maxFraction: 2 })).toThrow("option 'maxFraction' must be a number >= 0 and <= 1, got 2");
    expect(() => normalizeTotal(a, { layer: 'spliced' })).toThrow(`option 'layer' must name a layer of the AnnData, got "spliced"; the layers are []`);
  });
});

describe('log1p', () => {
  it('transforms stored values only (sparse stays sparse), with a base, and records uns.log1p', () => {
    const a = new AnnData({ X: csr() });
    const l = log1p(a);
    const m = l.X as CsrMatrix;
    expect(m.nnz).toBe(csr().nnz);
    expect(m.data[0]).toBeCloseTo(Math.log(2), 6);
    expect(l.uns.log1p).toEqual({});
    const l2 = log1p(a, { base: 2 });
    expect((l2.X as CsrMatrix).data[0]).toBeCloseTo(1, 6);
    expect(l2.uns.log1p).toEqual({ base: 2 });
    expect((a.X as CsrMatrix).data[0]).toBe(1);
    expect((log1pMatrix(new DenseArray(new Float64Array([0, 1]), 1, 2)) as DenseArray).values[1]).toBeCloseTo(Math.log(2), 6);
  });

  it('rejects a bad base and values <= -1', () => {
    const a = new AnnData({ X: csr() });
    expect(() => log1p(a, { base: 1 })).toThrow("log1p: option 'base' must be a positive number other than 1, got 1");
    expect(() => log1p(a, { base: -2 })).toThrow("log1p: option 'base' must be a number > 0, got -2");
    expect(() => log1pMatrix(new DenseArray(new Float32Array([0, -1]), 1, 2))).toThrow('log1p: values must be > -1, got -1 at stored position 1');
  });
});

describe('scale', () => {
  it('centres, divides by the ddof-1 std (constant genes by 1) and clips like sc.pp.scale', () => {
    const dense = new DenseArray(Float32Array.from([1, 5, 2, 5, 3, 5, 10, 5]), 4, 2);
    const r = scaleMatrix(dense);
    expect(Array.from(r.mean)).toEqual([4, 5]);
    expect(r.std[0]).toBeCloseTo(Math.sqrt(50 / 3), 12);
    expect(r.std[1]).toBe(1);
    expect((r.matrix as DenseArray).get(3, 0)).toBeCloseTo(6 / Math.sqrt(50 / 3), 6);
    expect((r.matrix as DenseArray).get(3, 1)).toBe(0);
    const clipped = scaleMatrix(dense, { maxValue: 1 }).matrix as DenseArray;
    expect(clipped.get(3, 0)).toBe(1);
    expect(clipped.get(0, 0)).toBeCloseTo(-3 / Math.sqrt(50 / 3), 6);
    // sparse without centring stays sparse
    expect(scaleMatrix(csr(), { zeroCenter: false }).matrix).toBeInstanceOf(CsrMatrix);
    const s = scale(new AnnData({ X: csr() }), { maxValue: 10 });
    expect(s.X).toBeInstanceOf(DenseArray);
    expect(s.var.has('mean') && s.var.has('std')).toBe(true);
  });

  it('rejects a bad maxValue', () => {
    expect(() => scale(new AnnData({ X: csr() }), { maxValue: -1 })).toThrow("scale: option 'maxValue' must be a number > 0, got -1");
  });
});
