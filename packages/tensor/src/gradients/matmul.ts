// A replacement for tfjs-core's gradient of BatchMatMul (the kernel behind `matMul`).
//
// tfjs computes dA = dy · Bᵀ and dB = Aᵀ · dy by calling matMul with transposeA / transposeB
// set, and tfjs-backend-wasm multiplies a transposed operand about 10x slower than a plain
// product (measured: [784, 128]ᵀ · [128, 256] takes 35-48 ms against 4-5 ms for the plain
// product of the same size). Transposing the operand explicitly first (a memory copy, well under
// a millisecond at these sizes) and multiplying in the plain layout gives the same numbers in a
// fraction of the time, on every backend. With C = op(A) · op(B), op a transpose when flagged:
//   tA = tB = false:  dA = dy Bᵀ      dB = Aᵀ dy
//   tA = false, tB:   dA = dy B       dB = dyᵀ A
//   tA, tB = false:   dA = B dyᵀ      dB = A dy
//   tA = tB = true:   dA = Bᵀ dyᵀ     dB = dyᵀ Aᵀ
// Broadcast batch dimensions are summed back to each operand's shape.
//
// Where the dense product handles transposed operands at full speed (a kernel package's GEMM on
// the wasm backend, matmul/dense-matmul.ts), the same products are asked for with transposeA /
// transposeB instead, and nothing is materialised:
//   dA = tA ? op(B) dyᵀ = matMul(b, dy, tB, true)     : dy op(B)ᵀ = matMul(dy, b, false, !tB)
//   dB = tB ? dyᵀ op(A) = matMul(dy, a, true, tA)     : op(A)ᵀ dy = matMul(a, dy, !tA, false)
import * as tf from '#tfjs';
import { replaceGradient } from '../kernels/replace-kernel.js';
import { transposedMatMulIsFast } from '../matmul/dense-matmul.js';

import type { Tensor } from '#tfjs';

/** Swaps the last two axes, materialised. */
function swapLast(x: Tensor): Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1] as number, perm[x.rank - 2] as number];
  return tf.transpose(x, perm);
}

/** Sums a batched gradient over the batch axes its operand was broadcast along. */
function reduceToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((d, i) => d === shape[i])) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.rank - 2; i++) {
    const own = i - lead >= 0 ? (shape[i - lead] as number) : 0;
    if (i < lead || (own === 1 && (grad.shape[i] as number) !== 1)) axes.push(i);
  }
  return tf.reshape(axes.length > 0 ? tf.sum(grad, axes) : grad, [...shape]);
}

/** dL/dA of C = op(A) · op(B). */
export function matMulGradA(dy: Tensor, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  return tf.tidy(() => {
    let da: Tensor;
    if (transposedMatMulIsFast()) da = transposeA ? tf.matMul(b, dy, transposeB, true) : tf.matMul(dy, b, false, !transposeB);
    else if (!transposeA) da = tf.matMul(dy, transposeB ? b : swapLast(b));
    else da = transposeB ? tf.matMul(swapLast(b), swapLast(dy)) : tf.matMul(b, swapLast(dy));
    return reduceToShape(da, a.shape);
  });
}

/** dL/dB of C = op(A) · op(B). */
export function matMulGradB(dy: Tensor, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  return tf.tidy(() => {
    let db: Tensor;
    if (transposedMatMulIsFast()) db = transposeB ? tf.matMul(dy, a, true, transposeA) : tf.matMul(a, dy, !transposeA, false);
    else if (!transposeB) db = tf.matMul(transposeA ? a : swapLast(a), dy);
    else db = transposeA ? tf.matMul(swapLast(dy), swapLast(a)) : tf.matMul(swapLast(dy), a);
    return reduceToShape(db, b.shape);
  });
}

export function registerMatMulGradient(): void {
  replaceGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [Tensor, Tensor];
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      // tfjs asks for each input's gradient separately (and only when it is needed).
      return { a: () => matMulGradA(dy as Tensor, a, b, transposeA, transposeB), b: () => matMulGradB(dy as Tensor, a, b, transposeA, transposeB) };
    },
  });
}
