import * as t from '@vitae/tensor';
import { positive, real } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

// The largest float32 below 1: uniforms are drawn in (-1, 1) so log1p(-|u|) stays finite.
const ONE_MINUS_ULP = 1 - 2 ** -24;

/** Laplace(loc, scale): density exp(-|x - loc| / scale) / (2 scale). */
export class Laplace extends Distribution {
  static override readonly argConstraints = { loc: real, scale: positive };
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(loc: TensorInput, scale: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Laplace', { loc, scale });
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

  /** Inverse cdf: loc - scale · sign(u) · log1p(-|u|), u ~ U(-1, 1). */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const u = t.randomUniform(this.extendedShape(shape), { seed, low: -ONE_MINUS_ULP, high: ONE_MINUS_ULP });
    return t.sub(this.loc, t.mul(this.scale, t.mul(t.sign(u), t.log1p(t.neg(t.abs(u))))));
  }

  protected logProbImpl(x: Tensor): Tensor {
    return t.neg(t.add(t.log(t.mul(this.scale, 2)), t.div(t.abs(t.sub(x, this.loc)), this.scale)));
  }

  /** ½ + ½ sign(x - loc) (1 - exp(-|x - loc| / scale)) = ½ - ½ sign · expm1(-|z|). */
  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const d = t.sub(t.toFloatTensor(value, 'Laplace.cdf', 'value'), this.loc);
      return t.sub(0.5, t.mul(t.mul(t.sign(d), t.expm1(t.neg(t.div(t.abs(d), this.scale)))), 0.5));
    });
  }

  override get mean(): Tensor {
    return t.clone(this.loc);
  }

  /** 2 scale². */
  override get variance(): Tensor {
    return t.tidy(() => t.mul(t.square(this.scale), 2));
  }

  /** 1 + log(2 scale). */
  override entropy(): Tensor {
    return t.tidy(() => t.add(t.log(t.mul(this.scale, 2)), 1));
  }

  expand(batchShape: readonly number[]): Laplace {
    const shape = this.checkExpandShape(batchShape);
    const loc = expandTo(this.loc, shape);
    const scale = expandTo(this.scale, shape);
    return handOver(new Laplace(loc, scale, { validateArgs: false }), [loc, scale]);
  }
}
