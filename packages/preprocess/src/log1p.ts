// sc.pp.log1p: x -> log(1 + x) (natural log, or log base `base`) on the stored values, so a
// sparse matrix stays sparse.
import { CsrMatrix, CscMatrix, DenseArray } from '@vitae/anndata';

import { checkOptions, fail, optionalNumber } from './util/args.js';
import { getMatrix, withChanges } from './util/adata.js';

import type { AnnData, Matrix } from '@vitae/anndata';

export interface Log1pOptions {
  /** Base of the logarithm; default e. */
  base?: number;
  /** Transform this layer instead of X. */
  layer?: string;
}

function checkBase(base: number | undefined): number | undefined {
  const b = optionalNumber('log1p', 'base', base, { above: 0 });
  if (b === 1) fail('log1p', `option 'base' must be a positive number other than 1, got 1`);
  return b;
}

function transform(values: Float32Array | Float64Array, out: Float32Array, divisor: number): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (v <= -1) fail('log1p', `values must be > -1, got ${v} at stored position ${k}`);
    out[k] = Math.log1p(v) / divisor;
  }
}

/** log1p of a matrix's stored values (float32 result, same storage kind). */
export function log1pMatrix(m: Matrix, base?: number): Matrix {
  const divisor = base === undefined ? 1 : Math.log(checkBase(base) as number);
  if (m instanceof DenseArray) {
    const values = new Float32Array(m.values.length);
    transform(m.values, values, divisor);
    return new DenseArray(values, m.nRows, m.nCols);
  }
  const data = new Float32Array(m.data.length);
  transform(m.data, data, divisor);
  const parts = { nRows: m.nRows, nCols: m.nCols, data, indices: m.indices, indptr: m.indptr };
  return m instanceof CsrMatrix ? new CsrMatrix(parts, { check: false }) : new CscMatrix(parts, { check: false });
}

/** A new AnnData with X (or `layer`) log1p-transformed; uns.log1p records the base as scanpy does. */
export function log1p(adata: AnnData, options: Log1pOptions = {}): AnnData {
  checkOptions('log1p', options, ['base', 'layer']);
  const m = getMatrix(adata, options.layer, 'log1p');
  const base = checkBase(options.base);
  return withChanges(adata, { matrix: log1pMatrix(m, base), layer: options.layer, uns: { log1p: base === undefined ? {} : { base } } });
}
