// A dense data matrix (items × features) as models take it: float32 rows in one buffer, so a
// minibatch is a gather of rows and the whole set never has to live as one big tensor.
import { Tensor, describeValue, tensor2d, tidy } from '@vitae/tensor';

export interface DenseMatrix {
  /** Row-major values, nRows × nCols. */
  values: Float32Array;
  nRows: number;
  nCols: number;
}

/** Data a model accepts: rows as arrays, a 2-D Tensor, or a DenseMatrix. */
export type MatrixInput = readonly (readonly number[])[] | Tensor | DenseMatrix;

function isDenseMatrix(x: unknown): x is DenseMatrix {
  return typeof x === 'object' && x !== null && (x as DenseMatrix).values instanceof Float32Array && Number.isInteger((x as DenseMatrix).nRows) && Number.isInteger((x as DenseMatrix).nCols);
}

/**
 * Checks `data` and copies it into a DenseMatrix: 2-D, at least one row, the expected column
 * count when `nCols` is given, every value finite (NaN / Infinity named with row and column).
 */
export function toDenseMatrix(data: MatrixInput, fn: string, arg: string, expected: { nCols?: number; minRows?: number } = {}): DenseMatrix {
  let m: DenseMatrix;
  if (data instanceof Tensor) {
    if (data.isDisposed || data.rank !== 2) throw new RangeError(`${fn}: argument '${arg}' must be a 2-D Tensor [items, features], got ${describeValue(data)}`);
    m = { values: Float32Array.from(data.dataSync()), nRows: data.shape[0] as number, nCols: data.shape[1] as number };
  } else if (isDenseMatrix(data)) {
    if (data.values.length !== data.nRows * data.nCols) {
      throw new RangeError(`${fn}: argument '${arg}' has ${data.values.length} values but nRows × nCols = ${data.nRows} × ${data.nCols}`);
    }
    m = { values: data.values.slice(), nRows: data.nRows, nCols: data.nCols };
  } else if (Array.isArray(data)) {
    const nRows = data.length;
    const nCols = nRows > 0 && Array.isArray(data[0]) ? (data[0] as readonly number[]).length : 0;
    const values = new Float32Array(nRows * nCols);
    data.forEach((row: unknown, i: number) => {
      if (!Array.isArray(row) || row.length !== nCols) throw new RangeError(`${fn}: argument '${arg}' must be a rectangular array of rows; row ${i} has ${describeValue(row)} where row 0 has ${nCols} values`);
      values.set(row as number[], i * nCols);
    });
    m = { values, nRows, nCols };
  } else {
    throw new TypeError(`${fn}: argument '${arg}' must be an array of rows, a 2-D Tensor or { values: Float32Array, nRows, nCols }, got ${describeValue(data)}`);
  }
  const minRows = expected.minRows ?? 1;
  if (m.nRows < minRows) throw new RangeError(`${fn}: argument '${arg}' must have at least ${minRows} row(s), got ${m.nRows}`);
  if (expected.nCols !== undefined && m.nCols !== expected.nCols) {
    throw new RangeError(`${fn}: argument '${arg}' must have ${expected.nCols} features (columns), as the model was built for, got ${m.nCols}`);
  }
  if (m.nCols < 1) throw new RangeError(`${fn}: argument '${arg}' must have at least one feature (column), got ${m.nCols}`);
  for (let k = 0; k < m.values.length; k++) {
    const v = m.values[k] as number;
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: argument '${arg}' must hold finite values, got ${v} at row ${Math.floor(k / m.nCols)}, column ${k % m.nCols}`);
  }
  return m;
}

/** The rows `indices` of `m` as a [indices.length, nCols] tensor. */
export function gatherRows(m: DenseMatrix, indices: ArrayLike<number>): Tensor {
  const out = new Float32Array(indices.length * m.nCols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] as number;
    out.set(m.values.subarray(r * m.nCols, (r + 1) * m.nCols), i * m.nCols);
  }
  return tensor2d(out, [indices.length, m.nCols]);
}

/** Calls `fn` on consecutive chunks of `rows` of at most `batchSize`, with each chunk's offset in `rows`. */
export function forRowBatches(rows: Int32Array, batchSize: number, fn: (chunk: Int32Array, offset: number) => void): void {
  for (let lo = 0; lo < rows.length; lo += batchSize) fn(rows.subarray(lo, Math.min(rows.length, lo + batchSize)), lo);
}

/** Every row index 0 … n-1. */
export function allRows(m: DenseMatrix): Int32Array {
  return Int32Array.from({ length: m.nRows }, (_, i) => i);
}

/**
 * `f` on consecutive batches of rows (each [≤ batchSize, nCols] tensor, inside tidy), its
 * [batch, nOut] results stacked into a DenseMatrix: evaluation over a dataset without ever
 * holding the dataset as one tensor.
 */
export function mapRowBatches(m: DenseMatrix, batchSize: number, f: (x: Tensor, rows: Int32Array) => Tensor): DenseMatrix {
  const rows = allRows(m);
  let out: Float32Array | undefined;
  let nOut = 0;
  for (let start = 0; start < m.nRows; start += batchSize) {
    const chunk = rows.subarray(start, start + batchSize);
    const y = tidy(() => f(gatherRows(m, chunk), chunk));
    nOut = y.shape[1] as number;
    out ??= new Float32Array(m.nRows * nOut);
    out.set(y.dataSync(), start * nOut);
    y.dispose();
  }
  return { values: out ?? new Float32Array(0), nRows: m.nRows, nCols: nOut };
}
