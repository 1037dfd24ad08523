import * as t from '@vitae/tensor';
import { nonnegative, positive } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { regularizedGammaP } from '../special/incomplete-gamma.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/** Gamma(concentration α, rate β): density β^α x^(α-1) e^(-βx) / Γ(α). */
export class Gamma extends Distribution {
  static override readonly argConstraints = { concentration: positive, rate: positive };
  readonly concentration: Tensor;
  readonly rate: Tensor;

  constructor(concentration: TensorInput, rate: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Gamma', { concentration, rate });
    super(p.batchShape, [], options);
    this.concentration = p.tensors.concentration as Tensor;
    this.rate = p.tensors.rate as Tensor;
    this.adopt(p);
  }

  get support(): Constraint {
    return nonnegative;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /**
   * Standard Gamma(α) draws divided by β. The gradient with respect to α is the implicit
   * reparameterization gradient of @vitae/tensor's randomGamma (Figurnov et al. 2018); the one
   * with respect to β follows from the division.
   */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const full = this.extendedShape(shape);
    const g = t.randomGamma(full, t.broadcastTo(this.concentration, full), { seed });
    return t.div(g, this.rate);
  }

  /** α log β + (α - 1) log x - β x - lgamma(α), with xlogy so x = 0 works for α = 1. */
  protected logProbImpl(x: Tensor): Tensor {
    const a = this.concentration;
    const b = this.rate;
    return t.sub(t.sub(t.add(t.xlogy(a, b), t.xlogy(t.sub(a, 1), x)), t.mul(b, x)), t.lgamma(a));
  }

  /** The regularized lower incomplete gamma P(α, βx), in float64 on the host (no gradient). */
  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const x = t.toFloatTensor(value, 'Gamma.cdf', 'value');
      const scaled = t.mul(x, this.rate);
      const shape = scaled.shape;
      const bx = scaled.dataSync();
      const a = t.broadcastTo(this.concentration, shape).dataSync();
      const out = new Float32Array(bx.length);
      for (let i = 0; i < out.length; i++) out[i] = regularizedGammaP(a[i] as number, Math.max(0, bx[i] as number));
      return t.tensor(out, shape);
    });
  }

  override get mean(): Tensor {
    return t.div(this.concentration, this.rate);
  }

  override get variance(): Tensor {
    return t.tidy(() => t.div(this.concentration, t.square(this.rate)));
  }

  /** α - log β + lgamma(α) + (1 - α) ψ(α). */
  override entropy(): Tensor {
    return t.tidy(() => {
      const a = this.concentration;
      return t.add(t.add(t.sub(a, t.log(this.rate)), t.lgamma(a)), t.mul(t.sub(1, a), t.digamma(a)));
    });
  }

  expand(batchShape: readonly number[]): Gamma {
    const shape = this.checkExpandShape(batchShape);
    const concentration = expandTo(this.concentration, shape);
    const rate = expandTo(this.rate, shape);
    return handOver(new Gamma(concentration, rate, { validateArgs: false }), [concentration, rate]);
  }
}
