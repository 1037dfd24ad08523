import * as t from '@vitae/tensor';
import { real, unitInterval } from '../constraints.js';
import { Distribution, checkConstraint, expandTo, handOver, prepareParams } from '../distribution.js';
import * as cb from './continuous-bernoulli-math.js';
import { pickLogitsOrProbs } from './logits-or-probs.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';
import type { LogitsOrProbs } from './logits-or-probs.js';

// float32's machine epsilon. As in torch, λ is clamped to [ε, 1 − ε] (clamp_probs) wherever it
// enters the closed forms, i.e. the logits to ±log((1 − ε) / ε) = ±15.94. This is what makes
// the likelihood usable on data with exact 0s and 1s: there log p(x) = −softplus(∓l) + log C(l)
// grows like log |l| without bound, and Adam would drive the logits to ∓∞; with the clamp
// it stops at log C(15.94) ≈ 2.77 nats per value.
const EPS = 2 ** -23;
const LOGIT_LIMIT = Math.log((1 - EPS) / EPS);

/**
 * ContinuousBernoulli({ logits } | { probs }) on [0, 1] (Loaiza-Ganem & Cunningham 2019, torch's
 * ContinuousBernoulli): density C(λ) λ^x (1 − λ)^(1 − x) with λ = probs = sigmoid(logits), the
 * normalised likelihood for data in [0, 1] such as grey-level images, where the Bernoulli's
 * cross-entropy is not a density. `probs` is λ, not the mean (see `mean`).
 *
 * Closed forms are evaluated in the logits without torch's Taylor window around λ = 1/2, so they
 * are exact there too (torch's quantile returns u itself for λ ∈ (0.499, 0.501]); the math is in
 * continuous-bernoulli-math.ts. Like torch, they use λ clamped to [ε, 1 − ε] (float32's ε): the
 * log-density is x l − softplus(l) + log C(clamp(l)), and for |l| > 15.94 the moments, cdf and
 * quantile are those at ±15.94. Samples are reparameterized through the quantile function.
 */
export class ContinuousBernoulli extends Distribution {
  static override readonly argConstraints = { probs: unitInterval, logits: real };
  readonly logits: Tensor;
  readonly probs: Tensor;
  /** Which parameter the caller gave. */
  readonly parameterization: 'logits' | 'probs';
  /** The logits clamped to ±15.94 (λ to [ε, 1 − ε]), as the closed forms use them. */
  private readonly clampedLogits: Tensor;

  constructor(params: LogitsOrProbs, options?: DistributionOptions) {
    const [kind, value] = pickLogitsOrProbs('ContinuousBernoulli', params);
    const p = prepareParams('ContinuousBernoulli', { [kind]: value });
    super(p.batchShape, [], options);
    this.parameterization = kind;
    const given = p.tensors[kind] as Tensor;
    this.adopt(p);
    if (kind === 'logits') {
      this.logits = given;
      this.clampedLogits = this.own(t.clipByValue(given, -LOGIT_LIMIT, LOGIT_LIMIT));
      this.probs = this.own(t.sigmoid(this.clampedLogits));
    } else {
      this.probs = given;
      this.logits = this.own(t.tidy(() => {
        const clamped = t.clipByValue(given, EPS, 1 - EPS);
        return t.sub(t.log(clamped), t.log1p(t.neg(clamped)));
      }));
      this.clampedLogits = this.logits;
    }
  }

  get support(): Constraint {
    return unitInterval;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** F⁻¹(u), u ~ Uniform[0, 1): pathwise gradients with respect to the logits. */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const u = t.randomUniform(this.extendedShape(shape), { seed });
    return cb.quantile(this.clampedLogits, u);
  }

  /** x l − softplus(l) + log C(clamp(l)): minus the cross-entropy, plus the log normaliser. */
  protected logProbImpl(x: Tensor): Tensor {
    return t.add(t.sub(t.mul(x, this.logits), t.softplus(this.logits)), cb.logNormalizer(this.clampedLogits));
  }

  /** log C(λ), the log normalising constant (at the clamped λ), shape batchShape. */
  logNormalizer(): Tensor {
    return cb.logNormalizer(this.clampedLogits);
  }

  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => cb.cdf(this.clampedLogits, t.toFloatTensor(value, 'ContinuousBernoulli.cdf', 'value')));
  }

  /** The quantile function F⁻¹(u) for u in [0, 1]. */
  icdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const u = t.toFloatTensor(value, 'ContinuousBernoulli.icdf', 'value');
      checkConstraint('ContinuousBernoulli.icdf', 'value', u, unitInterval);
      return cb.quantile(this.clampedLogits, u);
    });
  }

  /** λ / (2λ − 1) + 1 / (2 artanh(1 − 2λ)), which is 1/2 at λ = 1/2. */
  override get mean(): Tensor {
    return cb.mean(this.clampedLogits);
  }

  override get variance(): Tensor {
    return cb.variance(this.clampedLogits);
  }

  /** softplus(l) − l E[x] − log C(l), at the clamped l. */
  override entropy(): Tensor {
    return t.tidy(() => {
      const l = this.clampedLogits;
      return t.sub(t.sub(t.softplus(l), t.mul(l, cb.mean(l))), cb.logNormalizer(l));
    });
  }

  expand(batchShape: readonly number[]): ContinuousBernoulli {
    const given = this.parameterization === 'logits' ? this.logits : this.probs;
    const x = expandTo(given, this.checkExpandShape(batchShape));
    const params = (this.parameterization === 'logits' ? { logits: x } : { probs: x }) as LogitsOrProbs;
    return handOver(new ContinuousBernoulli(params, { validateArgs: false }), [x]);
  }
}
