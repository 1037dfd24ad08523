// BatchNorm1d over the last dimension (features); every leading dimension counts as batch.
//
// Training:  y = (x - mean_B) / √(var_B + eps) · weight + bias, with the batch mean and the
//            biased batch variance; the running statistics move towards the batch's:
//            running ← (1 - momentum) · running + momentum · stat, using the UNBIASED variance
//            for running_var (PyTorch's rule).
// Eval:      the same with running_mean / running_var in place of the batch statistics.
// PyTorch's defaults are momentum 0.1, eps 1e-5; scvi-tools' FCLayers uses 0.01 and 1e-3.
import { add, describeValue, div, moments, mul, ones, reshape, sqrt, sub, tidy, zeros } from '@vitae/tensor';
import { Module } from './module.js';
import { boolean, integerAtLeast, numberIn, optionsObject, positive } from './validate.js';

import type { Tensor, Variable } from '@vitae/tensor';

export interface BatchNormOptions {
  /** Weight of the newest batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale and shift (default true). */
  affine?: boolean;
}

export class BatchNorm1d extends Module {
  readonly numFeatures: number;
  readonly momentum: number;
  readonly eps: number;
  readonly weight: Variable | null;
  readonly bias: Variable | null;
  readonly runningMean: Variable;
  readonly runningVar: Variable;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const fn = 'BatchNorm1d';
    this.numFeatures = integerAtLeast(numFeatures, fn, 'numFeatures', 1);
    const o = optionsObject(options, fn);
    this.momentum = numberIn(o.momentum ?? 0.1, fn, 'momentum', 0, 1, true);
    this.eps = positive(o.eps ?? 1e-5, fn, 'eps');
    const affine = boolean(o.affine ?? true, fn, 'affine');
    this.weight = affine ? this.addParameter('weight', ones([numFeatures])) : null;
    this.bias = affine ? this.addParameter('bias', zeros([numFeatures])) : null;
    this.runningMean = this.addBuffer('running_mean', zeros([numFeatures]));
    this.runningVar = this.addBuffer('running_var', ones([numFeatures]));
  }

  /** x: [..., numFeatures]; in training mode also updates the running statistics. */
  forward(x: Tensor): Tensor {
    this.checkAlive('forward');
    if (x?.shape?.[x.rank - 1] !== this.numFeatures || x.rank < 2) {
      throw new RangeError(`BatchNorm1d.forward: argument 'x' must have rank >= 2 and last dimension ${this.numFeatures} (numFeatures), got ${describeValue(x)}`);
    }
    const rows = x.size / this.numFeatures;
    const flat = x.rank === 2 ? x : reshape(x, [rows, this.numFeatures]);
    let center: Tensor;
    let variance: Tensor;
    if (this.training) {
      if (rows < 2) throw new RangeError(`BatchNorm1d.forward: training needs more than 1 value per feature, got a batch of ${rows} (use eval mode for single items)`);
      const m = moments(flat, 0);
      center = m.mean;
      variance = m.variance;
      this.updateRunningStats(m.mean, m.variance, rows);
    } else {
      center = this.runningMean;
      variance = this.runningVar;
    }
    let y = div(sub(flat, center), sqrt(add(variance, this.eps)));
    if (this.weight && this.bias) y = add(mul(y, this.weight), this.bias);
    return x.rank === 2 ? y : reshape(y, x.shape);
  }

  private updateRunningStats(batchMean: Tensor, batchVar: Tensor, rows: number): void {
    if (this.momentum === 0) return;
    const m = this.momentum;
    const unbiased = rows / (rows - 1);
    tidy(() => {
      this.runningMean.assign(add(mul(this.runningMean, 1 - m), mul(batchMean, m)));
      this.runningVar.assign(add(mul(this.runningVar, 1 - m), mul(batchVar, m * unbiased)));
    });
  }
}
