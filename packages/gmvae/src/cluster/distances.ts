// Squared Euclidean distances from data rows to centres, by the expansion
//   ||x - c||² = ||x||² - 2 x·c + ||c||²
// with the norms computed once, so that the inner loop is a dot product, summed in float64
// whatever the data's type. Two layouts of the rows:
//   dense   the row-major matrix itself;
//   sparse  each row's nonzero entries (column, value), used when at most SPARSE_DENSITY of the
//           entries are nonzero (MNIST pixels: about 19%), which skips the zero products.
// Both give bitwise the same sums: a skipped term x·c with x = 0 is an exact 0 (c is finite).
// The centres are taken four at a time (then two, then one): each x value loaded is used four
// times, and the four sums are independent chains (the JIT keeps them in registers instead of
// waiting on one add after another).

export type Matrix = Float32Array | Float64Array;

/** The largest fraction of nonzero entries for which the sparse layout is used. */
export const SPARSE_DENSITY = 0.4;

export interface Rows {
  nRows: number;
  nCols: number;
  data: Matrix;
  /** ||row||², float64. */
  norms: Float64Array;
  /** Row i's nonzeros are cols / values [start[i], start[i + 1]), when the data is sparse enough. */
  sparse: { start: Int32Array; cols: Int32Array; values: Float64Array } | null;
}

/** The rows of the row-major nRows x nCols `data`, with their norms and (if sparse enough) nonzeros. */
export function prepareRows(data: Matrix, nRows: number, nCols: number): Rows {
  const norms = new Float64Array(nRows);
  let nonzeros = 0;
  for (let i = 0, o = 0; i < nRows; i++, o += nCols) {
    let s = 0;
    for (let d = 0; d < nCols; d++) {
      const x = data[o + d] as number;
      s += x * x;
      if (x !== 0) nonzeros++;
    }
    norms[i] = s;
  }
  if (nonzeros > SPARSE_DENSITY * nRows * nCols) return { nRows, nCols, data, norms, sparse: null };
  const start = new Int32Array(nRows + 1);
  const cols = new Int32Array(nonzeros);
  const values = new Float64Array(nonzeros);
  let p = 0;
  for (let i = 0, o = 0; i < nRows; i++, o += nCols) {
    for (let d = 0; d < nCols; d++) {
      const x = data[o + d] as number;
      if (x !== 0) {
        cols[p] = d;
        values[p++] = x;
      }
    }
    start[i + 1] = p;
  }
  return { nRows, nCols, data, norms, sparse: { start, cols, values } };
}

/** ||c_j||² of the k rows of the row-major k x nCols `centers`, into `out`. */
export function centerSquaredNorms(centers: Float64Array, k: number, nCols: number, out: Float64Array): void {
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let d = j * nCols, end = d + nCols; d < end; d++) s += (centers[d] as number) * (centers[d] as number);
    out[j] = s;
  }
}

/**
 * out[j] = ||x - c_j||² for j < k, where x is row `row` of `rows` and c_j row j of the row-major
 * k x nCols `centers` (||c_j||² = centerNorms[j]). Clamped at 0: the expansion can round to a tiny
 * negative number for a point on its centre.
 */
export function distancesToCenters(rows: Rows, row: number, centers: Float64Array, centerNorms: Float64Array, k: number, out: Float64Array): void {
  if (rows.sparse === null) denseDots(rows.data, row * rows.nCols, rows.nCols, centers, k, out);
  else sparseDots(rows.sparse.cols, rows.sparse.values, rows.sparse.start[row] as number, rows.sparse.start[row + 1] as number, rows.nCols, centers, k, out);
  const xNorm = rows.norms[row] as number;
  for (let j = 0; j < k; j++) out[j] = Math.max(0, xNorm - 2 * (out[j] as number) + (centerNorms[j] as number));
}

/** ||x - c_j||² for the one centre j (as distancesToCenters). */
export function distanceToCenter(rows: Rows, row: number, centers: Float64Array, centerNorms: Float64Array, j: number): number {
  const { nCols } = rows;
  const c = j * nCols;
  let s = 0;
  if (rows.sparse === null) {
    const xo = row * nCols;
    for (let d = 0; d < nCols; d++) s += (rows.data[xo + d] as number) * (centers[c + d] as number);
  } else {
    const { cols, values, start } = rows.sparse;
    for (let p = start[row] as number, end = start[row + 1] as number; p < end; p++) s += (values[p] as number) * (centers[c + (cols[p] as number)] as number);
  }
  return Math.max(0, (rows.norms[row] as number) - 2 * s + (centerNorms[j] as number));
}

/** sums[offset + d] += x_d for row `row` (the nonzeros only, when sparse). */
export function addRow(rows: Rows, row: number, sums: Float64Array, offset: number, sign: 1 | -1 = 1): void {
  if (rows.sparse === null) {
    const xo = row * rows.nCols;
    for (let d = 0; d < rows.nCols; d++) sums[offset + d] = (sums[offset + d] as number) + sign * (rows.data[xo + d] as number);
  } else {
    const { cols, values, start } = rows.sparse;
    for (let p = start[row] as number, end = start[row + 1] as number; p < end; p++) {
      const d = offset + (cols[p] as number);
      sums[d] = (sums[d] as number) + sign * (values[p] as number);
    }
  }
}

/** out[j] = x·c_j, x the dense row at `xo`. */
function denseDots(data: Matrix, xo: number, nCols: number, centers: Float64Array, k: number, out: Float64Array): void {
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const c0 = j * nCols;
    const c1 = c0 + nCols;
    const c2 = c1 + nCols;
    const c3 = c2 + nCols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < nCols; d++) {
      const x = data[xo + d] as number;
      s0 += x * (centers[c0 + d] as number);
      s1 += x * (centers[c1 + d] as number);
      s2 += x * (centers[c2 + d] as number);
      s3 += x * (centers[c3 + d] as number);
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  // The last k mod 4 centres, one at a time.
  for (; j < k; j++) {
    const c0 = j * nCols;
    let s0 = 0;
    for (let d = 0; d < nCols; d++) s0 += (data[xo + d] as number) * (centers[c0 + d] as number);
    out[j] = s0;
  }
}

/** out[j] = x·c_j, x the sparse row with nonzeros cols / values [begin, end). */
function sparseDots(cols: Int32Array, values: Float64Array, begin: number, end: number, nCols: number, centers: Float64Array, k: number, out: Float64Array): void {
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const c0 = j * nCols;
    const c1 = c0 + nCols;
    const c2 = c1 + nCols;
    const c3 = c2 + nCols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let p = begin; p < end; p++) {
      const d = cols[p] as number;
      const x = values[p] as number;
      s0 += x * (centers[c0 + d] as number);
      s1 += x * (centers[c1 + d] as number);
      s2 += x * (centers[c2 + d] as number);
      s3 += x * (centers[c3 + d] as number);
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < k; j++) {
    const c0 = j * nCols;
    let s0 = 0;
    for (let p = begin; p < end; p++) s0 += (values[p] as number) * (centers[c0 + (cols[p] as number)] as number);
    out[j] = s0;
  }
}
