// sc.pp.scale: every gene to zero mean and unit variance (std with ddof 1; constant genes keep
// std 1), optionally clipped to ±maxValue.
import { CsrMatrix, DenseArray } from '@vitae/anndata';

import { checkOptions, optionalBoolean, optionalNumber } from './util/args.js';
import { getMatrix, sparseRows, withChanges } from './util/adata.js';
import { colMeanVar } from './util/stats.js';

import type { AnnData, Matrix } from '@vitae/anndata';

export interface ScaleOptions {
  /** Subtract each gene's mean (default true; the result is then dense). */
  zeroCenter?: boolean;
  /** Clip to this value (and to -maxValue when zero-centring). */
  maxValue?: number;
  layer?: string;
}

export interface ScaleResult {
  /** float32; dense when zero-centred, otherwise the input's kind (CSR for sparse). */
  matrix: Matrix;
  mean: Float64Array;
  std: Float64Array;
}

export function scaleMatrix(m: Matrix, options: Omit<ScaleOptions, 'layer'> = {}): ScaleResult {
  const zeroCenter = optionalBoolean('scale', 'zeroCenter', options.zeroCenter) ?? true;
  const maxValue = optionalNumber('scale', 'maxValue', options.maxValue, { above: 0 });
  const { mean, var: variance } = colMeanVar(m);
  const std = variance.map((v) => (v > 0 ? Math.sqrt(v) : 1));
  const hi = maxValue ?? Infinity;
  const lo = zeroCenter ? -hi : -Infinity;
  const clip = (v: number): number => (v > hi ? hi : v < lo ? lo : v);
  const csr = sparseRows(m);
  if (!zeroCenter && csr) {
    const data = new Float32Array(csr.nnz);
    for (let p = 0; p < csr.nnz; p++) data[p] = clip((csr.data[p] as number) / (std[csr.indices[p] as number] as number));
    return { matrix: new CsrMatrix({ nRows: csr.nRows, nCols: csr.nCols, data, indices: csr.indices, indptr: csr.indptr }, { check: false }), mean, std };
  }
  const { nRows, nCols } = m;
  const values = new Float32Array(nRows * nCols);
  const shift = zeroCenter ? mean : new Float64Array(nCols);
  if (csr) {
    for (let i = 0; i < nRows; i++) {
      const row = i * nCols;
      for (let j = 0; j < nCols; j++) values[row + j] = clip(-(shift[j] as number) / (std[j] as number));
      for (let p = csr.indptr[i] as number; p < (csr.indptr[i + 1] as number); p++) {
        const j = csr.indices[p] as number;
        values[row + j] = clip(((csr.data[p] as number) - (shift[j] as number)) / (std[j] as number));
      }
    }
  } else {
    const src = (m as DenseArray).values;
    for (let i = 0; i < nRows; i++) {
      for (let j = 0, at = i * nCols; j < nCols; j++, at++) values[at] = clip(((src[at] as number) - (shift[j] as number)) / (std[j] as number));
    }
  }
  return { matrix: new DenseArray(values, nRows, nCols), mean, std };
}

/** A new AnnData with X (or `layer`) scaled; var gains `mean` and `std` as in scanpy. */
export function scale(adata: AnnData, options: ScaleOptions = {}): AnnData {
  checkOptions('scale', options, ['zeroCenter', 'maxValue', 'layer']);
  const m = getMatrix(adata, options.layer, 'scale');
  const r = scaleMatrix(m, options);
  const v = adata.var.clone();
  v.set('mean', r.mean);
  v.set('std', r.std);
  return withChanges(adata, { matrix: r.matrix, layer: options.layer, var: v });
}
