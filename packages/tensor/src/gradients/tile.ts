// A replacement for tfjs-core's gradient of Tile, the kernel behind `tile` and `broadcastTo`.
//
// tfjs 4.22 computes dL/dx of tile(x, reps) by slicing dy into its prod(reps) blocks and adding
// them one by one: prod(reps) slice + add kernel calls, which broadcasting a [D] parameter to a
// [60000, D] sample turns into 60,000 calls (34 s on the wasm backend, measured). The same sum
// is one reshape and one reduction: with x of shape [s_0, …, s_n] and dy of shape
// [r_0 s_0, …, r_n s_n], dy reshaped to [r_0, s_0, …, r_n, s_n] summed over the r axes.
import * as tf from '#tfjs';
import { replaceGradient } from '../kernels/replace-kernel.js';

import type { Tensor } from '#tfjs';

export function tileGradient(dy: Tensor, xShape: readonly number[], reps: readonly number[]): Tensor {
  return tf.tidy(() => {
    const interleaved: number[] = [];
    const repAxes: number[] = [];
    xShape.forEach((s, i) => {
      const r = reps[i] as number;
      if (r !== 1) repAxes.push(interleaved.length);
      if (r !== 1) interleaved.push(r);
      interleaved.push(s);
    });
    if (repAxes.length === 0) return tf.reshape(dy, [...xShape]);
    return tf.reshape(tf.sum(tf.reshape(dy, interleaved), repAxes), [...xShape]);
  });
}

export function registerTileGradient(): void {
  replaceGradient({
    kernelName: tf.Tile,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [Tensor];
      const { reps } = attrs as unknown as { reps: number[] };
      return { x: () => tileGradient(dy as Tensor, x.shape, reps) };
    },
  });
}
