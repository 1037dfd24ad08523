import * as t from '@vitae/tensor';
import { positive, real } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** LogNormal(loc, scale): exp(Y) with Y ~ Normal(loc, scale). */
export class LogNormal extends Distribution {
  static override readonly argConstraints = { loc: real, scale: positive };
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(loc: TensorInput, scale: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('LogNormal', { loc, scale });
    super(p.batchShape, [], options);
    this.loc = p.tensors.loc as Tensor;
    this.scale = p.tensors.scale as Tensor;
    this.adopt(p);
  }

  get support(): Constraint {
    return positive;
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const eps = t.randomNormal(this.extendedShape(shape), { seed });
    return t.exp(t.add(this.loc, t.mul(this.scale, eps)));
  }

  /** Normal log density of log x, minus log x (the Jacobian). */
  protected logProbImpl(x: Tensor): Tensor {
    const logX = t.log(x);
    const z = t.div(t.sub(logX, this.loc), this.scale);
    return t.sub(t.neg(t.add(t.add(t.mul(t.square(z), 0.5), t.log(this.scale)), logX)), HALF_LOG_2PI);
  }

  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const x = t.toFloatTensor(value, 'LogNormal.cdf', 'value');
      const z = t.div(t.sub(t.log(x), this.loc), t.mul(this.scale, Math.SQRT2));
      return t.mul(t.add(t.erf(z), 1), 0.5);
    });
  }

  /** exp(loc + scale² / 2). */
  override get mean(): Tensor {
    return t.tidy(() => t.exp(t.add(this.loc, t.mul(t.square(this.scale), 0.5))));
  }

  /** expm1(scale²) · exp(2 loc + scale²). */
  override get variance(): Tensor {
    return t.tidy(() => {
      const s2 = t.square(this.scale);
      return t.mul(t.expm1(s2), t.exp(t.add(t.mul(this.loc, 2), s2)));
    });
  }

  /** ½ log(2πe) + log scale + loc. */
  override entropy(): Tensor {
    return t.tidy(() => t.add(t.add(t.log(this.scale), this.loc), 0.5 + HALF_LOG_2PI));
  }

  expand(batchShape: readonly number[]): LogNormal {
    const shape = this.checkExpandShape(batchShape);
    const loc = expandTo(this.loc, shape);
    const scale = expandTo(this.scale, shape);
    return handOver(new LogNormal(loc, scale, { validateArgs: false }), [loc, scale]);
  }
}
