// One training minibatch from a sparse count matrix: the chosen rows, densified (minibatch) or as
// sparse rows (sparseMinibatch, what SCVI.train uses: the module multiplies them by its first
// encoder weight directly), with their batch indices (and labels). The values are checked in the
// same pass, so NaN or negative counts fail here with the cell and gene named, instead of
// surfacing as a NaN loss later.
import { CsrMatrix } from '@vitae/anndata';
import { tensor1d, tensor2d } from '@vitae/tensor';

import type { Tensor1D, Tensor2D } from '@vitae/tensor';

export interface MinibatchOptions {
  /** Batch of every cell of the matrix (nRows entries); default: all in batch 0. */
  batchIndex?: ArrayLike<number>;
  /** Label of every cell of the matrix (nRows entries), for the 'gene-label' dispersion. */
  labels?: ArrayLike<number>;
  /** Also require integer counts (default false). */
  integerCounts?: boolean;
}

export interface Minibatch {
  /** [rows.length, nCols] float32 counts; the caller owns it. */
  x: Tensor2D;
  /** [rows.length] int32 batch indices; the caller owns it. */
  batchIndex: Tensor1D;
  /** [rows.length] int32 labels, when given. */
  labels?: Tensor1D;
}

export interface SparseMinibatch extends Omit<Minibatch, 'x'> {
  /** The rows' counts as a [rows.length, nCols] CSR matrix (new arrays; the module takes it as x). */
  x: CsrMatrix;
}

function gatherIndices(fn: string, arg: string, values: ArrayLike<number>, rows: Int32Array, n: number): Int32Array {
  if (typeof values !== 'object' || values === null || typeof values.length !== 'number') {
    throw new TypeError(`${fn}: option '${arg}' must be an array of ${n} integers (one per cell), got ${String(values)}`);
  }
  if (values.length !== n) throw new RangeError(`${fn}: option '${arg}' must hold ${n} entries (one per cell of the matrix), got ${values.length}`);
  const out = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r] as number;
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${fn}: option '${arg}' must hold integers >= 0, got ${v} at index ${i}`);
    out[r] = v;
  }
  return out;
}

/** Checks the arguments of minibatch / sparseMinibatch; returns the rows as an Int32Array. */
function checkArguments(fn: string, counts: CsrMatrix, rows: ArrayLike<number>, options: MinibatchOptions): Int32Array {
  if (typeof counts !== 'object' || counts === null || !(counts.data instanceof Float32Array) || !(counts.indices instanceof Int32Array) || !(counts.indptr instanceof Int32Array)) {
    throw new TypeError(`${fn}: argument 'counts' must be a CsrMatrix (cells × genes), got ${String(counts)}`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: argument 'options' must be an object, got ${String(options)}`);
  if (typeof rows !== 'object' || rows === null || typeof rows.length !== 'number' || rows.length === 0) {
    throw new TypeError(`${fn}: argument 'rows' must be a non-empty array of row indices, got ${String(rows)}`);
  }
  const list = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r] as number;
    if (!Number.isInteger(i) || i < 0 || i >= counts.nRows) throw new RangeError(`${fn}: argument 'rows' must hold row indices in [0, ${counts.nRows}), got ${i} at position ${r}`);
    list[r] = i;
  }
  return list;
}

/** Calls visit(r, p) for each stored value p of each chosen row r, checking the value first. */
function eachStored(fn: string, counts: CsrMatrix, list: Int32Array, integer: boolean, visit: (r: number, p: number) => void): void {
  const { data, indices, indptr } = counts;
  for (let r = 0; r < list.length; r++) {
    const i = list[r] as number;
    for (let p = indptr[i] as number; p < (indptr[i + 1] as number); p++) {
      const v = data[p] as number;
      if (!(v >= 0) || v === Infinity || (integer && !Number.isInteger(v))) {
        const want = integer ? 'integer counts >= 0' : 'finite counts >= 0';
        throw new RangeError(`${fn}: argument 'counts' must hold ${want}, got ${v} at row ${i}, column ${indices[p]}`);
      }
      visit(r, p);
    }
  }
}

/** The batch indices (and labels) of the chosen rows, as tensors. */
function covariates(fn: string, list: Int32Array, nRows: number, options: MinibatchOptions): Omit<Minibatch, 'x'> {
  const batch = options.batchIndex === undefined ? new Int32Array(list.length) : gatherIndices(fn, 'batchIndex', options.batchIndex, list, nRows);
  const labels = options.labels === undefined ? undefined : gatherIndices(fn, 'labels', options.labels, list, nRows);
  return { batchIndex: tensor1d(batch, 'int32'), ...(labels === undefined ? {} : { labels: tensor1d(labels, 'int32') }) };
}

/** The rows `rows` of `counts` as a dense minibatch, with their batch indices. */
export function minibatch(counts: CsrMatrix, rows: ArrayLike<number>, options: MinibatchOptions = {}): Minibatch {
  const fn = 'minibatch';
  const list = checkArguments(fn, counts, rows, options);
  const { nCols, data, indices } = counts;
  const values = new Float32Array(list.length * nCols);
  eachStored(fn, counts, list, options.integerCounts ?? false, (r, p) => {
    const at = r * nCols + (indices[p] as number);
    values[at] = (values[at] as number) + (data[p] as number);
  });
  const rest = covariates(fn, list, counts.nRows, options);
  return { x: tensor2d(values, [list.length, nCols]), ...rest };
}

/**
 * The rows `rows` of `counts` as a sparse minibatch (a CSR matrix of those rows), with their
 * batch indices: what SCVIModule.loss / inference take to skip densifying for the encoder.
 */
export function sparseMinibatch(counts: CsrMatrix, rows: ArrayLike<number>, options: MinibatchOptions = {}): SparseMinibatch {
  const fn = 'sparseMinibatch';
  const list = checkArguments(fn, counts, rows, options);
  const { indptr } = counts;
  let nnz = 0;
  for (const i of list) nnz += (indptr[i + 1] as number) - (indptr[i] as number);
  const data = new Float32Array(nnz);
  const indices = new Int32Array(nnz);
  const outIndptr = new Int32Array(list.length + 1);
  let at = 0;
  eachStored(fn, counts, list, options.integerCounts ?? false, (r, p) => {
    data[at] = counts.data[p] as number;
    indices[at++] = counts.indices[p] as number;
    outIndptr[r + 1] = at;
  });
  for (let r = 0; r < list.length; r++) outIndptr[r + 1] = Math.max(outIndptr[r + 1] as number, outIndptr[r] as number); // empty rows
  const x = new CsrMatrix({ nRows: list.length, nCols: counts.nCols, data, indices, indptr: outIndptr }, { check: false });
  return { x, ...covariates(fn, list, counts.nRows, options) };
}
