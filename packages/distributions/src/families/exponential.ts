import * as t from '@vitae/tensor';
import { nonnegative, positive } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/** Exponential(rate): density rate · exp(-rate x) on x >= 0. */
export class Exponential extends Distribution {
  static override readonly argConstraints = { rate: positive };
  readonly rate: Tensor;

  constructor(rate: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Exponential', { rate });
    super(p.batchShape, [], options);
    this.rate = p.tensors.rate as Tensor;
    this.adopt(p);
  }

  get support(): Constraint {
    return nonnegative;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** -log1p(-u) / rate with u ~ U[0, 1): the inverse cdf, finite for every float32 u < 1. */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const u = t.randomUniform(this.extendedShape(shape), { seed });
    return t.div(t.neg(t.log1p(t.neg(u))), this.rate);
  }

  protected logProbImpl(x: Tensor): Tensor {
    return t.sub(t.log(this.rate), t.mul(this.rate, x));
  }

  /** 1 - exp(-rate x) = -expm1(-rate x). */
  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => t.neg(t.expm1(t.neg(t.mul(this.rate, t.toFloatTensor(value, 'Exponential.cdf', 'value'))))));
  }

  override get mean(): Tensor {
    return t.reciprocal(this.rate);
  }

  override get variance(): Tensor {
    return t.tidy(() => t.reciprocal(t.square(this.rate)));
  }

  /** 1 - log rate. */
  override entropy(): Tensor {
    return t.tidy(() => t.sub(1, t.log(this.rate)));
  }

  expand(batchShape: readonly number[]): Exponential {
    const rate = expandTo(this.rate, this.checkExpandShape(batchShape));
    return handOver(new Exponential(rate, { validateArgs: false }), [rate]);
  }
}
