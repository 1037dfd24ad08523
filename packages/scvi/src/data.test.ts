// Sparse data in: the library prior (scvi-tools' _init_library_size) on a constructed matrix
// against hand-computed values, and minibatches densified row by row or kept sparse.
import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '@vitae/anndata';
import * as t from '@vitae/tensor';
import { libraryPrior, minibatch, sparseMinibatch } from './index.js';

// Six cells, interleaved batches 0 / 1; totals 10, 5, 20, 0 (empty), 40, 5.
const DENSE = [
  [1, 0, 9, 0],
  [0, 5, 0, 0],
  [4, 4, 4, 8],
  [0, 0, 0, 0],
  [0, 40, 0, 0],
  [2, 0, 0, 3],
];
const BATCH = [0, 1, 0, 1, 0, 1];
const csr = () => CsrMatrix.fromDense(DENSE.flat(), 6, 4);

describe('libraryPrior', () => {
  it('per batch: mean and biased variance of log total counts; an empty cell counts log 0; an absent batch gets (0, 1)', () => {
    const prior = libraryPrior(csr(), BATCH, 3);
    const ln2 = Math.log(2);
    const ln5 = Math.log(5);
    // Batch 0: log 10, log 20, log 40 -> mean log 20, variance 2 (ln 2)² / 3.
    // Batch 1: log 5, 0, log 5 -> mean 2 ln 5 / 3, variance 2 (ln 5)² / 9.
    const means = [Math.log(20), (2 * ln5) / 3, 0];
    const vars = [(2 * ln2 * ln2) / 3, (2 * ln5 * ln5) / 9, 1];
    means.forEach((m, b) => expect(prior.logMeans[b]).toBeCloseTo(m, 6));
    vars.forEach((v, b) => expect(prior.logVars[b]).toBeCloseTo(v, 6));
    expect(prior.logMeans).toBeInstanceOf(Float32Array);
    expect(Array.from(prior.cellsPerBatch)).toEqual([3, 3, 0]);
    expect(prior.emptyCells).toBe(1);
  });

  it('no batch index: one batch over all cells', () => {
    const prior = libraryPrior(csr());
    const logs = [10, 5, 20, 0, 40, 5].map((s) => (s > 0 ? Math.log(s) : 0));
    const mean = logs.reduce((a, b) => a + b, 0) / 6;
    expect(prior.logMeans[0]).toBeCloseTo(mean, 6);
    expect(prior.logVars[0]).toBeCloseTo(logs.reduce((a, l) => a + (l - mean) ** 2, 0) / 6, 6);
  });

  it('errors name the argument', () => {
    expect(() => libraryPrior(csr(), [0, 1], 2)).toThrow("libraryPrior: argument 'batchIndex' must hold 6 entries (one per cell), got 2");
    expect(() => libraryPrior(csr(), [0, 1, 0, 2, 0, 1], 2)).toThrow("libraryPrior: argument 'batchIndex' must hold integers in [0, 2) (nBatch = 2), got 2 at index 3");
    const bad = CsrMatrix.fromDense([1, -1, 0, 2], 2, 2);
    expect(() => libraryPrior(bad)).toThrow("libraryPrior: argument 'counts' must hold finite values >= 0, got -1 at row 0, column 1");
  });
});

