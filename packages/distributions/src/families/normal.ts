import * as t from '@vitae/tensor';
import { positive, real } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Normal(loc, scale): density exp(-(x - loc)² / (2 scale²)) / (scale √(2π)). */
export class Normal extends Distribution {
  static override readonly argConstraints = { loc: real, scale: positive };
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(loc: TensorInput, scale: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Normal', { loc, scale });
    super(p.batchShape, [], options);
    this.loc = p.tensors.loc as Tensor;
    this.scale = p.tensors.scale as Tensor;
    this.adopt(p);
  }

  get support(): Constraint {
    return real;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** loc + scale · ε, ε ~ N(0, 1). */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const eps = t.randomNormal(this.extendedShape(shape), { seed });
    return t.add(this.loc, t.mul(this.scale, eps));
  }

  protected logProbImpl(x: Tensor): Tensor {
    const z = t.div(t.sub(x, this.loc), this.scale);
    return t.sub(t.neg(t.add(t.mul(t.square(z), 0.5), t.log(this.scale))), HALF_LOG_2PI);
  }

  /** Φ((x - loc) / scale) = erfc(-z / √2) / 2. */
  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const x = t.toFloatTensor(value, 'Normal.cdf', 'value');
      const z = t.div(t.sub(x, this.loc), t.mul(this.scale, Math.SQRT2));
      return t.mul(t.add(t.erf(z), 1), 0.5);
    });
  }

  override get mean(): Tensor {
    return t.clone(this.loc);
  }

  override get variance(): Tensor {
    return t.square(this.scale);
  }

  override get stddev(): Tensor {
    return t.clone(this.scale);
  }

  /** ½ log(2πe) + log scale. */
  override entropy(): Tensor {
    return t.tidy(() => t.add(t.log(this.scale), 0.5 + HALF_LOG_2PI));
  }

  expand(batchShape: readonly number[]): Normal {
    const shape = this.checkExpandShape(batchShape);
    const loc = expandTo(this.loc, shape);
    const scale = expandTo(this.scale, shape);
    return handOver(new Normal(loc, scale, { validateArgs: false }), [loc, scale]);
  }
}
