// The differentiable special functions. Each is a tfjs op (its own scope, so intermediate
// tensors are disposed) that validates its arguments and runs a vitae kernel; gradients are in
// gradients.ts.
import * as tf from '#tfjs';
import { runArrayKernel } from '../kernels/array-kernel.js';
import { assertInteger, toFloatTensor } from '../validate.js';
import { SpecialKernel } from './kernel-names.js';

import type { Tensor, TensorLike } from '#tfjs';

/** What every special function accepts: a float32 / int32 Tensor, a number or a nested number array. */
export type TensorInput = Tensor | TensorLike;

function unary(kernelName: string, fn: string, x: TensorInput): Tensor {
  return runArrayKernel(kernelName, { x: toFloatTensor(x, fn, 'x') }) as Tensor;
}

/** Broadcasts two float tensors to their common shape (broadcastTo's gradient sums back). */
export function broadcastPair(fn: string, names: [string, string], a: TensorInput, b: TensorInput): [Tensor, Tensor] {
  const ta = toFloatTensor(a, fn, names[0]);
  const tb = toFloatTensor(b, fn, names[1]);
  let shape: number[];
  try {
    shape = tf.backend_util.assertAndGetBroadcastShape(ta.shape, tb.shape);
  } catch {
    throw new Error(`${fn}: arguments '${names[0]}' [${ta.shape.join(', ')}] and '${names[1]}' [${tb.shape.join(', ')}] cannot be broadcast together`);
  }
  const expand = (t: Tensor) => (tf.util.arraysEqual(t.shape, shape) ? t : tf.broadcastTo(t, shape));
  return [expand(ta), expand(tb)];
}

/** log Γ(x), elementwise, for x > 0 (NaN for x <= 0). Gradient: ψ(x). */
export const lgamma = tf.op({ lgamma_: (x: TensorInput): Tensor => unary(SpecialKernel.Lgamma, 'lgamma', x) });

/** ψ(x) = d/dx log Γ(x), elementwise, for x > 0 (NaN for x <= 0). Gradient: ψ'(x). */
export const digamma = tf.op({ digamma_: (x: TensorInput): Tensor => unary(SpecialKernel.Digamma, 'digamma', x) });

/**
 * ψ^(n)(x), the n-th derivative of ψ, elementwise, for x > 0 (NaN for x <= 0). Values beyond
 * the float32 range are ±Infinity (e.g. large n at tiny x). Gradient: ψ^(n+1)(x).
 */
export const polygamma = tf.op({
  polygamma_: (n: number, x: TensorInput): Tensor => {
    assertInteger(n, 'polygamma', 'n', 0, 100);
    if (n === 0) return unary(SpecialKernel.Digamma, 'polygamma', x);
    return runArrayKernel(SpecialKernel.Polygamma, { x: toFloatTensor(x, 'polygamma', 'x') }, { order: n }) as Tensor;
  },
});

/** ψ'(x) = polygamma(1, x). */
export const trigamma = tf.op({
  trigamma_: (x: TensorInput): Tensor => runArrayKernel(SpecialKernel.Polygamma, { x: toFloatTensor(x, 'trigamma', 'x') }, { order: 1 }) as Tensor,
});

/** log(1 + e^x), stable for any x (= x for large x, ≈ e^x for very negative x). Gradient: σ(x). */
export const log1pExp = tf.op({ log1pExp_: (x: TensorInput): Tensor => unary(SpecialKernel.Log1pExp, 'log1pExp', x) });

/** softplus(x) = log(1 + e^x); the same kernel as `log1pExp`. */
export const softplus = tf.op({ softplus_: (x: TensorInput): Tensor => unary(SpecialKernel.Log1pExp, 'softplus', x) });

/** log σ(x) = -softplus(-x), stable for any x. Gradient: σ(-x). */
export const logSigmoid = tf.op({ logSigmoid_: (x: TensorInput): Tensor => unary(SpecialKernel.LogSigmoid, 'logSigmoid', x) });

/**
 * x · log(y) with 0 where x = 0 (unless y is NaN), broadcasting. Gradients as torch:
 * d/dx = log(y) where x ≠ 0 (0 where x = 0), d/dy = x / y.
 */
export const xlogy = tf.op({
  xlogy_: (x: TensorInput, y: TensorInput): Tensor => {
    const [tx, ty] = broadcastPair('xlogy', ['x', 'y'], x, y);
    return runArrayKernel(SpecialKernel.Xlogy, { x: tx, y: ty }) as Tensor;
  },
});

/** log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b), broadcasting, accurate for very unequal a, b. */
export const logBeta = tf.op({
  logBeta_: (a: TensorInput, b: TensorInput): Tensor => {
    const [ta, tb] = broadcastPair('logBeta', ['a', 'b'], a, b);
    return runArrayKernel(SpecialKernel.LogBeta, { a: ta, b: tb }) as Tensor;
  },
});

/**
 * log Σ exp(x) over `axis` (all axes by default), stable (the max is subtracted first).
 * A slice of all -Infinity gives -Infinity. Gradient: softmax over the reduced axes.
 */
export const logSumExp = tf.op({
  logSumExp_: (x: TensorInput, axis?: number | number[] | null, keepDims = false): Tensor => {
    const tx = toFloatTensor(x, 'logSumExp', 'x');
    const rank = tx.rank;
    let axes: number[];
    try {
      axes = axis == null ? tx.shape.map((_, i) => i) : tf.util.parseAxisParam(axis, tx.shape);
    } catch {
      throw new RangeError(`logSumExp: argument 'axis' must be integers in [-${rank}, ${rank}), got ${JSON.stringify(axis)}`);
    }
    // Move the reduced axes innermost and flatten to [rows, cols]: the kernel reduces rows.
    const perm = tf.backend_util.getAxesPermutation(axes, rank);
    const moved = perm === null ? tx : tf.transpose(tx, perm);
    const innerAxes = perm === null ? axes : tf.backend_util.getInnerMostAxes(axes.length, rank);
    const [outShape, reduceShape] = tf.backend_util.computeOutAndReduceShapes(moved.shape, innerAxes);
    const rows = tf.util.sizeFromShape(outShape);
    const cols = tf.util.sizeFromShape(reduceShape);
    const reduced = runArrayKernel(SpecialKernel.LogSumExp, { x: tf.reshape(moved, [rows, cols]) }) as Tensor;
    const shape = keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    return tf.reshape(reduced, shape);
  },
});
