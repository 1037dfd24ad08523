// One Adam / AdamW update of a parameter as a single kernel: reads p, g, m, v once and writes
// p', m', v', where the composed version runs about a dozen elementwise tfjs kernels (and as many
// intermediate tensors) per parameter and step. Each operation is rounded to float32 in the
// order the composed ops apply them (Math.fround after every +, −, ×, ÷, √: float64 evaluation
// followed by one rounding is exact IEEE float32 for these), so both give the same bits.
//
//   Adam:   g ← g + wd·p            AdamW: p ← p·(1 − lr·wd)
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   p ← p − (m / (√v / √(1 − β2ᵗ) + eps)) · lr / (1 − β1ᵗ)
import { defineArrayKernel, listArrayKernels, runArrayKernel } from '@vitae/tensor/kernels';

import type { Tensor } from '@vitae/tensor';
import type { ArrayKernelCall, KernelShape } from '@vitae/tensor/kernels';

export const ADAM_UPDATE_KERNEL = 'VitaeAdamUpdate';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  /** Adam: L2 weight added to the gradient (0: none). */
  l2: number;
  /** AdamW: the factor 1 − lr·wd applied to p first (1: none). */
  shrink: number;
  /** lr / (1 − β1ᵗ). */
  stepSize: number;
  /** √(1 − β2ᵗ). */
  biasCorrection2Sqrt: number;
}

const f = Math.fround;

/** Inputs p, g, m, v (same size); outputs p', m', v'. */
export function adamUpdateJs({ inputs, outputs, attrs }: ArrayKernelCall<AdamUpdateAttrs>): void {
  const [p, g, m, v] = inputs as Float32Array[];
  const [pOut, mOut, vOut] = outputs as Float32Array[];
  const beta1 = f(attrs.beta1);
  const oneMinusBeta1 = f(1 - attrs.beta1);
  const beta2 = f(attrs.beta2);
  const oneMinusBeta2 = f(1 - attrs.beta2);
  const eps = f(attrs.eps);
  const l2 = f(attrs.l2);
  const shrink = f(attrs.shrink);
  const stepSize = f(attrs.stepSize);
  const bc2 = f(attrs.biasCorrection2Sqrt);
  const n = (pOut as Float32Array).length;
  for (let i = 0; i < n; i++) {
    let pi = (p as Float32Array)[i] as number;
    let gi = (g as Float32Array)[i] as number;
    if (l2 !== 0) gi = f(gi + f(pi * l2));
    if (shrink !== 1) pi = f(pi * shrink);
    const mi = f(f(((m as Float32Array)[i] as number) * beta1) + f(gi * oneMinusBeta1));
    const vi = f(f(((v as Float32Array)[i] as number) * beta2) + f(f(gi * gi) * oneMinusBeta2));
    const denom = f(f(f(Math.sqrt(vi)) / bc2) + eps);
    (pOut as Float32Array)[i] = f(pi - f(f(mi / denom) * stepSize));
    (mOut as Float32Array)[i] = mi;
    (vOut as Float32Array)[i] = vi;
  }
}

function ensureKernel(): void {
  if (listArrayKernels().some((k) => k.kernelName === ADAM_UPDATE_KERNEL)) return;
  defineArrayKernel<AdamUpdateAttrs>(
    {
      kernelName: ADAM_UPDATE_KERNEL,
      inputNames: ['param', 'grad', 'expAvg', 'expAvgSq'],
      outputs: (shapes: readonly KernelShape[]) => [0, 1, 2].map(() => ({ shape: [...(shapes[0] as KernelShape)], dtype: 'float32' as const })),
    },
    adamUpdateJs,
  );
}

/** [p', m', v'] for one update (no gradient; the caller assigns them). */
export function adamUpdate(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, attrs: AdamUpdateAttrs): [Tensor, Tensor, Tensor] {
  ensureKernel();
  return runArrayKernel<AdamUpdateAttrs>(ADAM_UPDATE_KERNEL, { param, grad, expAvg, expAvgSq }, attrs) as [Tensor, Tensor, Tensor];
}
