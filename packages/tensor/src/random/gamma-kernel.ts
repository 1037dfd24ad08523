// The kernels behind randomGamma: its draws (StandardGammaSample: Marsaglia–Tsang along one Prng
// stream, gamma-sample.ts) and its gradient, dx/dalpha of a Gamma(alpha, 1) draw (float64 math
// in gamma-grad.ts). Like the special functions they are array kernels, so a faster
// implementation (@vitae/wasm) can replace the portable JS one with setArrayKernelImpl.
import * as tf from '#tfjs';
import { defineArrayKernel, runArrayKernel } from '../kernels/array-kernel.js';
import { binaryImpl } from '../special/js-kernels.js';
import { broadcastPair } from '../special/ops.js';
import { standardGammaGradScalar } from './gamma-grad.js';
import { standardGammaSampleJs } from './gamma-sample.js';
import { RandomKernel } from './kernel-names.js';

import type { Tensor } from '#tfjs';
import type { KernelShape } from '../kernels/array-kernel.js';
import type { StandardGammaSampleAttrs } from './kernel-names.js';
import type { TensorInput } from '../special/ops.js';

export function defineRandomKernels(): void {
  defineArrayKernel(
    {
      kernelName: RandomKernel.StandardGammaGrad,
      inputNames: ['x', 'alpha'],
      outputs: (shapes) => [{ shape: [...(shapes[0] as KernelShape)], dtype: 'float32' }],
    },
    binaryImpl(standardGammaGradScalar),
  );
  defineArrayKernel<StandardGammaSampleAttrs>(
    {
      kernelName: RandomKernel.StandardGammaSample,
      inputNames: ['alpha'],
      outputs: (shapes) => [{ shape: [...(shapes[0] as KernelShape)], dtype: 'float32' }],
    },
    ({ inputs, outputs, attrs }) => standardGammaSampleJs(attrs.state, inputs[0] as Float32Array, outputs[0] as Float32Array),
  );
}

/**
 * Gamma(alpha, 1) draws for a float32 `alpha` whose elements are finite and > 0 (unchecked:
 * randomGamma checks), along the Prng stream at `state`. No gradient (randomGamma adds one).
 */
export function standardGammaSample(alpha: Tensor, state: readonly number[]): Tensor {
  const attrs: StandardGammaSampleAttrs = { state: [...state] };
  return runArrayKernel(RandomKernel.StandardGammaSample, { alpha }, attrs) as Tensor;
}

/**
 * dx/dalpha of a draw x ~ Gamma(alpha, 1) with its uniform held fixed (the implicit
 * reparameterization gradient, Figurnov et al. 2018): -(∂P(alpha, x)/∂alpha) / f(x; alpha),
 * elementwise, broadcasting x and alpha. Computed in float64 (relative error ~1e-14 before
 * rounding to float32). x = 0 gives 0; alpha <= 0, x < 0 or NaN give NaN. It has no gradient of
 * its own (randomGamma's gradient is first order).
 */
export const standardGammaGrad = tf.op({
  standardGammaGrad_: (x: TensorInput, alpha: TensorInput): Tensor => {
    const [tx, ta] = broadcastPair('standardGammaGrad', ['x', 'alpha'], x, alpha);
    return runArrayKernel(RandomKernel.StandardGammaGrad, { x: tx, alpha: ta }) as Tensor;
  },
});
