// Count minibatches as sparse CSR rows (the form SCVI.train and the posterior methods hand the
// module): checked once, with a column stored twice in a row merged, so the encoder can take
// log1p of the stored counts only (log1p(0) = 0: the zeros stay implicit) and multiply the CSR
// rows by its first weight directly (@vitae/tensor's csrMatMul, through @vitae/layers' MLP).
// The likelihood still reads every count, zeros included: loss() densifies the rows for it
// (@vitae/tensor's csrToDense).
import { checkCompressed } from '@vitae/anndata';
import { tensor2d } from '@vitae/tensor';

import type { CsrParts } from '@vitae/anndata';
import type { Tensor2D } from '@vitae/tensor';

/**
 * Checks `x` as a CSR matrix of counts [cells, nInput] (structure, at least one row, finite
 * values >= 0) and returns it with any column stored twice in a row merged (summed); x itself
 * when there is none, the usual case.
 */
export function checkSparseCounts(fn: string, x: CsrParts, nInput: number): CsrParts {
  const what = `${fn}: argument 'x'`;
  if (!(x.data instanceof Float32Array) || !(x.indices instanceof Int32Array) || !(x.indptr instanceof Int32Array)) {
    throw new TypeError(`${what} must be a float32 Tensor of counts or a CSR matrix { nRows, nCols, data: Float32Array, indices: Int32Array, indptr: Int32Array }, got ${String(x)}`);
  }
  checkCompressed(x, x.nRows, x.nCols, what);
  if (x.nCols !== nInput || x.nRows === 0) {
    throw new RangeError(`${what} must be a CSR matrix of counts with shape [cells, ${nInput}] (nInput = ${nInput} genes) and at least one cell, got [${x.nRows}, ${x.nCols}]`);
  }
  const { data, indices, indptr } = x;
  // stamp[j] = 1 + the last row that stored column j
  const stamp = new Int32Array(x.nCols);
  let duplicates = false;
  for (let i = 0; i < x.nRows; i++) {
    for (let p = indptr[i] as number; p < (indptr[i + 1] as number); p++) {
      const v = data[p] as number;
      if (!(v >= 0) || v === Infinity) throw new RangeError(`${what} must hold finite counts >= 0, got ${v} at row ${i}, column ${indices[p]}`);
      const j = indices[p] as number;
      if (stamp[j] === i + 1) duplicates = true;
      stamp[j] = i + 1;
    }
  }
  return duplicates ? mergeDuplicates(x) : x;
}

/** `x` with each column stored twice or more in a row stored once, with the sum. */
function mergeDuplicates(x: CsrParts): CsrParts {
  const { data, indices, indptr } = x;
  const at = new Int32Array(x.nCols).fill(-1); // where column j went in the current row's output
  const outData = new Float32Array(data.length);
  const outIndices = new Int32Array(data.length);
  const outIndptr = new Int32Array(x.nRows + 1);
  let n = 0;
  for (let i = 0; i < x.nRows; i++) {
    const start = n;
    for (let p = indptr[i] as number; p < (indptr[i + 1] as number); p++) {
      const j = indices[p] as number;
      const q = at[j] as number;
      if (q >= start) {
        outData[q] = (outData[q] as number) + (data[p] as number);
      } else {
        at[j] = n;
        outData[n] = data[p] as number;
        outIndices[n++] = j;
      }
    }
    outIndptr[i + 1] = n;
  }
  return { nRows: x.nRows, nCols: x.nCols, data: outData.slice(0, n), indices: outIndices.slice(0, n), indptr: outIndptr };
}

/** log1p of small integer counts, the usual stored values, looked up (Math.log1p costs ~25 ns). */
const LOG1P_TABLE = Float32Array.from({ length: 1024 }, (_, k) => Math.log1p(k));

/** log1p of each stored count (as float32: Math.log1p rounded, a table lookup for integers < 1024). */
export function log1pCounts(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let p = 0; p < data.length; p++) {
    const v = data[p] as number;
    out[p] = v < 1024 && v === Math.floor(v) ? (LOG1P_TABLE[v] as number) : Math.log1p(v);
  }
  return out;
}

/** log Σ_g x_g per cell, [cells, 1] (the observed library size), summed in float64. */
export function logLibrarySize(x: CsrParts): Tensor2D {
  const out = new Float32Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) {
    let sum = 0;
    for (let p = x.indptr[i] as number; p < (x.indptr[i + 1] as number); p++) sum += x.data[p] as number;
    out[i] = Math.log(sum);
  }
  return tensor2d(out, [x.nRows, 1]);
}
