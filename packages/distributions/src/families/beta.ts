import * as t from '@vitae/tensor';
import { positive, unitInterval } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { broadcastShapeOf } from '../shapes.js';
import { regularizedBeta } from '../special/incomplete-gamma.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/** Beta(concentration1 a, concentration0 b): density x^(a-1) (1-x)^(b-1) / B(a, b) (torch's order). */
export class Beta extends Distribution {
  static override readonly argConstraints = { concentration1: positive, concentration0: positive };
  readonly concentration1: Tensor;
  readonly concentration0: Tensor;

  constructor(concentration1: TensorInput, concentration0: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Beta', { concentration1, concentration0 });
    super(p.batchShape, [], options);
    this.concentration1 = p.tensors.concentration1 as Tensor;
    this.concentration0 = p.tensors.concentration0 as Tensor;
    this.adopt(p);
  }

  get support(): Constraint {
    return unitInterval;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** g1 / (g1 + g0) with g_i ~ Gamma(c_i, 1): gradients by implicit reparameterization of each gamma. */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const full = this.extendedShape(shape);
    const [s1, s0] = t.splitSeed(seed, 2) as [number, number];
    // randomGamma's draws are at least the smallest normal float32, so g1 + g0 > 0
    const g1 = t.randomGamma(full, t.broadcastTo(this.concentration1, full), { seed: s1 });
    const g0 = t.randomGamma(full, t.broadcastTo(this.concentration0, full), { seed: s0 });
    return t.div(g1, t.add(g1, g0));
  }

  /** (a-1) log x + (b-1) log(1-x) - log B(a, b), with xlogy so the endpoints work when a or b is 1. */
  protected logProbImpl(x: Tensor): Tensor {
    const a = this.concentration1;
    const b = this.concentration0;
    return t.sub(t.add(t.xlogy(t.sub(a, 1), x), t.xlogy(t.sub(b, 1), t.sub(1, x))), t.logBeta(a, b));
  }

  /** The regularized incomplete beta I_x(a, b), in float64 on the host (no gradient). */
  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const x = t.toFloatTensor(value, 'Beta.cdf', 'value');
      const shape = broadcastShapeOf(x, this.concentration1);
      const xs = t.broadcastTo(x, shape).dataSync();
      const a = t.broadcastTo(this.concentration1, shape).dataSync();
      const b = t.broadcastTo(this.concentration0, shape).dataSync();
      const out = new Float32Array(xs.length);
      for (let i = 0; i < out.length; i++) out[i] = regularizedBeta(xs[i] as number, a[i] as number, b[i] as number);
      return t.tensor(out, shape);
    });
  }

  /** a / (a + b). */
  override get mean(): Tensor {
    return t.tidy(() => t.div(this.concentration1, t.add(this.concentration1, this.concentration0)));
  }

  /** a b / ((a + b)² (a + b + 1)). */
  override get variance(): Tensor {
    return t.tidy(() => {
      const total = t.add(this.concentration1, this.concentration0);
      return t.div(t.mul(this.concentration1, this.concentration0), t.mul(t.square(total), t.add(total, 1)));
    });
  }

  /** log B(a, b) - (a-1) ψ(a) - (b-1) ψ(b) + (a+b-2) ψ(a+b). */
  override entropy(): Tensor {
    return t.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const total = t.add(a, b);
      return t.add(
        t.sub(t.sub(t.logBeta(a, b), t.mul(t.sub(a, 1), t.digamma(a))), t.mul(t.sub(b, 1), t.digamma(b))),
        t.mul(t.sub(total, 2), t.digamma(total)),
      );
    });
  }

  expand(batchShape: readonly number[]): Beta {
    const shape = this.checkExpandShape(batchShape);
    const c1 = expandTo(this.concentration1, shape);
    const c0 = expandTo(this.concentration0, shape);
    return handOver(new Beta(c1, c0, { validateArgs: false }), [c1, c0]);
  }
}
