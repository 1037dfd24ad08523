// The data matrix of a PCA as a linear operator: A (cells × selected genes), optionally centred
// (A - 1 μᵀ) without ever forming the centred matrix, so sparse data stay sparse. Products are
// plain JavaScript loops accumulating in float64; the dense kernels work on eight rows at a
// time, and `gram` computes Aᵀ(A v) in one pass over A (each block of rows is used for both
// products while it is in cache), about twice as fast as two separate passes.
import { DenseArray } from '@vitae/anndata';

import { sparseRows } from '../util/adata.js';
import { colMeanVar } from '../util/stats.js';

import type { CsrMatrix, Matrix } from '@vitae/anndata';

export class DataOperator {
  readonly nRows: number;
  readonly nCols: number;
  /** Column means subtracted by the operator (zeros without centring). */
  readonly mean: Float64Array;
  /** Per-column variance (ddof 1 when centred, 0 otherwise), as PCA's total variance uses it. */
  readonly colVar: Float64Array;
  readonly dense: Float32Array | Float64Array | undefined;
  readonly csr: CsrMatrix | undefined;

  constructor(m: Matrix, center: boolean, cols?: Int32Array) {
    let src: Matrix = m;
    if (cols) {
      const csr = sparseRows(m);
      if (csr) src = csr.selectColumns(cols);
      else {
        const d = m as DenseArray;
        const out = d.values instanceof Float64Array ? new Float64Array(d.nRows * cols.length) : new Float32Array(d.nRows * cols.length);
        for (let i = 0; i < d.nRows; i++) {
          const row = i * d.nCols;
          for (let c = 0; c < cols.length; c++) out[i * cols.length + c] = d.values[row + (cols[c] as number)] as number;
        }
        src = new DenseArray(out, d.nRows, cols.length);
      }
    }
    this.nRows = src.nRows;
    this.nCols = src.nCols;
    this.csr = sparseRows(src);
    this.dense = src instanceof DenseArray ? src.values : undefined;
    const stats = colMeanVar(src, undefined, center ? 1 : 0);
    this.mean = center ? stats.mean : new Float64Array(this.nCols);
    this.colVar = stats.var;
  }

