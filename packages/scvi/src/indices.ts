// Per-cell category indices (batch, label): checked once per call and turned into one-hot rows.
import { Tensor, describeValue, oneHot, ones, tensor1d } from '@vitae/tensor';

/** One category index per cell: a Tensor of shape [B] or [B, 1], an Int32Array or an array. */
export type IndexInput = Tensor | Int32Array | readonly number[];

/**
 * `value` as an Int32Array of B indices in [0, nCategories), or zeros when it is undefined and
 * there is a single category. `what` names the count in errors, e.g. 'nBatch'.
 */
export function categoryIndices(fn: string, arg: string, value: IndexInput | undefined, batch: number, nCategories: number, what: string): Int32Array {
  if (value === undefined || value === null) {
    if (nCategories === 1) return new Int32Array(batch);
    throw new TypeError(`${fn}: argument '${arg}' is required when ${what} > 1 (${what} = ${nCategories}), got ${describeValue(value)}`);
  }
  let values: ArrayLike<number>;
  if (value instanceof Tensor) {
    if (value.isDisposed || !(value.rank === 1 || (value.rank === 2 && value.shape[1] === 1))) {
      throw new RangeError(`${fn}: argument '${arg}' must be a Tensor of shape [${batch}] or [${batch}, 1], got ${describeValue(value)}`);
    }
    values = value.dataSync();
  } else if (value instanceof Int32Array || Array.isArray(value)) {
    values = value;
  } else {
    throw new TypeError(`${fn}: argument '${arg}' must be a Tensor, an Int32Array or an array of indices, got ${describeValue(value)}`);
  }
  if (values.length !== batch) throw new RangeError(`${fn}: argument '${arg}' must hold ${batch} indices (one per cell), got ${values.length}`);
  const out = new Int32Array(batch);
  for (let i = 0; i < batch; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= nCategories) {
      throw new RangeError(`${fn}: argument '${arg}' must hold integers in [0, ${nCategories}) (${what} = ${nCategories}), got ${v} at index ${i}`);
    }
    out[i] = v;
  }
  return out;
}

/** [B, nCategories] float32 one-hot rows of checked indices. */
export function oneHotRows(indices: Int32Array, nCategories: number): Tensor {
  if (nCategories === 1) return ones([indices.length, 1]); // tfjs' oneHot needs depth >= 2
  const idx = tensor1d(indices, 'int32');
  const hot = oneHot(idx, nCategories, 1, 0, 'float32');
  idx.dispose();
  return hot;
}
