// One type for what X, a layer, obsm / varm / obsp can hold, and the operations AnnData applies
// to any of them (subsetting, conversion, concatenation), each keeping the storage kind.
import { CscMatrix } from './csc.js';
import { CsrMatrix } from './csr.js';
import { DenseArray } from './dense.js';
import { indexList } from './selection.js';

import type { Selection } from './selection.js';

export type Matrix = CsrMatrix | CscMatrix | DenseArray;

export function isMatrix(x: unknown): x is Matrix {
  return x instanceof CsrMatrix || x instanceof CscMatrix || x instanceof DenseArray;
}

/** `m` as CSR (CSR returned as is, CSC converted, dense compressed to its non-zeros). */
export function toCsr(m: Matrix): CsrMatrix {
  if (m instanceof CsrMatrix) return m;
  if (m instanceof CscMatrix) return m.toCsr();
  return CsrMatrix.fromDense(m.values, m.nRows, m.nCols);
}

/** Rows and columns of `m` picked by `rows` / `cols` (undefined: all), the same storage kind. */
export function subsetMatrix(m: Matrix, rows: Selection | undefined, cols: Selection | undefined): Matrix {
  if (m instanceof CsrMatrix) {
    const r = rows === undefined ? m : m.selectRows(rows);
    return cols === undefined ? r : r.selectColumns(cols);
  }
  if (m instanceof CscMatrix) {
    // A CSC matrix is the CSR of its transpose: rows and columns swap roles.
    const t = new CsrMatrix({ nRows: m.nCols, nCols: m.nRows, data: m.data, indices: m.indices, indptr: m.indptr }, { check: false });
    const c = cols === undefined ? t : t.selectRows(cols);
    const both = rows === undefined ? c : c.selectColumns(rows);
    return new CscMatrix({ nRows: both.nCols, nCols: both.nRows, data: both.data, indices: both.indices, indptr: both.indptr }, { check: false });
  }
  const rowList = rows === undefined ? undefined : indexList(rows, m.nRows, 'subset', 'rows');
  const colList = cols === undefined ? undefined : indexList(cols, m.nCols, 'subset', 'cols');
  const nRows = rowList ? rowList.length : m.nRows;
  const nCols = colList ? colList.length : m.nCols;
  const out = m.values instanceof Float64Array ? new Float64Array(nRows * nCols) : new Float32Array(nRows * nCols);
  for (let r = 0; r < nRows; r++) {
    const i = rowList ? (rowList[r] as number) : r;
    if (!colList) out.set(m.values.subarray(i * m.nCols, (i + 1) * m.nCols), r * nCols);
    else for (let c = 0; c < nCols; c++) out[r * nCols + c] = m.values[i * m.nCols + (colList[c] as number)] as number;
  }
  return new DenseArray(out, nRows, nCols);
}

/** Row-major dense values of `m`. */
export function toDenseValues(m: Matrix): Float32Array | Float64Array {
  if (m instanceof DenseArray) return m.values;
  return toCsr(m).toDense();
}

/** Matrices with the same column count stacked by rows; the kind of the first one is kept. */
export function stackRows(parts: readonly Matrix[], what: string): Matrix {
  const first = parts[0];
  if (!first) throw new RangeError(`${what}: nothing to stack`);
  const nCols = first.nCols;
  parts.forEach((p, k) => {
    if (p.nCols !== nCols) throw new RangeError(`${what}: part ${k} has ${p.nCols} columns, part 0 has ${nCols}`);
  });
  const nRows = parts.reduce((s, p) => s + p.nRows, 0);
  if (first instanceof DenseArray) {
    const f64 = parts.some((p) => p instanceof DenseArray && p.values instanceof Float64Array);
    const out = f64 ? new Float64Array(nRows * nCols) : new Float32Array(nRows * nCols);
    let offset = 0;
    for (const p of parts) {
      out.set(toDenseValues(p), offset);
      offset += p.nRows * nCols;
    }
    return new DenseArray(out, nRows, nCols);
  }
  const csrs = parts.map(toCsr);
  const nnz = csrs.reduce((s, p) => s + p.nnz, 0);
  const data = new Float32Array(nnz);
  const indices = new Int32Array(nnz);
  const indptr = new Int32Array(nRows + 1);
  let row = 0;
  let at = 0;
  for (const p of csrs) {
    data.set(p.data, at);
    indices.set(p.indices, at);
    for (let i = 1; i <= p.nRows; i++) indptr[row + i] = at + (p.indptr[i] as number);
    row += p.nRows;
    at += p.nnz;
  }
  const csr = new CsrMatrix({ nRows, nCols, data, indices, indptr }, { check: false });
  return first instanceof CscMatrix ? CscMatrix.fromCsr(csr) : csr;
}
