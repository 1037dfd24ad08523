// Per-row / per-column sums, counts and moments of any matrix kind, in float64.
import { DenseArray } from '@vitae/anndata';

import { sparseRows } from './adata.js';

import type { Matrix } from '@vitae/anndata';

/** Sum of each row. */
export function rowSums(m: Matrix): Float64Array {
  const out = new Float64Array(m.nRows);
  if (m instanceof DenseArray) {
    for (let i = 0; i < m.nRows; i++) {
      let s = 0;
      for (let j = 0, at = i * m.nCols; j < m.nCols; j++, at++) s += m.values[at] as number;
      out[i] = s;
    }
    return out;
  }
  return (sparseRows(m) as NonNullable<ReturnType<typeof sparseRows>>).rowSums();
}

/** Entries > 0 in each row. */
export function rowPositives(m: Matrix): Int32Array {
  const out = new Int32Array(m.nRows);
  if (m instanceof DenseArray) {
    for (let i = 0; i < m.nRows; i++) {
      let c = 0;
      for (let j = 0, at = i * m.nCols; j < m.nCols; j++, at++) if ((m.values[at] as number) > 0) c++;
      out[i] = c;
    }
    return out;
  }
  const s = sparseRows(m) as NonNullable<ReturnType<typeof sparseRows>>;
  for (let i = 0; i < s.nRows; i++) {
    let c = 0;
    for (let p = s.indptr[i] as number; p < (s.indptr[i + 1] as number); p++) if ((s.data[p] as number) > 0) c++;
    out[i] = c;
  }
  return out;
}

/** Sum of each column (over `rows` when given). */
export function colSums(m: Matrix, rows?: Int32Array): Float64Array {
  const out = new Float64Array(m.nCols);
  forEachEntry(m, rows, (j, v) => {
    out[j] = (out[j] as number) + v;
  });
  return out;
}

/** Entries > 0 in each column (over `rows` when given). */
export function colPositives(m: Matrix, rows?: Int32Array): Int32Array {
  const out = new Int32Array(m.nCols);
  forEachEntry(m, rows, (j, v) => {
    if (v > 0) out[j] = (out[j] as number) + 1;
  });
  return out;
}

/** Calls f(column, value) for every stored entry of the rows `rows` (all rows when omitted). */
export function forEachEntry(m: Matrix, rows: Int32Array | undefined, f: (col: number, value: number, row: number) => void): void {
  const n = rows ? rows.length : m.nRows;
  if (m instanceof DenseArray) {
    for (let r = 0; r < n; r++) {
      const i = rows ? (rows[r] as number) : r;
      for (let j = 0, at = i * m.nCols; j < m.nCols; j++, at++) f(j, m.values[at] as number, i);
    }
    return;
  }
  const s = sparseRows(m) as NonNullable<ReturnType<typeof sparseRows>>;
  for (let r = 0; r < n; r++) {
    const i = rows ? (rows[r] as number) : r;
    for (let p = s.indptr[i] as number; p < (s.indptr[i + 1] as number); p++) f(s.indices[p] as number, s.data[p] as number, i);
  }
}

/**
 * Mean and variance of each column over the rows `rows` (all when omitted), variance with
 * `ddof` (1: scanpy's / numpy's ddof=1). Two passes, the zeros of sparse rows included.
 */
export function colMeanVar(m: Matrix, rows?: Int32Array, ddof = 1, map?: (v: number) => number): { mean: Float64Array; var: Float64Array } {
  const n = rows ? rows.length : m.nRows;
  const mean = new Float64Array(m.nCols);
  const stored = new Int32Array(m.nCols);
  forEachEntry(m, rows, (j, v) => {
    mean[j] = (mean[j] as number) + (map ? map(v) : v);
    stored[j] = (stored[j] as number) + 1;
  });
  for (let j = 0; j < m.nCols; j++) mean[j] = (mean[j] as number) / n;
  const ss = new Float64Array(m.nCols);
  forEachEntry(m, rows, (j, v) => {
    const d = (map ? map(v) : v) - (mean[j] as number);
    ss[j] = (ss[j] as number) + d * d;
  });
  const variance = new Float64Array(m.nCols);
  for (let j = 0; j < m.nCols; j++) {
    const mu = mean[j] as number;
    variance[j] = ((ss[j] as number) + (n - (stored[j] as number)) * mu * mu) / (n - ddof);
  }
  return { mean, var: variance };
}

/** Median of the values (the mean of the two middle ones for an even count), NaN when empty. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? (sorted[h] as number) : ((sorted[h - 1] as number) + (sorted[h] as number)) / 2;
}

/** numpy.searchsorted(sorted, v, side='left'): how many entries of `sorted` are < v. */
export function searchSortedLeft(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * np.percentile(sorted, q) (method 'linear') as numpy computes it: on a Float32Array the
 * neighbours' difference is rounded to float32 and the interpolation done in float64; any other
 * array is float64 throughout.
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * (q / 100);
  const lo = Math.floor(virtual);
  const hi = Math.min(lo + 1, n - 1);
  const t = virtual - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  const diff = sorted instanceof Float32Array ? Math.fround(b - a) : b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
