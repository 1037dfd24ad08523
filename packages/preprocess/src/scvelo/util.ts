// Shared by the scVelo steps: layer look-up with errors that list what there is, float32
// arithmetic as scVelo does it on AnnData's float32 matrices, and per-gene column access.
import { CscMatrix, CsrMatrix, DenseArray, toCsr } from '@vitae/anndata';

import type { AnnData, Matrix } from '@vitae/anndata';

export const f32 = Math.fround;

/** float32 machine epsilon (2^-23). */
export const EPS_F32 = 1.1920928955078125e-7;

/** X (name 'X') or the layer `name`; the error names the function, the argument and the layers there are. */
export function getLayer(adata: AnnData, name: string, fn: string, arg: string): Matrix {
  if (name === 'X') {
    if (adata.X === undefined) throw new RangeError(`${fn}: argument '${arg}' is 'X' but X is not set; the layers are ${JSON.stringify(Object.keys(adata.layers))}`);
    return adata.X;
  }
  const m = adata.layers[name];
  if (m === undefined) throw new RangeError(`${fn}: argument '${arg}' names layer '${name}', which is not there; the layers are ${JSON.stringify(Object.keys(adata.layers))}`);
  return m;
}

/** Throws unless `m` is nObs × nVars (a layer assigned into adata.layers without AnnData.check()). */
export function checkShape(adata: AnnData, m: Matrix, fn: string, what: string): void {
  if (m.nRows !== adata.nObs || m.nCols !== adata.nVars) {
    throw new RangeError(`${fn}: ${what} has shape [${m.nRows}, ${m.nCols}], it must be [nObs, nVars] = [${adata.nObs}, ${adata.nVars}]`);
  }
}

/** Throws on a negative or non-finite stored value, naming the first one. */
export function checkNonNegativeFinite(m: Matrix, fn: string, what: string): void {
  const values = m instanceof DenseArray ? m.values : m.data;
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (!(v >= 0) || v === Infinity) {
      const [i, j] = position(m, k);
      throw new RangeError(`${fn}: ${what} must be finite and >= 0, got ${v} at cell ${i}, gene ${j}`);
    }
  }
}

function position(m: Matrix, k: number): [number, number] {
  if (m instanceof DenseArray) return [Math.floor(k / m.nCols), k % m.nCols];
  let major = 0;
  while ((m.indptr[major + 1] as number) <= k) major++;
  const minor = m.indices[k] as number;
  return m instanceof CsrMatrix ? [major, minor] : [minor, major];
}

/** Row sums as scipy computes them on float32 data: a float32 accumulator over the stored values in order. */
export function rowSumsF32(m: Matrix): Float32Array {
  const out = new Float32Array(m.nRows);
  if (m instanceof DenseArray) {
    for (let i = 0; i < m.nRows; i++) {
      let acc = 0;
      for (let j = 0; j < m.nCols; j++) acc = f32(acc + (m.values[i * m.nCols + j] as number));
      out[i] = acc;
    }
    return out;
  }
  const c = toCsr(m);
  for (let i = 0; i < c.nRows; i++) {
    let acc = 0;
    for (let p = c.indptr[i] as number; p < (c.indptr[i + 1] as number); p++) acc = f32(acc + (c.data[p] as number));
    out[i] = acc;
  }
  return out;
}

/** Each row times factors[i], rounded to float32; CSR / CSC come back as CSR, dense as float32 dense. */
export function scaleRowsF32(m: Matrix, factors: ArrayLike<number>): Matrix {
  if (m instanceof DenseArray) {
    const out = new Float32Array(m.values.length);
    for (let i = 0; i < m.nRows; i++) {
      const f = factors[i] as number;
      for (let j = 0; j < m.nCols; j++) out[i * m.nCols + j] = (m.values[i * m.nCols + j] as number) * f;
    }
    return new DenseArray(out, m.nRows, m.nCols);
  }
  const c = toCsr(m);
  const data = new Float32Array(c.nnz);
  for (let i = 0; i < c.nRows; i++) {
    const f = factors[i] as number;
    for (let p = c.indptr[i] as number; p < (c.indptr[i + 1] as number); p++) data[p] = (c.data[p] as number) * f;
  }
  return new CsrMatrix({ nRows: c.nRows, nCols: c.nCols, data, indices: c.indices.slice(), indptr: c.indptr.slice() }, { check: false });
}

/** The stored values of the first `nRows` rows (scVelo's "looks like counts" test reads rows 0..4). */
export function firstRowsValues(m: Matrix, nRows: number): ArrayLike<number> {
  const r = Math.min(nRows, m.nRows);
  if (m instanceof DenseArray) return m.values.subarray(0, r * m.nCols);
  const c = toCsr(m);
  return c.data.subarray(0, c.indptr[r] as number);
}

/** `m` as a row-major float64 or float32 dense array (a copy only when not dense already). */
export function denseValues(m: Matrix): Float32Array | Float64Array {
  if (m instanceof DenseArray) return m.values;
  return toCsr(m).toDense();
}

/** Per-column sum, sum of squares and count of values > 0, in float64. */
export function columnStats(m: Matrix): { sum: Float64Array; sumSq: Float64Array; positive: Int32Array } {
  const sum = new Float64Array(m.nCols);
  const sumSq = new Float64Array(m.nCols);
  const positive = new Int32Array(m.nCols);
  const add = (j: number, v: number): void => {
    sum[j] = (sum[j] as number) + v;
    sumSq[j] = (sumSq[j] as number) + v * v;
    if (v > 0) positive[j] = (positive[j] as number) + 1;
  };
  if (m instanceof DenseArray) {
    for (let i = 0; i < m.nRows; i++) for (let j = 0; j < m.nCols; j++) add(j, m.values[i * m.nCols + j] as number);
  } else {
    const minor = m instanceof CscMatrix ? null : m.indices;
    if (minor) for (let p = 0; p < m.nnz; p++) add(minor[p] as number, m.data[p] as number);
    else {
      const c = m as CscMatrix;
      for (let j = 0; j < c.nCols; j++) for (let p = c.indptr[j] as number; p < (c.indptr[j + 1] as number); p++) add(j, c.data[p] as number);
    }
  }
  return { sum, sumSq, positive };
}

/** numpy's np.round(x, 4): round half to even at 4 decimals. */
export function round4(x: number): number {
  if (!Number.isFinite(x)) return x;
  const y = x * 1e4;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1e4;
}

/** Median of float32 values as np.median computes it on a float32 array (even count: float32 mean of the middle two). */
export function medianF32(values: Float32Array): number {
  const s = Float32Array.from(values).sort();
  const n = s.length;
  if (n === 0) return NaN;
  if (n % 2 === 1) return s[(n - 1) / 2] as number;
  return f32(f32((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2);
}

/** A positive integer option, or undefined when not given. */
export function optionalCount(value: unknown, fn: string, arg: string, min = 0): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${fn}: option '${arg}' must be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}
