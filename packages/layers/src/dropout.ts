// Dropout (inverted): in training mode each element is zeroed with probability p and the
// survivors are scaled by 1 / (1 - p), so the expected output equals the input; in eval mode,
// and for p = 0, the input passes through. The mask is drawn from an explicit seed.
import { describeValue, div, greaterEqual, mul, randomUniform, cast } from '@vitae/tensor';
import { Module } from './module.js';
import { numberIn, seedValue } from './validate.js';

import type { Tensor } from '@vitae/tensor';

export class Dropout extends Module {
  readonly p: number;

  constructor(p = 0.5) {
    super();
    this.p = numberIn(p, 'Dropout', 'p', 0, 1);
  }

  /** `seed` is required when the layer is active (training mode, p > 0). */
  forward(x: Tensor, options: { seed?: number } = {}): Tensor {
    if (!this.training || this.p === 0) return x;
    if (options.seed === undefined) {
      throw new TypeError(`Dropout.forward: option 'seed' is required in training mode (p = ${this.p}), got ${describeValue(options.seed)}`);
    }
    const seed = seedValue(options.seed, 'Dropout.forward');
    const keep = cast(greaterEqual(randomUniform(x.shape, { seed }), this.p), 'float32');
    return div(mul(x, keep), 1 - this.p);
  }
}
