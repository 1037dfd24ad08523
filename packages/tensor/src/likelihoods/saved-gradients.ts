// An op whose forward pass also computes its gradient arrays, saved for the backward pass.
//
// tfjs offers two public routes, both wrong here: a multi-output kernel with registerGradient
// gets a zero-filled dy allocated for every output that has no gradient (three full-size
// tensors per step), and customGrad must return every input's gradient eagerly (x's costs
// more than the kernel). The engine's runKernelFunc, which customGrad itself is built on, takes
// a backward function returning one thunk per input; tfjs calls only the thunks of inputs on
// the path to the differentiated variables. It is not in tfjs' public types, so it is typed here
// (tfjs is pinned and bundled; the tests of the ops exercise it).
import * as tf from '#tfjs';

import type { NamedTensorMap, Tensor } from '#tfjs';

type GradThunks = Record<string, () => Tensor>;

interface KernelFuncEngine {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: (tensors: Tensor[]) => void) => Tensor;
    backwardsFunc: (dy: Tensor, saved: Tensor[]) => GradThunks;
    inputs: NamedTensorMap;
  }): Tensor;
}

/**
 * Runs `forward` (which may run kernels and `save` tensors; nothing it runs is recorded) as one
 * node of the gradient tape with inputs `inputs`, differentiated by `backward`'s thunks.
 */
export function runWithSavedGradients(
  inputs: NamedTensorMap,
  forward: (save: (tensors: Tensor[]) => void) => Tensor,
  backward: (dy: Tensor, saved: Tensor[]) => GradThunks,
): Tensor {
  const engine = tf.engine() as unknown as KernelFuncEngine;
  return engine.runKernelFunc({ forwardFunc: (_, save) => forward(save), backwardsFunc: backward, inputs });
}
