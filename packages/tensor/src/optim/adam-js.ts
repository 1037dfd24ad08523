// Defines the Adam update kernels with their portable JS implementation: float32-exact (Math.fround
// after every +, −, ×, ÷, √: float64 evaluation then one rounding is exact IEEE float32 for
// these), in the order of the composed ops (composed.ts), so the same bits. At ~30–60 ns per
// element it is slower than the composed ops on the wasm backend; adamUpdate runs it only on
// the cpu backend. @vitae/wasm swaps in a SIMD implementation.
import { defineArrayKernel } from '../kernels/array-kernel.js';
import { adamScalars } from './adam-scalars.js';
import { OptimizerKernel } from './kernel-names.js';

import type { ArrayKernelImpl, KernelShape } from '../kernels/array-kernel.js';
import type { AdamUpdateAttrs } from './kernel-names.js';

const f = Math.fround;

/** Inputs p, g, m, v (, vmax); outputs p', m', v' (, vmax'), all of one length. */
export const adamUpdateJs: ArrayKernelImpl<AdamUpdateAttrs> = ({ inputs, outputs, attrs }) => {
  const [p, g, m, v, vmax] = inputs as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array?];
  const [pOut, mOut, vOut, vmaxOut] = outputs as [Float32Array, Float32Array, Float32Array, Float32Array?];
  const s = adamScalars(attrs);
  const [beta1, c1, beta2, c2, wd, shrink, bc2, eps, stepSize] = [s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.weightDecay, s.shrinkFactor, s.biasCorrection2Sqrt, s.eps, s.stepSize].map(f) as number[] as [number, number, number, number, number, number, number, number, number];
  for (let i = 0; i < pOut.length; i++) {
    let pi = p[i] as number;
    let gi = g[i] as number;
    if (s.shrink) pi = f(pi * shrink);
    if (s.l2) gi = f(gi + f(pi * wd));
    const mi = f(f((m[i] as number) * beta1) + f(gi * c1));
    const vi = f(f((v[i] as number) * beta2) + f(f(gi * gi) * c2));
    let second = vi;
    if (vmax !== undefined && vmaxOut !== undefined) {
      second = Math.max(vmax[i] as number, vi);
      vmaxOut[i] = second;
    }
    const denom = f(f(f(Math.sqrt(second)) / bc2) + eps);
    pOut[i] = f(pi - f(f(mi / denom) * stepSize));
    mOut[i] = mi;
    vOut[i] = vi;
  }
};

export function defineOptimizerKernels(): void {
  for (const [kernelName, inputNames] of [
    [OptimizerKernel.AdamUpdate, ['param', 'grad', 'expAvg', 'expAvgSq']],
    [OptimizerKernel.AmsgradUpdate, ['param', 'grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq']],
  ] as const) {
    defineArrayKernel<AdamUpdateAttrs>(
      { kernelName, inputNames, outputs: (shapes) => shapes.slice(1).map(() => ({ shape: [...(shapes[0] as KernelShape)], dtype: 'float32' as const })) },
      adamUpdateJs,
    );
  }
}
