// Compressed sparse row matrices: float32 values, int32 column indices, row pointers.
// Row i holds data[indptr[i] .. indptr[i + 1]) at columns indices[same range]; the layout of
// scipy.sparse.csr_matrix and of AnnData's on-disk 'csr_matrix' encoding.
import { tensor2d } from '@vitae/tensor';

import { indexList, rowRange } from './selection.js';

import type { Tensor2D } from '@vitae/tensor';
import type { Selection } from './selection.js';

export interface CsrParts {
  nRows: number;
  nCols: number;
  /** Stored values, nnz of them. */
  data: Float32Array;
  /** Column of each stored value, nnz of them, in [0, nCols). */
  indices: Int32Array;
  /** nRows + 1 non-decreasing offsets into data / indices, from 0 to nnz. */
  indptr: Int32Array;
}

/**
 * Throws unless `p` is a well-formed CSR / CSC structure (`major` = rows for CSR, columns for
 * CSC). Costs one pass over the indices; every constructor from outside data runs it.
 */
export function checkCompressed(p: { data: ArrayLike<number>; indices: ArrayLike<number>; indptr: ArrayLike<number> }, nMajor: number, nMinor: number, what: string): void {
  const { data, indices, indptr } = p;
  if (!Number.isInteger(nMajor) || nMajor < 0 || !Number.isInteger(nMinor) || nMinor < 0) {
    throw new RangeError(`${what}: shape must be two non-negative integers, got [${nMajor}, ${nMinor}]`);
  }
  if (indptr.length !== nMajor + 1) throw new RangeError(`${what}: indptr must have ${nMajor + 1} entries (one more than the major dimension), got ${indptr.length}`);
  if (data.length !== indices.length) throw new RangeError(`${what}: data and indices must have the same length, got ${data.length} and ${indices.length}`);
  if (indptr[0] !== 0) throw new RangeError(`${what}: indptr[0] must be 0, got ${indptr[0]}`);
  if (indptr[nMajor] !== data.length) throw new RangeError(`${what}: indptr[${nMajor}] must equal the number of stored values ${data.length}, got ${indptr[nMajor]}`);
  for (let i = 0; i < nMajor; i++) {
    if ((indptr[i + 1] as number) < (indptr[i] as number)) throw new RangeError(`${what}: indptr must be non-decreasing, got ${indptr[i]} then ${indptr[i + 1]} at ${i}`);
  }
  for (let k = 0; k < indices.length; k++) {
    const j = indices[k] as number;
    if (!(j >= 0 && j < nMinor) || !Number.isInteger(j)) throw new RangeError(`${what}: index ${j} at position ${k} is outside [0, ${nMinor})`);
  }
}

