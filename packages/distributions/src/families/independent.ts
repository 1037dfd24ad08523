import * as t from '@vitae/tensor';
import { independent } from '../constraints.js';
import { Distribution } from '../distribution.js';
import { formatShape } from '../shapes.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/**
 * Independent(base, n): reinterprets the rightmost n batch axes of `base` as event axes, so
 * logProb and entropy sum over them (a diagonal Gaussian posterior is
 * `new Independent(new Normal(mu, sigma), 1)`). Takes ownership of `base`: `dispose()` disposes
 * it too (never the caller's tensors inside it).
 */
export class Independent<D extends Distribution = Distribution> extends Distribution {
  static override readonly argConstraints = {};
  readonly base: D;
  readonly reinterpretedBatchNdims: number;

  constructor(base: D, reinterpretedBatchNdims: number, options?: DistributionOptions) {
    if (!(base instanceof Distribution)) {
      throw new TypeError(`Independent: argument 'base' must be a Distribution, got ${t.describeValue(base)}`);
    }
    const rank = base.batchShape.length;
    t.assertInteger(reinterpretedBatchNdims, 'Independent', 'reinterpretedBatchNdims', 0, rank);
    const split = rank - reinterpretedBatchNdims;
    super(base.batchShape.slice(0, split), [...base.batchShape.slice(split), ...base.eventShape], options ?? { validateArgs: base.validateArgs });
    this.base = this.own(base);
    this.reinterpretedBatchNdims = reinterpretedBatchNdims;
  }

  override get name(): string {
    return `Independent(${this.base.name})`;
  }

  get support(): Constraint {
    return independent(this.base.support, this.reinterpretedBatchNdims);
  }

  override get hasRsample(): boolean {
    return this.base.hasRsample;
  }

  protected override sampleImpl(shape: number[], seed: number): Tensor {
    return this.base.sample(shape, { seed });
  }

  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    return this.base.rsample(shape, { seed });
  }

  /** The base checks the support (it may depend on its parameters); here only the shapes. */
  protected override validateSample(fn: string, x: Tensor): void {
    this.validateValueShape(fn, x);
  }

  protected logProbImpl(x: Tensor): Tensor {
    return sumRightmost(this.base.logProb(x), this.reinterpretedBatchNdims);
  }

  override get mean(): Tensor {
    return this.base.mean;
  }

  override get variance(): Tensor {
    return this.base.variance;
  }

  override entropy(): Tensor {
    return t.tidy(() => sumRightmost(this.base.entropy(), this.reinterpretedBatchNdims));
  }

  override cdf(_value: TensorInput): Tensor {
    throw new Error(`${this.name}.cdf: not defined for an independent product (a joint cdf)`);
  }

  expand(batchShape: readonly number[]): Independent<D> {
    const shape = this.checkExpandShape(batchShape);
    const inner = this.base.batchShape.slice(this.base.batchShape.length - this.reinterpretedBatchNdims);
    const base = this.base.expand([...shape, ...inner]) as D;
    return new Independent(base, this.reinterpretedBatchNdims, { validateArgs: this.validateArgs });
  }

  override toString(): string {
    return `Independent(${this.base.toString()}, ${this.reinterpretedBatchNdims}) (batchShape=${formatShape(this.batchShape)}, eventShape=${formatShape(this.eventShape)})`;
  }
}

/** Sums the rightmost `n` axes of `x` (n = 0 returns a copy). */
export function sumRightmost(x: Tensor, n: number): Tensor {
  if (n === 0) return x;
  const axes = Array.from({ length: n }, (_, i) => x.rank - 1 - i);
  return t.sum(x, axes);
}
