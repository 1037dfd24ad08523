// Categorical covariates (batch, donor, …) as one-hot columns, the way scvi-tools injects them:
// covariate j with nCat[j] categories becomes nCat[j] indicator columns; a covariate with a
// single category carries no information and gets no columns.
import { Tensor, concat, describeValue, expandDims, oneHot, tensor1d, tidy, tile } from '@vitae/tensor';

import type { CsrInput } from '@vitae/tensor';

/** Category indices of one covariate for every row: a Tensor [B] or [B, 1], or an array. */
export type CovariateInput = Tensor | Int32Array | readonly number[];

/** The one-hot width of each covariate: nCat, or 0 for a single category. */
export function covariateWidths(nCatList: readonly number[]): number[] {
  return nCatList.map((n) => (n > 1 ? n : 0));
}

/** The category indices of covariate j as numbers (read back once when given as a Tensor). */
function indicesOf(value: CovariateInput, fn: string, j: number): ArrayLike<number> {
  if (value instanceof Tensor) {
    if (value.isDisposed || !(value.rank === 1 || (value.rank === 2 && value.shape[1] === 1))) {
      throw new RangeError(`${fn}: covariate ${j} must be a Tensor of shape [batch] or [batch, 1], got ${describeValue(value)}`);
    }
    return value.dataSync();
  }
  if (value instanceof Int32Array || Array.isArray(value)) return value;
  throw new TypeError(`${fn}: covariate ${j} must be a Tensor or an array of category indices, got ${describeValue(value)}`);
}

/**
 * x ([B, d] or [S, B, d]) with the [B, c] one-hot covariates appended along the last axis, the
 * same covariates for every sample s; x itself when there are none.
 */
export function appendCovariates(x: Tensor, cov: Tensor | null): Tensor {
  if (!cov) return x;
  return concat([x, x.rank === 3 ? tile(expandDims(cov, 0), [x.shape[0] as number, 1, 1]) : cov], -1);
}

/**
 * The checked category codes of each covariate: an Int32Array of `batch` indices in
 * [0, nCat[j]) per covariate with one-hot columns, null for a single-category covariate (no
 * columns). `covariates` must hold one entry per element of `nCatList`.
 */
export function covariateCodes(fn: string, nCatList: readonly number[], covariates: readonly CovariateInput[] | undefined, batch: number): (Int32Array | null)[] {
  const widths = covariateWidths(nCatList);
  const given = covariates ?? [];
  if (!Array.isArray(given) || given.length !== nCatList.length) {
    throw new RangeError(`${fn}: option 'covariates' must hold ${nCatList.length} covariate(s) (one per entry of nCatList [${nCatList.join(', ')}]), got ${describeValue(covariates)}`);
  }
  return given.map((value, j) => {
    const width = widths[j] as number;
    if (width === 0) return null;
    const values = indicesOf(value, fn, j);
    if (values.length !== batch) throw new RangeError(`${fn}: covariate ${j} must have ${batch} entries (one per row), got ${values.length}`);
    const codes = new Int32Array(batch);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isInteger(v) || v < 0 || v >= width) {
        throw new RangeError(`${fn}: covariate ${j} must hold category indices in [0, ${width}), got ${v} at index ${i}`);
      }
      codes[i] = v;
    }
    return codes;
  });
}

/** The [B, Σ widths] one-hot matrix of checked codes (covariateCodes), or null when no covariate has columns. */
export function oneHotCodes(codes: readonly (Int32Array | null)[], nCatList: readonly number[]): Tensor | null {
  const widths = covariateWidths(nCatList);
  if (codes.every((c) => c === null)) return null;
  return tidy(() => {
    const parts: Tensor[] = [];
    codes.forEach((c, j) => {
      if (c !== null) parts.push(oneHot(tensor1d(c, 'int32'), widths[j] as number, 1, 0, 'float32'));
    });
    return parts.length === 1 ? (parts[0] as Tensor) : concat(parts, 1);
  });
}

/**
 * The [B, Σ widths] one-hot matrix of the covariates, checking each index lies in
 * [0, nCat[j]). `covariates` must hold one entry per element of `nCatList`.
 */
export function oneHotCovariates(fn: string, nCatList: readonly number[], covariates: readonly CovariateInput[] | undefined, batch: number): Tensor | null {
  return oneHotCodes(covariateCodes(fn, nCatList, covariates, batch), nCatList);
}

/**
 * A CSR x [B, d] with the one-hot covariates appended as columns d, d + 1, …: each row gets one
 * stored 1 per covariate with columns (at d + the widths before it + its code), after its own
 * values. The sparse counterpart of appendCovariates; x itself when no covariate has columns.
 */
export function appendCovariateColumns(x: CsrInput & { data: Float32Array }, codes: readonly (Int32Array | null)[], nCatList: readonly number[]): CsrInput & { data: Float32Array } {
  const widths = covariateWidths(nCatList);
  const offsets: number[] = [];
  const present: Int32Array[] = [];
  let width = 0;
  codes.forEach((c, j) => {
    if (c !== null) {
      present.push(c);
      offsets.push(x.nCols + width);
    }
    width += widths[j] as number;
  });
  if (present.length === 0) return x;
  const k = present.length;
  const nnz = x.data.length + x.nRows * k;
  const data = new Float32Array(nnz);
  const indices = new Int32Array(nnz);
  const indptr = new Int32Array(x.nRows + 1);
  let at = 0;
  for (let i = 0; i < x.nRows; i++) {
    const lo = x.indptr[i] as number;
    const hi = x.indptr[i + 1] as number;
    data.set(x.data.subarray(lo, hi), at);
    indices.set(x.indices.subarray(lo, hi), at);
    at += hi - lo;
    for (let c = 0; c < k; c++) {
      data[at] = 1;
      indices[at++] = (offsets[c] as number) + ((present[c] as Int32Array)[i] as number);
    }
    indptr[i + 1] = at;
  }
  return { nRows: x.nRows, nCols: x.nCols + width, data, indices, indptr };
}
