// Categorical covariates (batch, donor, …) as one-hot columns, the way scvi-tools injects them:
// covariate j with nCat[j] categories becomes nCat[j] indicator columns; a covariate with a
// single category carries no information and gets no columns.
import { Tensor, cast, concat, describeValue, expandDims, oneHot, reshape, tensor1d, tidy, tile } from '@vitae/tensor';

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
 * The [B, Σ widths] one-hot matrix of the covariates, checking each index lies in
 * [0, nCat[j]). `covariates` must hold one entry per element of `nCatList`.
 */
export function oneHotCovariates(fn: string, nCatList: readonly number[], covariates: readonly CovariateInput[] | undefined, batch: number): Tensor | null {
  const widths = covariateWidths(nCatList);
  const given = covariates ?? [];
  if (!Array.isArray(given) || given.length !== nCatList.length) {
    throw new RangeError(`${fn}: option 'covariates' must hold ${nCatList.length} covariate(s) (one per entry of nCatList [${nCatList.join(', ')}]), got ${describeValue(covariates)}`);
  }
  if (widths.every((w) => w === 0)) return null;
  return tidy(() => {
    const parts: Tensor[] = [];
    given.forEach((value, j) => {
      const width = widths[j] as number;
      if (width === 0) return;
      const values = indicesOf(value, fn, j);
      if (values.length !== batch) throw new RangeError(`${fn}: covariate ${j} must have ${batch} entries (one per row), got ${values.length}`);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        if (!Number.isInteger(v) || v < 0 || v >= width) {
          throw new RangeError(`${fn}: covariate ${j} must hold category indices in [0, ${width}), got ${v} at index ${i}`);
        }
      }
      const idx = value instanceof Tensor ? cast(reshape(value, [-1]), 'int32') : tensor1d(Int32Array.from(values), 'int32');
      parts.push(oneHot(idx, width, 1, 0, 'float32'));
    });
    return parts.length === 1 ? (parts[0] as Tensor) : concat(parts, 1);
  });
}
