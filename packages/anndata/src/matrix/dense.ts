// A dense row-major 2-D array: X, a layer, or an obsm / varm embedding (e.g. X_pca, X_scVI).
// float32 for expression values, float64 where the file holds float64 (kept for exact round trips).
export class DenseArray {
  readonly nRows: number;
  readonly nCols: number;
  readonly values: Float32Array | Float64Array;

  constructor(values: Float32Array | Float64Array, nRows: number, nCols: number) {
    if (!Number.isInteger(nRows) || nRows < 0 || !Number.isInteger(nCols) || nCols < 0) throw new RangeError(`DenseArray: shape must be two non-negative integers, got [${nRows}, ${nCols}]`);
    if (values.length !== nRows * nCols) throw new RangeError(`DenseArray: values has ${values.length} entries, expected nRows × nCols = ${nRows} × ${nCols} = ${nRows * nCols}`);
    this.values = values;
    this.nRows = nRows;
    this.nCols = nCols;
  }

  get shape(): [number, number] {
    return [this.nRows, this.nCols];
  }

  get(i: number, j: number): number {
    return this.values[i * this.nCols + j] as number;
  }

  /** Row i as a view (no copy). */
  row(i: number): Float32Array | Float64Array {
    return this.values.subarray(i * this.nCols, (i + 1) * this.nCols);
  }
}
