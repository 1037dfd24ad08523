// Defines the count-likelihood kernels with their portable JS implementations (float64 per
// element, scalar.ts). @vitae/wasm swaps in SIMD implementations of the same kernels.
import { defineArrayKernel } from '../kernels/array-kernel.js';
import { suffixBroadcastShape } from './broadcast.js';
import { LikelihoodKernel } from './kernel-names.js';
import { countLikelihoodScalar, D_MU, D_PI, D_THETA, VALUE } from './scalar.js';

import type { ArrayKernelImpl, KernelArray, KernelOutputSpec, KernelShape } from '../kernels/array-kernel.js';
import type { CountLikelihoodAttrs } from './kernel-names.js';

/** [value] or [value, one partial derivative per input but x], all of the broadcast shape. */
function outputs(kernelName: string) {
  return (shapes: readonly KernelShape[], attrs: CountLikelihoodAttrs): KernelOutputSpec[] => {
    const shape = suffixBroadcastShape(kernelName, shapes);
    return Array.from({ length: attrs.grad ? shapes.length : 1 }, () => ({ shape: [...shape], dtype: 'float32' as const }));
  };
}

const at = (a: KernelArray, i: number) => a[i % a.length] as number;

/**
 * The JS implementation of both kernels (ZINB when a fourth input, pi, is given). Inputs are
 * read modulo their length (the suffix broadcast).
 */
export const countLikelihoodJs: ArrayKernelImpl<CountLikelihoodAttrs> = ({ inputs, outputs: outs, attrs }) => {
  const [x, mu, theta, pi] = inputs as [KernelArray, KernelArray, KernelArray, KernelArray?];
  const [value, dMu, dTheta, dPi] = outs as [KernelArray, KernelArray?, KernelArray?, KernelArray?];
  const r = new Float64Array(4);
  for (let i = 0; i < value.length; i++) {
    countLikelihoodScalar(r, attrs.grad, at(x, i), at(mu, i), at(theta, i), pi === undefined ? null : at(pi, i), attrs.eps);
    value[i] = r[VALUE] as number;
    if (dMu !== undefined && dTheta !== undefined) {
      dMu[i] = r[D_MU] as number;
      dTheta[i] = r[D_THETA] as number;
      if (dPi !== undefined) dPi[i] = r[D_PI] as number;
    }
  }
};

export function defineLikelihoodKernels(): void {
  defineArrayKernel<CountLikelihoodAttrs>(
    { kernelName: LikelihoodKernel.LogNb, inputNames: ['x', 'mu', 'theta'], outputs: outputs(LikelihoodKernel.LogNb) },
    countLikelihoodJs,
  );
  defineArrayKernel<CountLikelihoodAttrs>(
    { kernelName: LikelihoodKernel.LogZinb, inputNames: ['x', 'mu', 'theta', 'pi'], outputs: outputs(LikelihoodKernel.LogZinb) },
    countLikelihoodJs,
  );
}
