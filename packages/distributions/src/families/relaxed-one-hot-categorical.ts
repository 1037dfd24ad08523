import * as t from '@vitae/tensor';
import { positive, realVector, simplex } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { pickLogitsOrProbs } from './logits-or-probs.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

// Samples are clamped away from 0 so log y stays finite (torch's clamp_probs does the same).
const FLOAT32_TINY = 1.1754943508222875e-38;

export type RelaxedOneHotCategoricalParams =
  | { temperature: TensorInput; logits: TensorInput; probs?: undefined }
  | { temperature: TensorInput; probs: TensorInput; logits?: undefined };

/**
 * RelaxedOneHotCategorical({ temperature, logits | probs }), the Concrete / Gumbel-softmax
 * distribution (Maddison et al. 2017; Jang et al. 2017) on the simplex: y = softmax((logits + g)
 * / τ) with g standard Gumbel. Density (K categories, π = softmax(logits)):
 *   log p(y) = lgamma(K) + (K-1) log τ + Σ_k (log π_k - (τ+1) log y_k) - K log Σ_k π_k y_k^(-τ).
 */
export class RelaxedOneHotCategorical extends Distribution {
  static override readonly argConstraints = { temperature: positive, probs: simplex, logits: realVector };
  /** τ, broadcast to the batch shape. */
  readonly temperature: Tensor;
  /** Normalised log-probabilities, batchShape ++ [K]. */
  readonly logits: Tensor;
  readonly probs: Tensor;
  readonly numCategories: number;

  constructor(params: RelaxedOneHotCategoricalParams, options?: DistributionOptions) {
    const fn = 'RelaxedOneHotCategorical';
    if (typeof params !== 'object' || params === null || params.temperature === undefined) {
      throw new TypeError(`${fn}: the first argument must be an object { temperature, logits } or { temperature, probs }, got ${t.describeValue(params)}`);
    }
    const [kind, value] = pickLogitsOrProbs(fn, { logits: params.logits, probs: params.probs });
    const p = prepareParams(fn, { temperature: params.temperature, [kind]: value }, { [kind]: 1 });
    const given = p.tensors[kind] as Tensor;
    super(p.batchShape, given.shape.slice(-1), options);
    this.numCategories = given.shape[given.rank - 1] as number;
    this.temperature = p.tensors.temperature as Tensor;
    const [logits, probs] = t.tidy(() => {
      const l = kind === 'logits' ? t.sub(given, t.logSumExp(given, -1, true)) : t.log(t.div(given, t.sum(given, -1, true)));
      return [l, t.exp(l)];
    });
    this.logits = this.own(logits);
    this.probs = this.own(probs);
    this.adopt(p);
  }

  get support(): Constraint {
    return simplex;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** softmax((logits + g) / τ), g standard Gumbel. */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const gumbel = t.randomGumbel(this.extendedShape(shape), { seed });
    const tau = t.expandDims(this.temperature, -1);
    return t.maximum(t.softmax(t.div(t.add(this.logits, gumbel), tau)), FLOAT32_TINY);
  }

  /**
   * With s = logits - τ log y: lgamma(K) + (K-1) log τ + Σ s - K logsumexp(s) - Σ log y
   * (the density of log y, torch's ExpRelaxedCategorical, plus the log-Jacobian of exp).
   */
  protected logProbImpl(y: Tensor): Tensor {
    const k = this.numCategories;
    const logY = t.log(y);
    const tau = t.expandDims(this.temperature, -1);
    const score = t.sub(this.logits, t.mul(tau, logY));
    const logScale = t.add(t.mul(t.log(this.temperature), k - 1), lgammaOf(k));
    const density = t.sub(t.sum(score, -1), t.mul(t.logSumExp(score, -1), k));
    return t.sub(t.add(density, logScale), t.sum(logY, -1));
  }

  expand(batchShape: readonly number[]): RelaxedOneHotCategorical {
    const shape = this.checkExpandShape(batchShape);
    const temperature = expandTo(this.temperature, shape);
    const logits = expandTo(this.logits, shape, 1);
    return handOver(new RelaxedOneHotCategorical({ temperature, logits }, { validateArgs: false }), [temperature, logits]);
  }
}

/** lgamma(k) for a positive integer k, as log((k-1)!). */
function lgammaOf(k: number): number {
  let s = 0;
  for (let i = 2; i < k; i++) s += Math.log(i);
  return s;
}