export class CsrMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly data: Float32Array;
  readonly indices: Int32Array;
  readonly indptr: Int32Array;

  /** Wraps the arrays (no copy) after checking their structure; `check: false` skips that pass. */
  constructor(parts: CsrParts, options: { check?: boolean } = {}) {
    if (options.check ?? true) checkCompressed(parts, parts.nRows, parts.nCols, 'CsrMatrix');
    this.nRows = parts.nRows;
    this.nCols = parts.nCols;
    this.data = parts.data;
    this.indices = parts.indices;
    this.indptr = parts.indptr;
  }

  get shape(): [number, number] {
    return [this.nRows, this.nCols];
  }

  get nnz(): number {
    return this.data.length;
  }

  /** Stored values / (nRows × nCols). */
  get density(): number {
    return this.nRows * this.nCols === 0 ? 0 : this.nnz / (this.nRows * this.nCols);
  }

  /** Row-major dense values → CSR, keeping the non-zeros. */
  static fromDense(values: ArrayLike<number>, nRows: number, nCols: number): CsrMatrix {
    if (values.length !== nRows * nCols) throw new RangeError(`CsrMatrix.fromDense: values has ${values.length} entries, expected nRows × nCols = ${nRows * nCols}`);
    let nnz = 0;
    for (let k = 0; k < values.length; k++) if (values[k] !== 0) nnz++;
    const data = new Float32Array(nnz);
    const indices = new Int32Array(nnz);
    const indptr = new Int32Array(nRows + 1);
    let p = 0;
    for (let i = 0; i < nRows; i++) {
      for (let j = 0; j < nCols; j++) {
        const v = values[i * nCols + j] as number;
        if (v !== 0) {
          data[p] = v;
          indices[p++] = j;
        }
      }
      indptr[i + 1] = p;
    }
    return new CsrMatrix({ nRows, nCols, data, indices, indptr }, { check: false });
  }

  /**
   * Coordinate triplets → CSR (order free; duplicates summed, as scipy's coo → csr does).
   * Within each row the columns come out sorted.
   */
  static fromCoo(rows: ArrayLike<number>, cols: ArrayLike<number>, values: ArrayLike<number>, nRows: number, nCols: number): CsrMatrix {
    if (rows.length !== cols.length || rows.length !== values.length) {
      throw new RangeError(`CsrMatrix.fromCoo: rows, cols and values must have the same length, got ${rows.length}, ${cols.length}, ${values.length}`);
    }
    const counts = new Int32Array(nRows + 1);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k] as number;
      const j = cols[k] as number;
      if (!(i >= 0 && i < nRows && Number.isInteger(i))) throw new RangeError(`CsrMatrix.fromCoo: row ${i} at entry ${k} is outside [0, ${nRows})`);
      if (!(j >= 0 && j < nCols && Number.isInteger(j))) throw new RangeError(`CsrMatrix.fromCoo: column ${j} at entry ${k} is outside [0, ${nCols})`);
      counts[i + 1] = (counts[i + 1] as number) + 1;
    }
    for (let i = 0; i < nRows; i++) counts[i + 1] = (counts[i + 1] as number) + (counts[i] as number);
    const next = counts.slice(0, nRows);
    const order = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k] as number;
      const at = next[i] as number;
      order[at] = k;
      next[i] = at + 1;
    }
    // Sort each row's entries by column, then merge duplicates.
    const data: number[] = [];
    const indices: number[] = [];
    const indptr = new Int32Array(nRows + 1);
    for (let i = 0; i < nRows; i++) {
      const entries = Array.from(order.subarray(counts[i], counts[i + 1])).sort((a, b) => (cols[a] as number) - (cols[b] as number));
      for (const k of entries) {
        const j = cols[k] as number;
        if (indices.length > (indptr[i] as number) && indices[indices.length - 1] === j) data[data.length - 1] = (data[data.length - 1] as number) + (values[k] as number);
        else {
          indices.push(j);
          data.push(values[k] as number);
        }
      }
      indptr[i + 1] = indices.length;
    }
    return new CsrMatrix({ nRows, nCols, data: Float32Array.from(data), indices: Int32Array.from(indices), indptr }, { check: false });
  }

  /** Value at (i, j); 0 where nothing is stored. */
  get(i: number, j: number): number {
    let v = 0;
    for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) if (this.indices[p] === j) v += this.data[p] as number;
    return v;
  }

  /** Stored values per row. */
  rowNnz(): Int32Array {
    return Int32Array.from({ length: this.nRows }, (_, i) => (this.indptr[i + 1] as number) - (this.indptr[i] as number));
  }

  /** Stored non-zero values per column. */
  colNnz(): Int32Array {
    const out = new Int32Array(this.nCols);
    for (let p = 0; p < this.nnz; p++) if (this.data[p] !== 0) out[this.indices[p] as number] = (out[this.indices[p] as number] as number) + 1;
    return out;
  }

  /** Sum of each row, in float64. */
  rowSums(): Float64Array {
    const out = new Float64Array(this.nRows);
    for (let i = 0; i < this.nRows; i++) {
      let s = 0;
      for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) s += this.data[p] as number;
      out[i] = s;
    }
    return out;
  }

  /** Sum of each column, in float64. */
  colSums(): Float64Array {
    const out = new Float64Array(this.nCols);
    for (let p = 0; p < this.nnz; p++) {
      const j = this.indices[p] as number;
      out[j] = (out[j] as number) + (this.data[p] as number);
    }
    return out;
  }

  /** The rows `rows` (indices, a boolean mask or a { start, end } range), in that order. */
  selectRows(rows: Selection): CsrMatrix {
    const range = rowRange(rows, this.nRows, 'CsrMatrix.selectRows', 'rows');
    if (range) {
      const lo = this.indptr[range.start] as number;
      const hi = this.indptr[range.end] as number;
      const indptr = this.indptr.slice(range.start, range.end + 1).map((v) => v - lo);
      return new CsrMatrix({ nRows: range.end - range.start, nCols: this.nCols, data: this.data.slice(lo, hi), indices: this.indices.slice(lo, hi), indptr }, { check: false });
    }
    const list = indexList(rows, this.nRows, 'CsrMatrix.selectRows', 'rows');
    const indptr = new Int32Array(list.length + 1);
    for (let r = 0; r < list.length; r++) {
      const i = list[r] as number;
      indptr[r + 1] = (indptr[r] as number) + (this.indptr[i + 1] as number) - (this.indptr[i] as number);
    }
    const nnz = indptr[list.length] as number;
    const data = new Float32Array(nnz);
    const indices = new Int32Array(nnz);
    for (let r = 0; r < list.length; r++) {
      const i = list[r] as number;
      const lo = this.indptr[i] as number;
      const hi = this.indptr[i + 1] as number;
      data.set(this.data.subarray(lo, hi), indptr[r]);
      indices.set(this.indices.subarray(lo, hi), indptr[r]);
    }
    return new CsrMatrix({ nRows: list.length, nCols: this.nCols, data, indices, indptr }, { check: false });
  }

  /** The columns `cols` (indices or a boolean mask), renumbered 0 … cols.length - 1 in that order. */
  selectColumns(cols: Selection): CsrMatrix {
    const list = indexList(cols, this.nCols, 'CsrMatrix.selectColumns', 'cols');
    // newOf[j] = output position of old column j, or -1; a repeated column takes the slow path.
    const newOf = new Int32Array(this.nCols).fill(-1);
    let repeats = false;
    let increasing = true;
    for (let out = 0; out < list.length; out++) {
      const j = list[out] as number;
      if (newOf[j] !== -1) repeats = true;
      newOf[j] = out;
      if (out > 0 && j <= (list[out - 1] as number)) increasing = false;
    }
    if (repeats) return this.selectColumnsWithRepeats(list);
    // Two passes over typed arrays: count the kept entries per row, then copy them.
    const indptr = new Int32Array(this.nRows + 1);
    for (let i = 0; i < this.nRows; i++) {
      let kept = 0;
      for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) if ((newOf[this.indices[p] as number] as number) >= 0) kept++;
      indptr[i + 1] = (indptr[i] as number) + kept;
    }
    const nnz = indptr[this.nRows] as number;
    const data = new Float32Array(nnz);
    const indices = new Int32Array(nnz);
    let q = 0;
    for (let i = 0; i < this.nRows; i++) {
      const rowStart = q;
      for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) {
        const j = newOf[this.indices[p] as number] as number;
        if (j < 0) continue;
        indices[q] = j;
        data[q++] = this.data[p] as number;
      }
      // An increasing selection keeps each row's columns sorted; otherwise sort the row (insertion
      // sort: rows are short and nearly sorted in practice).
      if (!increasing) {
        for (let a = rowStart + 1; a < q; a++) {
          const key = indices[a] as number;
          const value = data[a] as number;
          let b = a - 1;
          while (b >= rowStart && (indices[b] as number) > key) {
            indices[b + 1] = indices[b] as number;
            data[b + 1] = data[b] as number;
            b--;
          }
          indices[b + 1] = key;
          data[b + 1] = value;
        }
      }
    }
    return new CsrMatrix({ nRows: this.nRows, nCols: list.length, data, indices, indptr }, { check: false });
  }

  /** selectColumns when a column is picked more than once: each copy gets its own output column. */
  private selectColumnsWithRepeats(list: Int32Array): CsrMatrix {
    const positions = new Map<number, number[]>();
    list.forEach((j, out) => positions.set(j, [...(positions.get(j) ?? []), out]));
    const data: number[] = [];
    const indices: number[] = [];
    const indptr = new Int32Array(this.nRows + 1);
    const rowEntries: [number, number][] = [];
    for (let i = 0; i < this.nRows; i++) {
      rowEntries.length = 0;
      for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) {
        for (const out of positions.get(this.indices[p] as number) ?? []) rowEntries.push([out, this.data[p] as number]);
      }
      rowEntries.sort((a, b) => a[0] - b[0]);
      for (const [j, v] of rowEntries) {
        indices.push(j);
        data.push(v);
      }
      indptr[i + 1] = indices.length;
    }
    return new CsrMatrix({ nRows: this.nRows, nCols: list.length, data: Float32Array.from(data), indices: Int32Array.from(indices), indptr }, { check: false });
  }

  /** A copy with `f` applied to every stored value (f(0) should be 0 to keep the meaning). */
  mapValues(f: (value: number, row: number, col: number) => number): CsrMatrix {
    const data = new Float32Array(this.nnz);
    for (let i = 0; i < this.nRows; i++) {
      for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) data[p] = f(this.data[p] as number, i, this.indices[p] as number);
    }
    return new CsrMatrix({ nRows: this.nRows, nCols: this.nCols, data, indices: this.indices.slice(), indptr: this.indptr.slice() }, { check: false });
  }

  /** Row i multiplied by factors[i]. */
  scaleRows(factors: ArrayLike<number>): CsrMatrix {
    if (factors.length !== this.nRows) throw new RangeError(`CsrMatrix.scaleRows: factors must have nRows = ${this.nRows} entries, got ${factors.length}`);
    return this.mapValues((v, i) => v * (factors[i] as number));
  }

  /** Column j multiplied by factors[j]. */
  scaleColumns(factors: ArrayLike<number>): CsrMatrix {
    if (factors.length !== this.nCols) throw new RangeError(`CsrMatrix.scaleColumns: factors must have nCols = ${this.nCols} entries, got ${factors.length}`);
    return this.mapValues((v, _i, j) => v * (factors[j] as number));
  }

  /** The transpose, as CSR (equivalently: this matrix in CSC layout). Columns come out sorted. */
  transpose(): CsrMatrix {
    const indptr = new Int32Array(this.nCols + 1);
    for (let p = 0; p < this.nnz; p++) indptr[(this.indices[p] as number) + 1] = (indptr[(this.indices[p] as number) + 1] as number) + 1;
    for (let j = 0; j < this.nCols; j++) indptr[j + 1] = (indptr[j + 1] as number) + (indptr[j] as number);
    const next = indptr.slice(0, this.nCols);
    const data = new Float32Array(this.nnz);
    const indices = new Int32Array(this.nnz);
    for (let i = 0; i < this.nRows; i++) {
      for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) {
        const col = this.indices[p] as number;
        const q = next[col] as number;
        next[col] = q + 1;
        data[q] = this.data[p] as number;
        indices[q] = i;
      }
    }
    return new CsrMatrix({ nRows: this.nCols, nCols: this.nRows, data, indices, indptr }, { check: false });
  }

  /** Row-major dense values of rows `rows` (all rows when omitted). */
  toDense(rows?: Selection): Float32Array {
    const list = rows === undefined ? undefined : indexList(rows, this.nRows, 'CsrMatrix.toDense', 'rows');
    const n = list ? list.length : this.nRows;
    const out = new Float32Array(n * this.nCols);
    for (let r = 0; r < n; r++) {
      const i = list ? (list[r] as number) : r;
      for (let p = this.indptr[i] as number; p < (this.indptr[i + 1] as number); p++) {
        const at = r * this.nCols + (this.indices[p] as number);
        out[at] = (out[at] as number) + (this.data[p] as number);
      }
    }
    return out;
  }

  /** Rows `rows` as a dense [rows, nCols] float32 tensor the caller owns: one minibatch. */
  rowsToTensor(rows: Selection): Tensor2D {
    const values = this.toDense(rows);
    return tensor2d(values, [values.length / Math.max(this.nCols, 1), this.nCols]);
  }

  /** True when every stored value is a non-negative integer (count data). */
  isCounts(): boolean {
    for (let p = 0; p < this.nnz; p++) {
      const v = this.data[p] as number;
      if (!(v >= 0) || !Number.isInteger(v)) return false;
    }
    return true;
  }

  /** A deep copy. */
  clone(): CsrMatrix {
    return new CsrMatrix({ nRows: this.nRows, nCols: this.nCols, data: this.data.slice(), indices: this.indices.slice(), indptr: this.indptr.slice() }, { check: false });
  }
}
