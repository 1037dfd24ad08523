// Compressed sparse column matrices, kept so that a CSC matrix read from an .h5ad is written
// back as CSC. Stored as the CSR matrix of the transpose: column j's values are
// data[indptr[j] .. indptr[j + 1]) at rows indices[same range] (scipy's csc_matrix layout).
import { CsrMatrix, checkCompressed } from './csr.js';

export class CscMatrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly data: Float32Array;
  readonly indices: Int32Array;
  readonly indptr: Int32Array;

  constructor(parts: { nRows: number; nCols: number; data: Float32Array; indices: Int32Array; indptr: Int32Array }, options: { check?: boolean } = {}) {
    if (options.check ?? true) checkCompressed(parts, parts.nCols, parts.nRows, 'CscMatrix');
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

  /** The same matrix in CSR layout (rows' columns sorted). */
  toCsr(): CsrMatrix {
    return new CsrMatrix({ nRows: this.nCols, nCols: this.nRows, data: this.data, indices: this.indices, indptr: this.indptr }, { check: false }).transpose();
  }

  /** `m` in CSC layout. */
  static fromCsr(m: CsrMatrix): CscMatrix {
    const t = m.transpose();
    return new CscMatrix({ nRows: m.nRows, nCols: m.nCols, data: t.data, indices: t.indices, indptr: t.indptr }, { check: false });
  }
}