describe('minibatch', () => {
  it('densifies only the chosen rows (in order, repeats allowed) with their batch indices and labels', () => {
    const before = t.numTensors();
    const mb = minibatch(csr(), [4, 0, 4, 5], { batchIndex: BATCH, labels: [2, 1, 0, 2, 1, 0] });
    expect(mb.x.shape).toEqual([4, 4]);
    expect(Array.from(mb.x.dataSync())).toEqual([DENSE[4], DENSE[0], DENSE[4], DENSE[5]].flat());
    expect(mb.batchIndex.dtype).toBe('int32');
    expect(Array.from(mb.batchIndex.dataSync())).toEqual([0, 0, 0, 1]);
    expect(Array.from(mb.labels?.dataSync() ?? [])).toEqual([1, 2, 1, 0]);
    t.dispose([mb.x, mb.batchIndex, mb.labels as t.Tensor]);
    const plain = minibatch(csr(), Int32Array.from([1, 2]));
    expect(Array.from(plain.batchIndex.dataSync())).toEqual([0, 0]);
    t.dispose([plain.x, plain.batchIndex]);
    expect(t.numTensors()).toBe(before);
  });

  it('NaN, infinite, negative (and, when asked, non-integer) counts are errors naming the cell and gene', () => {
    const withNaN = CsrMatrix.fromDense([1, 2, 3, Number.NaN, 0, 1], 3, 2);
    expect(() => minibatch(withNaN, [0, 1])).toThrow("minibatch: argument 'counts' must hold finite counts >= 0, got NaN at row 1, column 1");
    expect(() => minibatch(withNaN, [0, 2])).not.toThrow(); // rows not chosen are not read
    const negative = CsrMatrix.fromDense([1, -2], 1, 2);
    expect(() => minibatch(negative, [0])).toThrow("minibatch: argument 'counts' must hold finite counts >= 0, got -2 at row 0, column 1");
    const infinite = CsrMatrix.fromDense([Infinity, 1], 1, 2);
    expect(() => minibatch(infinite, [0])).toThrow('got Infinity at row 0, column 0');
    const fractional = CsrMatrix.fromDense([1.5, 1], 1, 2);
    expect(() => minibatch(fractional, [0], { integerCounts: true })).toThrow("minibatch: argument 'counts' must hold integer counts >= 0, got 1.5 at row 0, column 0");
    expect(() => minibatch(csr(), [6])).toThrow("minibatch: argument 'rows' must hold row indices in [0, 6), got 6 at position 0");
    expect(() => minibatch(csr(), [0], { batchIndex: [0, 1] })).toThrow("minibatch: option 'batchIndex' must hold 6 entries (one per cell of the matrix), got 2");
  });
});

describe('sparseMinibatch', () => {
  it('keeps the chosen rows sparse (in order, repeats and empty rows allowed): the rows minibatch densifies', () => {
    const before = t.numTensors();
    const rows = [4, 3, 0, 4, 5];
    const mb = sparseMinibatch(csr(), rows, { batchIndex: BATCH, labels: [2, 1, 0, 2, 1, 0] });
    expect([mb.x.nRows, mb.x.nCols, mb.x.nnz]).toEqual([5, 4, 6]);
    expect(Array.from(mb.x.indptr)).toEqual([0, 1, 1, 3, 4, 6]);
    const dense = minibatch(csr(), rows);
    const x = t.csrToDense(mb.x);
    expect(Array.from(x.dataSync())).toEqual(Array.from(dense.x.dataSync()));
    expect(Array.from(mb.batchIndex.dataSync())).toEqual([0, 1, 0, 0, 1]);
    expect(Array.from(mb.labels?.dataSync() ?? [])).toEqual([1, 2, 2, 1, 0]);
    t.dispose([x, dense.x, dense.batchIndex, mb.batchIndex, mb.labels as t.Tensor]);
    expect(t.numTensors()).toBe(before);
  });

  it('checks the counts and options as minibatch does', () => {
    const negative = CsrMatrix.fromDense([1, -2], 1, 2);
    expect(() => sparseMinibatch(negative, [0])).toThrow("sparseMinibatch: argument 'counts' must hold finite counts >= 0, got -2 at row 0, column 1");
    const fractional = CsrMatrix.fromDense([1.5, 1], 1, 2);
    expect(() => sparseMinibatch(fractional, [0], { integerCounts: true })).toThrow("sparseMinibatch: argument 'counts' must hold integer counts >= 0, got 1.5 at row 0, column 0");
    expect(() => sparseMinibatch(csr(), [])).toThrow("sparseMinibatch: argument 'rows' must be a non-empty array of row indices");
    expect(() => sparseMinibatch(csr(), [0], { labels: [0] })).toThrow("sparseMinibatch: option 'labels' must hold 6 entries (one per cell of the matrix), got 1");
  });
});
