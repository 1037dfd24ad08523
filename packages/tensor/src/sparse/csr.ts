// The CSR input of the sparse ops and its checks. The structure (indptr, indices) is given as
// typed arrays and checked in JavaScript (one pass, ~20 µs for scVI's 24k stored values) before
// any kernel reads it; the values may be a Float32Array or a float32 Tensor to differentiate.
import * as tf from '#tfjs';
import { describe } from '../backend.js';

import type { Tensor } from '#tfjs';

/**
 * A sparse matrix in compressed sparse row form, the layout of scipy.sparse.csr_matrix and of
 * @vitae/anndata's CsrMatrix (which is one): row i holds data[indptr[i] .. indptr[i + 1]) at
 * the columns indices[same range]. Columns need not be sorted; a column stored twice in a row
 * counts as the sum of its values.
 */
export interface CsrInput {
  nRows: number;
  nCols: number;
  /** nRows + 1 non-decreasing offsets, from 0 to nnz. */
  indptr: Int32Array;
  /** The column of each stored value, nnz of them, in [0, nCols). */
  indices: Int32Array;
  /** The nnz stored values: a Float32Array, or a float32 Tensor [nnz] to differentiate through. */
  data: Float32Array | Tensor;
}

/** `x` as a CsrInput when it is one (an object with indptr, not a Tensor), else null: for ops that take either. */
export function csrOrNull(x: Tensor | CsrInput): CsrInput | null {
  return !(x instanceof tf.Tensor) && typeof x === 'object' && x !== null && 'indptr' in x ? x : null;
}

/** A checked CsrInput. */
export interface CheckedCsr extends CsrInput {
  nnz: number;
}

/**
 * Throws unless `a` is a well-formed CsrInput, with an error naming the function, the argument
 * (and its field) and what was received.
 */
export function checkCsr(fn: string, arg: string, a: CsrInput): CheckedCsr {
  if (typeof a !== 'object' || a === null || a instanceof tf.Tensor || Array.isArray(a)) {
    throw new TypeError(`${fn}: argument '${arg}' must be a CSR matrix { nRows, nCols, indptr, indices, data }, got ${describe(a)}`);
  }
  const { nRows, nCols, indptr, indices, data } = a;
  for (const [name, v] of [['nRows', nRows], ['nCols', nCols]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`${fn}: argument '${arg}.${name}' must be an integer >= 0, got ${describe(v)}`);
  }
  if (!(indptr instanceof Int32Array) || indptr.length !== nRows + 1) {
    throw new TypeError(`${fn}: argument '${arg}.indptr' must be an Int32Array of nRows + 1 = ${nRows + 1} offsets, got ${describeArray(indptr)}`);
  }
  if (!(indices instanceof Int32Array)) throw new TypeError(`${fn}: argument '${arg}.indices' must be an Int32Array of column indices, got ${describe(indices)}`);
  const nnz = indices.length;
  if (data instanceof tf.Tensor) {
    if (data.isDisposed) throw new Error(`${fn}: argument '${arg}.data' is a disposed Tensor`);
    if (data.dtype !== 'float32' || data.rank !== 1 || data.size !== nnz) {
      throw new TypeError(`${fn}: argument '${arg}.data' must be a float32 Tensor of shape [${nnz}] (one value per entry of indices), got ${describe(data)}`);
    }
  } else if (!(data instanceof Float32Array) || data.length !== nnz) {
    throw new TypeError(`${fn}: argument '${arg}.data' must be a Float32Array of ${nnz} values (one per entry of indices) or a float32 Tensor, got ${describeArray(data)}`);
  }
  if (indptr[0] !== 0) throw new RangeError(`${fn}: argument '${arg}.indptr' must start at 0, got ${indptr[0]}`);
  if (indptr[nRows] !== nnz) throw new RangeError(`${fn}: argument '${arg}.indptr' must end at nnz = ${nnz} (the length of indices), got ${indptr[nRows]}`);
  for (let i = 0; i < nRows; i++) {
    if ((indptr[i + 1] as number) < (indptr[i] as number)) {
      throw new RangeError(`${fn}: argument '${arg}.indptr' must be non-decreasing, got ${indptr[i]} then ${indptr[i + 1]} at index ${i}`);
    }
  }
  for (let p = 0; p < nnz; p++) {
    const j = indices[p] as number;
    if (j < 0 || j >= nCols) throw new RangeError(`${fn}: argument '${arg}.indices' must hold column indices in [0, ${nCols}) (nCols = ${nCols}), got ${j} at position ${p}`);
  }
  return { nRows, nCols, indptr, indices, data, nnz };
}

function describeArray(v: unknown): string {
  return ArrayBuffer.isView(v) && 'length' in v ? `a ${v.constructor.name} of length ${String(v.length)}` : describe(v);
}

/** The row of each stored value (indptr expanded), as the gradient in the values and csrToDense need it. */
export function rowOfEntries(indptr: Int32Array, nnz: number): Int32Array {
  const rows = new Int32Array(nnz);
  for (let i = 0; i + 1 < indptr.length; i++) rows.fill(i, indptr[i], indptr[i + 1]);
  return rows;
}
