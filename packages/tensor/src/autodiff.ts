import * as tf from '#tfjs';
import { toFloatTensor } from './validate.js';

import type { Tensor } from '#tfjs';
import type { TensorInput } from './special/ops.js';

/** The identity in the forward pass with a zero gradient (torch's `detach`, TF's `stop_gradient`). */
export function stopGradient(x: TensorInput): Tensor {
  return tf.tidy(() => {
    const t = toFloatTensor(x, 'stopGradient', 'x');
    const identityWithZeroGrad = (input: Tensor) => ({
      value: tf.clone(input),
      gradFunc: (dy: Tensor | Tensor[]) => tf.zerosLike(dy as Tensor),
    });
    return tf.customGrad(identityWithZeroGrad as unknown as Parameters<typeof tf.customGrad>[0])(t as never) as Tensor;
  });
}

/** The number of live tensors (tests assert it is unchanged after repeated calls). */
export function numTensors(): number {
  return tf.memory().numTensors;
}
