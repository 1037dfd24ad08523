// Weight initialisers for a [fanIn, fanOut] weight, seeded.
//
//   torch           U(-1/√fanIn, 1/√fanIn) for the weight AND the bias: PyTorch's nn.Linear
//                   default (kaiming_uniform with a = √5), so models start where PyTorch's do
//   xavierUniform   U(-a, a), a = gain · √(6 / (fanIn + fanOut))           (Glorot & Bengio 2010)
//   xavierNormal    N(0, gain² · 2 / (fanIn + fanOut))
//   kaimingUniform  U(-b, b), b = gain · √(3 / fanIn), gain = √2 (ReLU)     (He et al. 2015)
//   kaimingNormal   N(0, gain² / fanIn), gain = √2
//   zeros           all zeros
// Every initialiser but 'torch' starts the bias at zero.
import { randomNormal, randomUniform, zeros } from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

export const INITIALIZERS = ['torch', 'xavierUniform', 'xavierNormal', 'kaimingUniform', 'kaimingNormal', 'zeros'] as const;
export type Initializer = (typeof INITIALIZERS)[number];

export interface InitOptions {
  /** Multiplies the standard deviation / bound of the xavier and kaiming schemes (default 1 for xavier, √2 for kaiming). */
  gain?: number;
  seed: number;
}

/** A new [fanIn, fanOut] weight tensor. */
export function initWeight(kind: Initializer, fanIn: number, fanOut: number, { gain, seed }: InitOptions): Tensor {
  const shape = [fanIn, fanOut];
  switch (kind) {
    case 'torch': {
      const bound = 1 / Math.sqrt(fanIn);
      return randomUniform(shape, { low: -bound, high: bound, seed });
    }
    case 'xavierUniform': {
      const bound = (gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
      return randomUniform(shape, { low: -bound, high: bound, seed });
    }
    case 'xavierNormal':
      return randomNormal(shape, { stddev: (gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), seed });
    case 'kaimingUniform': {
      const bound = (gain ?? Math.SQRT2) * Math.sqrt(3 / fanIn);
      return randomUniform(shape, { low: -bound, high: bound, seed });
    }
    case 'kaimingNormal':
      return randomNormal(shape, { stddev: (gain ?? Math.SQRT2) / Math.sqrt(fanIn), seed });
    case 'zeros':
      return zeros(shape);
  }
}

/** A new [fanOut] bias tensor: U(-1/√fanIn, 1/√fanIn) for 'torch', zeros otherwise. */
export function initBias(kind: Initializer, fanIn: number, fanOut: number, seed: number): Tensor {
  if (kind !== 'torch') return zeros([fanOut]);
  const bound = 1 / Math.sqrt(fanIn);
  return randomUniform([fanOut], { low: -bound, high: bound, seed });
}
