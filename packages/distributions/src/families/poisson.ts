import * as t from '@vitae/tensor';
import { lgammaScalar } from '@vitae/tensor/kernels';
import { nonnegative, nonnegativeInteger } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { broadcastShapeOf } from '../shapes.js';
import { countEntropy } from '../special/count-entropy.js';
import { regularizedGammaQ } from '../special/incomplete-gamma.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/** Poisson(rate): P(k) = rate^k e^(-rate) / k!. Samples are float32 counts. */
export class Poisson extends Distribution {
  static override readonly argConstraints = { rate: nonnegative };
  readonly rate: Tensor;

  constructor(rate: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Poisson', { rate });
    super(p.batchShape, [], options);
    this.rate = p.tensors.rate as Tensor;
    this.adopt(p);
  }

  get support(): Constraint {
    return nonnegativeInteger;
  }

  protected override sampleImpl(shape: number[], seed: number): Tensor {
    return t.randomPoisson(this.extendedShape(shape), this.rate, { seed });
  }

  /** k log rate - rate - lgamma(k + 1), with xlogy so rate = 0 gives log P(0) = 0. */
  protected logProbImpl(x: Tensor): Tensor {
    return t.sub(t.sub(t.xlogy(x, this.rate), this.rate), t.lgamma(t.add(x, 1)));
  }

  /** P(X <= x) = Q(floor(x) + 1, rate), float64 on the host. */
  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const x = t.toFloatTensor(value, 'Poisson.cdf', 'value');
      const shape = broadcastShapeOf(x, this.rate);
      const xs = t.broadcastTo(x, shape).dataSync();
      const rates = t.broadcastTo(this.rate, shape).dataSync();
      const out = new Float32Array(xs.length);
      for (let i = 0; i < out.length; i++) {
        const k = Math.floor(xs[i] as number);
        const r = rates[i] as number;
        out[i] = k < 0 ? 0 : r === 0 ? 1 : regularizedGammaQ(k + 1, r);
      }
      return t.tensor(out, shape);
    });
  }

  override get mean(): Tensor {
    return t.clone(this.rate);
  }

  override get variance(): Tensor {
    return t.clone(this.rate);
  }

  /** No closed form: -Σ p log p summed in float64 on the host (no gradient). */
  override entropy(): Tensor {
    const rates = this.rate.dataSync();
    const out = new Float32Array(rates.length);
    for (let i = 0; i < out.length; i++) {
      const r = rates[i] as number;
      const logRate = Math.log(r);
      out[i] = r === 0 ? 0 : countEntropy((k) => k * logRate - r - lgammaScalar(k + 1), r);
    }
    return t.tensor(out, [...this.batchShape]);
  }

  expand(batchShape: readonly number[]): Poisson {
    const rate = expandTo(this.rate, this.checkExpandShape(batchShape));
    return handOver(new Poisson(rate, { validateArgs: false }), [rate]);
  }
}
