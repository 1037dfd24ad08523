// LayerNorm over the last dimension: y = (x - mean) / √(var + eps) · weight + bias, per row,
// with the biased variance of the row (PyTorch's nn.LayerNorm over one trailing dimension).
import { add, describeValue, div, moments, mul, ones, sqrt, sub, zeros } from '@vitae/tensor';
import { Module } from './module.js';
import { boolean, integerAtLeast, optionsObject, positive } from './validate.js';

import type { Tensor, Variable } from '@vitae/tensor';

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale and shift (default true; scvi-tools uses false). */
  elementwiseAffine?: boolean;
}

/** LayerNorm over the last dimension: y = (x - mean) / √(var + eps) · weight + bias, per row. */
export class LayerNorm extends Module {
  readonly normalizedShape: number;
  readonly eps: number;
  readonly weight: Variable | null;
  readonly bias: Variable | null;

  constructor(normalizedShape: number, options: LayerNormOptions = {}) {
    super();
    const fn = 'LayerNorm';
    this.normalizedShape = integerAtLeast(normalizedShape, fn, 'normalizedShape', 1);
    const o = optionsObject(options, fn);
    this.eps = positive(o.eps ?? 1e-5, fn, 'eps');
    const affine = boolean(o.elementwiseAffine ?? true, fn, 'elementwiseAffine');
    this.weight = affine ? this.addParameter('weight', ones([normalizedShape])) : null;
    this.bias = affine ? this.addParameter('bias', zeros([normalizedShape])) : null;
  }

  forward(x: Tensor): Tensor {
    this.checkAlive('forward');
    if (x?.shape?.[x.rank - 1] !== this.normalizedShape) {
      throw new RangeError(`LayerNorm.forward: argument 'x' must have last dimension ${this.normalizedShape}, got ${describeValue(x)}`);
    }
    const m = moments(x, -1, true);
    let y = div(sub(x, m.mean), sqrt(add(m.variance, this.eps)));
    if (this.weight && this.bias) y = add(mul(y, this.weight), this.bias);
    return y;
  }
}