  /** μ·v */
  #shift(v: Float64Array): number {
    let s = 0;
    for (let j = 0; j < this.nCols; j++) s += (this.mean[j] as number) * (v[j] as number);
    return s;
  }

  /** u = A_c v (v: nCols, u: nRows). */
  mul(v: Float64Array, u: Float64Array): void {
    const shift = this.#shift(v);
    const p = this.nCols;
    if (this.csr) {
      const { indptr, indices, data } = this.csr;
      for (let i = 0; i < this.nRows; i++) {
        let s = 0;
        for (let k = indptr[i] as number; k < (indptr[i + 1] as number); k++) s += (data[k] as number) * (v[indices[k] as number] as number);
        u[i] = s - shift;
      }
      return;
    }
    const A = this.dense as Float32Array;
    for (let i = 0; i < this.nRows; i++) {
      let s = 0;
      for (let j = 0, a = i * p; j < p; j++, a++) s += (A[a] as number) * (v[j] as number);
      u[i] = s - shift;
    }
  }

  /** w = A_cᵀ u (u: nRows, w: nCols). */
  tmul(u: Float64Array, w: Float64Array): void {
    w.fill(0);
    const p = this.nCols;
    let total = 0;
    for (let i = 0; i < this.nRows; i++) total += u[i] as number;
    if (this.csr) {
      const { indptr, indices, data } = this.csr;
      for (let i = 0; i < this.nRows; i++) {
        const x = u[i] as number;
        for (let k = indptr[i] as number; k < (indptr[i + 1] as number); k++) {
          const j = indices[k] as number;
          w[j] = (w[j] as number) + (data[k] as number) * x;
        }
      }
    } else {
      const A = this.dense as Float32Array;
      let i = 0;
      for (; i + 4 <= this.nRows; i += 4) {
        const a0 = i * p;
        const a1 = a0 + p;
        const a2 = a1 + p;
        const a3 = a2 + p;
        const u0 = u[i] as number;
        const u1 = u[i + 1] as number;
        const u2 = u[i + 2] as number;
        const u3 = u[i + 3] as number;
        for (let j = 0; j < p; j++) w[j] = (w[j] as number) + (A[a0 + j] as number) * u0 + (A[a1 + j] as number) * u1 + (A[a2 + j] as number) * u2 + (A[a3 + j] as number) * u3;
      }
      for (; i < this.nRows; i++) {
        const x = u[i] as number;
        for (let j = 0, a = i * p; j < p; j++, a++) w[j] = (w[j] as number) + (A[a] as number) * x;
      }
    }
    for (let j = 0; j < p; j++) w[j] = (w[j] as number) - (this.mean[j] as number) * total;
  }

  /** u = A_c v and w = A_cᵀ u. */
  gram(v: Float64Array, u: Float64Array, w: Float64Array): void {
    if (this.csr) {
      this.mul(v, u);
      this.tmul(u, w);
      return;
    }
    const A = this.dense as Float32Array;
    const p = this.nCols;
    const n = this.nRows;
    const shift = this.#shift(v);
    w.fill(0);
    let total = 0;
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const a0 = i * p;
      const a1 = a0 + p;
      const a2 = a1 + p;
      const a3 = a2 + p;
      const a4 = a3 + p;
      const a5 = a4 + p;
      const a6 = a5 + p;
      const a7 = a6 + p;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let j = 0; j < p; j++) {
        const x = v[j] as number;
        s0 += (A[a0 + j] as number) * x;
        s1 += (A[a1 + j] as number) * x;
        s2 += (A[a2 + j] as number) * x;
        s3 += (A[a3 + j] as number) * x;
        s4 += (A[a4 + j] as number) * x;
        s5 += (A[a5 + j] as number) * x;
        s6 += (A[a6 + j] as number) * x;
        s7 += (A[a7 + j] as number) * x;
      }
      s0 -= shift;
      s1 -= shift;
      s2 -= shift;
      s3 -= shift;
      s4 -= shift;
      s5 -= shift;
      s6 -= shift;
      s7 -= shift;
      u[i] = s0;
      u[i + 1] = s1;
      u[i + 2] = s2;
      u[i + 3] = s3;
      u[i + 4] = s4;
      u[i + 5] = s5;
      u[i + 6] = s6;
      u[i + 7] = s7;
      total += s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
      for (let j = 0; j < p; j++) {
        w[j] =
          (w[j] as number) +
          (A[a0 + j] as number) * s0 +
          (A[a1 + j] as number) * s1 +
          (A[a2 + j] as number) * s2 +
          (A[a3 + j] as number) * s3 +
          (A[a4 + j] as number) * s4 +
          (A[a5 + j] as number) * s5 +
          (A[a6 + j] as number) * s6 +
          (A[a7 + j] as number) * s7;
      }
    }
    for (; i < n; i++) {
      let s = 0;
      const a = i * p;
      for (let j = 0; j < p; j++) s += (A[a + j] as number) * (v[j] as number);
      s -= shift;
      u[i] = s;
      total += s;
      for (let j = 0; j < p; j++) w[j] = (w[j] as number) + (A[a + j] as number) * s;
    }
    for (let j = 0; j < p; j++) w[j] = (w[j] as number) - (this.mean[j] as number) * total;
  }

  /** Row-major float32 copies of A and Aᵀ (uncentred), for tensor products. */
  denseRows(): { a: Float32Array; at: Float32Array } {
    const n = this.nRows;
    const p = this.nCols;
    const a = new Float32Array(n * p);
    if (this.csr) {
      const { indptr, indices, data } = this.csr;
      for (let i = 0; i < n; i++) for (let k = indptr[i] as number; k < (indptr[i + 1] as number); k++) a[i * p + (indices[k] as number)] = (a[i * p + (indices[k] as number)] as number) + (data[k] as number);
    } else a.set(this.dense as Float32Array);
    const at = new Float32Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) at[j * n + i] = a[i * p + j] as number;
    return { a, at };
  }
}
