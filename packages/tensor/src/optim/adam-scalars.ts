// The scalars of one Adam / AdamW update, computed in float64 (plain numbers) from the
// hyperparameters as torch computes them in Python. Every implementation uses exactly these:
// the composed ops hand each to tfjs, which rounds it to a float32 scalar tensor, and the fused
// kernels round each to float32 the same way (Math.fround, or an f32 argument of a wasm call).
import type { AdamUpdateAttrs } from './kernel-names.js';

export interface AdamScalars {
  /** Adam's L2 penalty: g ← g + p·weightDecay (weightDecay != 0, not decoupled). */
  l2: boolean;
  /** AdamW's decoupled decay: p ← p·shrink before the step (weightDecay != 0, decoupled). */
  shrink: boolean;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  weightDecay: number;
  /** 1 − lr·weightDecay. */
  shrinkFactor: number;
  /** √(1 − β2ᵗ). */
  biasCorrection2Sqrt: number;
  eps: number;
  /** lr / (1 − β1ᵗ). */
  stepSize: number;
}

export function adamScalars({ lr, beta1, beta2, eps, weightDecay, decoupled, step }: AdamUpdateAttrs): AdamScalars {
  return {
    l2: !decoupled && weightDecay !== 0,
    shrink: decoupled && weightDecay !== 0,
    beta1,
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    weightDecay,
    shrinkFactor: 1 - lr * weightDecay,
    biasCorrection2Sqrt: Math.sqrt(1 - beta2 ** step),
    eps,
    stepSize: lr / (1 - beta1 ** step),
  };
}
