import * as t from '@vitae/tensor';
import { independent, positive, simplex } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/**
 * Dirichlet(concentration α) over the simplex of the last axis (event shape [K]):
 * density Γ(α₀) / Π Γ(α_k) · Π x_k^(α_k - 1), α₀ = Σ α_k.
 */
export class Dirichlet extends Distribution {
  static override readonly argConstraints = { concentration: independent(positive, 1) };
  readonly concentration: Tensor;

  constructor(concentration: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('Dirichlet', { concentration }, { concentration: 1 });
    const c = p.tensors.concentration as Tensor;
    super(p.batchShape, c.shape.slice(-1), options);
    this.concentration = c;
    this.adopt(p);
    if (c.shape[c.rank - 1] === 0) {
      this.dispose();
      throw new RangeError(`Dirichlet: argument 'concentration' must have at least one category on its last axis, got shape [${c.shape.join(', ')}]`);
    }
  }

  get support(): Constraint {
    return simplex;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /**
   * g / Σ g with g_k ~ Gamma(α_k, 1) (randomGamma's draws are at least the smallest normal
   * float32, so Σ g > 0). The normalisation is a valid reparameterization, so the implicit gamma
   * gradients carry through it to dx/dα (Figurnov et al. 2018).
   */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const full = this.extendedShape(shape);
    // g / Σg with its gradient written out, one kernel each way (@vitae/tensor)
    return t.normalizeLastAxis(t.randomGamma(full, t.broadcastTo(this.concentration, full), { seed }));
  }

  /** Σ (α_k - 1) log x_k + lgamma(α₀) - Σ lgamma(α_k). */
  protected logProbImpl(x: Tensor): Tensor {
    const a = this.concentration;
    return t.sub(t.add(t.sum(t.xlogy(t.sub(a, 1), x), -1), t.lgamma(t.sum(a, -1))), t.sum(t.lgamma(a), -1));
  }

  /** α / α₀. */
  override get mean(): Tensor {
    return t.tidy(() => t.div(this.concentration, t.sum(this.concentration, -1, true)));
  }

  /** α (α₀ - α) / (α₀² (α₀ + 1)). */
  override get variance(): Tensor {
    return t.tidy(() => {
      const a = this.concentration;
      const a0 = t.sum(a, -1, true);
      return t.div(t.mul(a, t.sub(a0, a)), t.mul(t.square(a0), t.add(a0, 1)));
    });
  }

  /** log B(α) + (α₀ - K) ψ(α₀) - Σ (α_k - 1) ψ(α_k). */
  override entropy(): Tensor {
    return t.tidy(() => {
      const a = this.concentration;
      const k = a.shape[a.rank - 1] as number;
      const a0 = t.sum(a, -1);
      const logB = t.sub(t.sum(t.lgamma(a), -1), t.lgamma(a0));
      return t.sub(t.add(logB, t.mul(t.sub(a0, k), t.digamma(a0))), t.sum(t.mul(t.sub(a, 1), t.digamma(a)), -1));
    });
  }

  expand(batchShape: readonly number[]): Dirichlet {
    const c = expandTo(this.concentration, this.checkExpandShape(batchShape), 1);
    return handOver(new Dirichlet(c, { validateArgs: false }), [c]);
  }
}
