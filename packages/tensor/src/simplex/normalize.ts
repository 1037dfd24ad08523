// x = g / Σ_k g_k over the last axis (a Dirichlet draw from its gammas) as one kernel forward and
// one backward, with the gradient written out:
//
//   ∂L/∂g_k = (∂L/∂x_k − Σ_j ∂L/∂x_j x_j) / Σ g
//
// Composed of tensor ops this is a sum, a division broadcasting a [..., 1] row total and, for the
// gradient, four more kernels on [..., K]. The portable implementation here sums in float64;
// @vitae/wasm's is float32 SIMD.
import * as tf from '#tfjs';
import { defineArrayKernel, runArrayKernel } from '../kernels/array-kernel.js';
import { describe as describeValue } from '../backend.js';

import type { ArrayKernelCall, KernelShape } from '../kernels/array-kernel.js';

export const SimplexKernel = {
  /** input g [..., K]; output g / Σg over the last axis */
  NormalizeLastAxis: 'VitaeNormalizeLastAxis',
  /** inputs g, dy [..., K]; output (dy − Σ dy·x) / Σg, x = g / Σg */
  NormalizeLastAxisGrad: 'VitaeNormalizeLastAxisGrad',
} as const;

function lastAxis(shapes: readonly KernelShape[]): number {
  const shape = shapes[0] as KernelShape;
  return shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
}

/** Both kernels (the gradient when the call has dy). */
export function normalizeLastAxisJs({ inputs, outputs, inputShapes }: ArrayKernelCall): void {
  const g = inputs[0] as Float32Array;
  const out = outputs[0] as Float32Array;
  const k = lastAxis(inputShapes);
  const dy = inputs.length === 2 ? (inputs[1] as Float32Array) : null;
  for (let start = 0; start < g.length; start += k) {
    let total = 0;
    for (let j = start; j < start + k; j++) total += g[j] as number;
    if (dy === null) {
      for (let j = start; j < start + k; j++) out[j] = (g[j] as number) / total;
      continue;
    }
    let dot = 0;
    for (let j = start; j < start + k; j++) dot += (dy[j] as number) * (g[j] as number);
    dot /= total;
    for (let j = start; j < start + k; j++) out[j] = ((dy[j] as number) - dot) / total;
  }
}

export function defineSimplexKernels(): void {
  defineArrayKernel({ kernelName: SimplexKernel.NormalizeLastAxis, inputNames: ['g'], outputs: (shapes) => [{ shape: [...(shapes[0] as KernelShape)], dtype: 'float32' }] }, normalizeLastAxisJs);
  defineArrayKernel(
    {
      kernelName: SimplexKernel.NormalizeLastAxisGrad,
      inputNames: ['g', 'dy'],
      outputs: (shapes) => {
        const [g, dy] = shapes as [KernelShape, KernelShape];
        if (dy.length !== g.length || dy.some((d, a) => d !== g[a])) throw new RangeError(`${SimplexKernel.NormalizeLastAxisGrad}: input 'dy' must have the shape of 'g' [${g.join(', ')}], got [${dy.join(', ')}]`);
        return [{ shape: [...g], dtype: 'float32' }];
      },
    },
    normalizeLastAxisJs,
  );
}

const normalizeOp = tf.customGrad(((g: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
  save([g]);
  return {
    value: runArrayKernel(SimplexKernel.NormalizeLastAxis, { g }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => runArrayKernel(SimplexKernel.NormalizeLastAxisGrad, { g: saved as tf.Tensor, dy }) as tf.Tensor,
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (g: tf.Tensor) => tf.Tensor;

/**
 * g / Σ_k g_k over the last axis (float32, rank >= 1), differentiable: one kernel forward and one
 * backward, ∂L/∂g_k = (∂L/∂x_k − Σ_j ∂L/∂x_j x_j) / Σ g. Rows summing to 0 give NaN or ±Infinity.
 */
export function normalizeLastAxis(g: tf.Tensor): tf.Tensor {
  if (!(g instanceof tf.Tensor) || g.isDisposed || g.dtype !== 'float32' || g.rank === 0) {
    throw new TypeError(`normalizeLastAxis: argument 'g' must be a live float32 Tensor of rank >= 1, got ${describeValue(g)}`);
  }
  return normalizeOp(g);
}
