// sc.pp.normalize_total: scale every cell so its counts sum to the same total.
import { CsrMatrix, DenseArray } from '@vitae/anndata';

import { checkOptions, optionalBoolean, optionalNumber, optionalString } from './util/args.js';
import { getMatrix, sparseRows, withChanges } from './util/adata.js';
import { median } from './util/stats.js';

import type { AnnData, Matrix } from '@vitae/anndata';

export interface NormalizeTotalOptions {
  /** The total every cell gets. Default: the median of the non-zero cell totals (scanpy's default). */
  targetSum?: number;
  /** Normalise this layer instead of X. */
  layer?: string;
  /** obs column that receives each cell's normalisation factor (total / targetSum). */
  keyAdded?: string;
  /**
   * Leave out of the totals the genes that make up more than `maxFraction` of some cell's
   * counts (scanpy's exclude_highly_expressed). Default false.
   */
  excludeHighlyExpressed?: boolean;
  /** Default 0.05. */
  maxFraction?: number;
}

export interface NormalizeTotalResult {
  /** The normalised matrix: CSR for sparse input (CSC is converted), dense otherwise; float32. */
  matrix: Matrix;
  /** Each cell's total before normalisation (over the kept genes when excluding). */
  countsPerCell: Float64Array;
  targetSum: number;
  /** countsPerCell / targetSum: what each cell was divided by (cells with zero total stay zero). */
  normFactor: Float64Array;
  /** With excludeHighlyExpressed: which genes entered the totals. */
  geneSubset?: boolean[];
}

/** normalize_total on a matrix (cells × genes). */
export function normalizeTotalMatrix(m: Matrix, options: Omit<NormalizeTotalOptions, 'layer' | 'keyAdded'> = {}): NormalizeTotalResult {
  const fn = 'normalizeTotal';
  let targetSum = optionalNumber(fn, 'targetSum', options.targetSum, { above: 0 });
  const exclude = optionalBoolean(fn, 'excludeHighlyExpressed', options.excludeHighlyExpressed) ?? false;
  const maxFraction = optionalNumber(fn, 'maxFraction', options.maxFraction, { min: 0, max: 1 }) ?? 0.05;
  const csr = sparseRows(m);
  const dense = m instanceof DenseArray ? m : undefined;
  const nRows = m.nRows;
  const nCols = m.nCols;
  const value = (i: number, f: (j: number, v: number) => void): void => {
    if (csr) for (let p = csr.indptr[i] as number; p < (csr.indptr[i + 1] as number); p++) f(csr.indices[p] as number, csr.data[p] as number);
    else for (let j = 0, at = i * nCols; j < nCols; j++, at++) f(j, (dense as DenseArray).values[at] as number);
  };
  const counts = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let s = 0;
    value(i, (_j, v) => (s += v));
    counts[i] = s;
  }
  let geneSubset: boolean[] | undefined;
  if (exclude) {
    geneSubset = new Array<boolean>(nCols).fill(true);
    for (let i = 0; i < nRows; i++) {
      const limit = (counts[i] as number) * maxFraction;
      value(i, (j, v) => {
        if (v > limit) (geneSubset as boolean[])[j] = false;
      });
    }
    for (let i = 0; i < nRows; i++) {
      let s = 0;
      value(i, (j, v) => {
        if ((geneSubset as boolean[])[j]) s += v;
      });
      counts[i] = s;
    }
  }
  if (targetSum === undefined) {
    const positive = counts.filter((c) => c > 0);
    targetSum = positive.length > 0 ? median(positive) : 1;
  }
  const normFactor = counts.map((c) => c / (targetSum as number));
  const scale = normFactor.map((f) => (f > 0 ? 1 / f : 1));
  let matrix: Matrix;
  if (csr) {
    const data = new Float32Array(csr.nnz);
    for (let i = 0; i < nRows; i++) {
      const s = scale[i] as number;
      for (let p = csr.indptr[i] as number; p < (csr.indptr[i + 1] as number); p++) data[p] = (csr.data[p] as number) * s;
    }
    matrix = new CsrMatrix({ nRows, nCols, data, indices: csr.indices, indptr: csr.indptr }, { check: false });
  } else {
    const src = (dense as DenseArray).values;
    const values = new Float32Array(nRows * nCols);
    for (let i = 0; i < nRows; i++) {
      const s = scale[i] as number;
      for (let at = i * nCols, end = at + nCols; at < end; at++) values[at] = (src[at] as number) * s;
    }
    matrix = new DenseArray(values, nRows, nCols);
  }
  return geneSubset ? { matrix, countsPerCell: counts, targetSum, normFactor, geneSubset } : { matrix, countsPerCell: counts, targetSum, normFactor };
}

/**
 * A new AnnData whose X (or `layer`) is normalised so every cell sums to `targetSum`
 * (float32). With `keyAdded`, obs[keyAdded] holds each cell's factor (total / targetSum), as
 * current scanpy stores it.
 */
export function normalizeTotal(adata: AnnData, options: NormalizeTotalOptions = {}): AnnData {
  checkOptions('normalizeTotal', options, ['targetSum', 'layer', 'keyAdded', 'excludeHighlyExpressed', 'maxFraction']);
  const m = getMatrix(adata, options.layer, 'normalizeTotal');
  const keyAdded = optionalString('normalizeTotal', 'keyAdded', options.keyAdded);
  const r = normalizeTotalMatrix(m, options);
  const obs = adata.obs.clone();
  if (keyAdded !== undefined) obs.set(keyAdded, r.normFactor);
  return withChanges(adata, { matrix: r.matrix, layer: options.layer, obs });
}
