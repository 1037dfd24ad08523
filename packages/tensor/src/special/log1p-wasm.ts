// Side effect: makes `log1p` accurate near 0 on the wasm backend. tfjs-backend-wasm's Log1p
// evaluates log(1 + x) as written, so the rounding of 1 + x (up to 2^-24) swamps small x:
// log1p(-1e-6) comes out 1.3% off, and log1p(x) for |x| < 2^-25 is 0. The replacement keeps
// tfjs' kernel for the bulk and recomputes, with Math.log1p, the elements where that rounding
// matters (|x| < 1/2, where it exceeds a few float32 ulp of the result); data away from 0 pays
// only the comparison. Exponential / Laplace draws, logits from probs and the continuous
// Bernoulli's quantile depend on it.
import * as tf from '#tfjs';
import { replaceKernel } from '../kernels/replace-kernel.js';

import type { BackendWasm, TensorInfo } from '#tfjs';

export function replaceWasmLog1p(): void {
  replaceKernel(tf.Log1p, 'wasm', (previous) => (args) => {
    const out = previous.kernelFunc(args) as TensorInfo;
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'float32' || out.dtype !== 'float32') return out;
    const wasm = args.backend as BackendWasm;
    // views after the kernel ran: its output allocation may have grown (and detached) the heap
    const xs = wasm.typedArrayFromHeap(x) as Float32Array;
    const ys = wasm.typedArrayFromHeap(out) as Float32Array;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i] as number;
      if (v > -0.5 && v < 0.5) ys[i] = Math.log1p(v); // also log1p(-0) = -0, which tfjs' kernel gives as +0
    }
    return out;
  });
}
