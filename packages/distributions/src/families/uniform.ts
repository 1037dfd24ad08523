import * as t from '@vitae/tensor';
import { checkConstraint, Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { dependent, real } from '../constraints.js';
import { formatIndex } from '../shapes.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

const SUPPORT = dependent('interval(low, high)', 'in [low, high]');

/** Uniform(low, high) on [low, high). */
export class Uniform extends Distribution {
  static override readonly argConstraints = {
    low: dependent('low < high', 'a real number below high'),
    high: dependent('high > low', 'a real number above low'),
  };
  readonly low: Tensor;
  readonly high: Tensor;

  constructor(low: TensorInput, high: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Uniform', { low, high });
    super(p.batchShape, [], options);
    this.low = p.tensors.low as Tensor;
    this.high = p.tensors.high as Tensor;
    this.adopt(p);
    if (this.validateArgs) this.checkOrder();
  }

  private checkOrder(): void {
    try {
      checkConstraint('Uniform', 'low', this.low, real);
      checkConstraint('Uniform', 'high', this.high, real);
      const lo = this.low.dataSync();
      const hi = this.high.dataSync();
      for (let i = 0; i < lo.length; i++) {
        if (!((lo[i] as number) < (hi[i] as number))) {
          const where = this.low.rank === 0 ? '' : ` at index ${formatIndex(i, this.low.shape)}`;
          throw new RangeError(`Uniform: argument 'low' must be < 'high', got low ${lo[i]} and high ${hi[i]}${where}`);
        }
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** [low, high] (depends on the parameters: checked by `validateSample`). */
  get support(): Constraint {
    return SUPPORT;
  }

  protected override validateSample(fn: string, x: Tensor): void {
    super.validateSample(fn, x);
    const outside = t.tidy(() => t.logicalOr(t.logicalNot(t.greaterEqual(x, this.low)), t.greater(x, this.high)));
    const flags = outside.dataSync();
    outside.dispose();
    const i = flags.findIndex((f) => f !== 0);
    if (i < 0) return;
    const xb = t.tidy(() => t.broadcastTo(x, outside.shape));
    const v = xb.dataSync()[i];
    xb.dispose();
    const where = outside.rank === 0 ? '' : ` at index ${formatIndex(i, outside.shape)}`;
    throw new RangeError(`${fn}: argument 'value' must be in [low, high] (the support), got ${v}${where}`);
  }

  override get hasRsample(): boolean {
    return true;
  }

  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const u = t.randomUniform(this.extendedShape(shape), { seed });
    return t.add(this.low, t.mul(t.sub(this.high, this.low), u));
  }

  /** -log(high - low) inside [low, high), -Infinity outside. */
  protected logProbImpl(x: Tensor): Tensor {
    const inside = t.logicalAnd(t.greaterEqual(x, this.low), t.less(x, this.high));
    const lp = t.neg(t.log(t.sub(this.high, this.low)));
    return t.where(inside, t.broadcastTo(lp, inside.shape), t.fill(inside.shape, -Infinity));
  }

  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const x = t.toFloatTensor(value, 'Uniform.cdf', 'value');
      return t.clipByValue(t.div(t.sub(x, this.low), t.sub(this.high, this.low)), 0, 1);
    });
  }

  override get mean(): Tensor {
    return t.tidy(() => t.mul(t.add(this.low, this.high), 0.5));
  }

  /** (high - low)² / 12. */
  override get variance(): Tensor {
    return t.tidy(() => t.div(t.square(t.sub(this.high, this.low)), 12));
  }

  override entropy(): Tensor {
    return t.tidy(() => t.log(t.sub(this.high, this.low)));
  }

  expand(batchShape: readonly number[]): Uniform {
    const shape = this.checkExpandShape(batchShape);
    const low = expandTo(this.low, shape);
    const high = expandTo(this.high, shape);
    return handOver(new Uniform(low, high, { validateArgs: false }), [low, high]);
  }
}
