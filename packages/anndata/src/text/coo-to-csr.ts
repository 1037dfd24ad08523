// Coordinate entries in typed arrays → canonical CSR (columns ascending and unique in each row),
// by counting, without the JS arrays and per-row sorts of CsrMatrix.fromCoo: a 10x matrix has
// millions of entries and arrives already grouped by cell, which is the row of the result.
import { CsrMatrix } from '../matrix/csr.js';

/**
 * CSR with rows = `majors`, columns = `minors`. Duplicates are summed, as scipy's coo → csr does.
 * When `majorsSorted` (majors never decrease) the arrays are already in row order and are
 * adopted without a copy; `minors` and `values` then belong to the result.
 * The caller has range-checked the indices.
 */
export function cooToCsr(majors: Int32Array, minors: Int32Array, values: Float32Array, nMajor: number, nMinor: number, majorsSorted: boolean): CsrMatrix {
  const nnz = values.length;
  const indptr = new Int32Array(nMajor + 1);
  for (let k = 0; k < nnz; k++) {
    const at = (majors[k] as number) + 1;
    indptr[at] = (indptr[at] as number) + 1;
  }
  for (let i = 0; i < nMajor; i++) indptr[i + 1] = (indptr[i + 1] as number) + (indptr[i] as number);
  let indices = minors;
  let data = values;
  if (!majorsSorted) {
    indices = new Int32Array(nnz);
    data = new Float32Array(nnz);
    const next = indptr.slice(0, nMajor);
    for (let k = 0; k < nnz; k++) {
      const i = majors[k] as number;
      const q = next[i] as number;
      next[i] = q + 1;
      indices[q] = minors[k] as number;
      data[q] = values[k] as number;
    }
  }
  return canonicalRows(indptr, indices, data, nMajor, nMinor);
}

/** Sorts the rows whose columns are not strictly ascending and sums duplicate columns. */
function canonicalRows(indptr: Int32Array, indices: Int32Array, data: Float32Array, nRows: number, nCols: number): CsrMatrix {
  let hasDuplicates = false;
  for (let i = 0; i < nRows; i++) {
    const lo = indptr[i] as number;
    const hi = indptr[i + 1] as number;
    let ordered = true;
    for (let p = lo + 1; p < hi; p++) {
      if ((indices[p] as number) <= (indices[p - 1] as number)) {
        ordered = false;
        break;
      }
    }
    if (ordered) continue;
    sortRow(indices, data, lo, hi);
    for (let p = lo + 1; p < hi && !hasDuplicates; p++) if (indices[p] === indices[p - 1]) hasDuplicates = true;
  }
  if (!hasDuplicates) return new CsrMatrix({ nRows, nCols, data, indices, indptr }, { check: false });
  // Compact in place: the write position never passes the read position.
  let w = 0;
  let lo = 0;
  for (let i = 0; i < nRows; i++) {
    const hi = indptr[i + 1] as number;
    const rowStart = w;
    for (let p = lo; p < hi; p++) {
      if (w > rowStart && indices[w - 1] === indices[p]) data[w - 1] = (data[w - 1] as number) + (data[p] as number);
      else {
        indices[w] = indices[p] as number;
        data[w] = data[p] as number;
        w++;
      }
    }
    lo = hi;
    indptr[i + 1] = w;
  }
  return new CsrMatrix({ nRows, nCols, data: data.slice(0, w), indices: indices.slice(0, w), indptr }, { check: false });
}

function sortRow(indices: Int32Array, data: Float32Array, lo: number, hi: number): void {
  const cols = indices.slice(lo, hi);
  const vals = data.slice(lo, hi);
  const order = Int32Array.from({ length: hi - lo }, (_, k) => k).sort((a, b) => (cols[a] as number) - (cols[b] as number));
  for (let k = 0; k < order.length; k++) {
    indices[lo + k] = cols[order[k] as number] as number;
    data[lo + k] = vals[order[k] as number] as number;
  }
}
