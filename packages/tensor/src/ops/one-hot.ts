// oneHot with a working float32 output on every backend. tfjs-backend-wasm 4.22 ignores the
// requested dtype and writes int32 bits into the float32 result (1 reads as 1.4e-45; measured,
// see one-hot.test.ts), so a float output is built from the int32 one-hot by a cast.
import * as tf from '#tfjs';

import type { DataType, Tensor, TensorLike } from '#tfjs';

/** One-hot vectors of `depth` along a new last axis: `onValue` at each index, `offValue` elsewhere. */
export function oneHot(indices: Tensor | TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DataType = 'int32'): Tensor {
  if (dtype === 'int32') return tf.oneHot(indices as Tensor, depth, onValue, offValue, 'int32');
  return tf.tidy(() => {
    const hot = tf.cast(tf.oneHot(indices as Tensor, depth), dtype);
    return onValue === 1 && offValue === 0 ? hot : tf.add(tf.mul(hot, onValue - offValue), offValue);
  });
}
