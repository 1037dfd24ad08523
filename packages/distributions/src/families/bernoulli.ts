import * as t from '@vitae/tensor';
import { boolean, real, unitInterval } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { pickLogitsOrProbs } from './logits-or-probs.js';

import type { Tensor } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';
import type { LogitsOrProbs } from './logits-or-probs.js';

/**
 * Bernoulli({ logits } | { probs }): P(1) = probs = sigmoid(logits). Both are kept; the
 * log-likelihood is computed from whichever was given (exact at probs 0 and 1, and for |logits|
 * up to the float32 range).
 */
export class Bernoulli extends Distribution {
  static override readonly argConstraints = { probs: unitInterval, logits: real };
  readonly logits: Tensor;
  readonly probs: Tensor;
  /** Which parameter the caller gave. */
  readonly parameterization: 'logits' | 'probs';

  constructor(params: LogitsOrProbs, options?: DistributionOptions) {
    const [kind, value] = pickLogitsOrProbs('Bernoulli', params);
    const p = prepareParams('Bernoulli', { [kind]: value });
    super(p.batchShape, [], options);
    this.parameterization = kind;
    const given = p.tensors[kind] as Tensor;
    this.adopt(p);
    if (kind === 'logits') {
      this.logits = given;
      this.probs = this.own(t.sigmoid(given));
    } else {
      this.probs = given;
      this.logits = this.own(t.tidy(() => t.sub(t.log(given), t.log1p(t.neg(given)))));
    }
  }

  get support(): Constraint {
    return boolean;
  }

  protected override sampleImpl(shape: number[], seed: number): Tensor {
    const full = this.extendedShape(shape);
    return t.randomBernoulli(full, this.probs, { seed });
  }

  /** logits: x l - softplus(l); probs: x log p + (1 - x) log(1 - p). */
  protected logProbImpl(x: Tensor): Tensor {
    if (this.parameterization === 'logits') return t.sub(t.mul(x, this.logits), t.softplus(this.logits));
    return t.add(t.xlogy(x, this.probs), t.xlogy(t.sub(1, x), t.sub(1, this.probs)));
  }

  override get mean(): Tensor {
    return t.clone(this.probs);
  }

  override get variance(): Tensor {
    return t.tidy(() => t.mul(this.probs, t.sub(1, this.probs)));
  }

  /** softplus(l) - p l (from logits), or -(p log p + (1-p) log(1-p)) (from probs). */
  override entropy(): Tensor {
    return t.tidy(() => {
      if (this.parameterization === 'logits') return t.sub(t.softplus(this.logits), t.mul(this.probs, this.logits));
      const q = t.sub(1, this.probs);
      return t.neg(t.add(t.xlogy(this.probs, this.probs), t.xlogy(q, q)));
    });
  }

  /** [0, 1] broadcast over the batch: shape [2, ...batchShape]. */
  enumerateSupport(): Tensor {
    return t.tidy(() => t.broadcastTo(t.reshape(t.tensor([0, 1]), [2, ...this.batchShape.map(() => 1)]), [2, ...this.batchShape]));
  }

  expand(batchShape: readonly number[]): Bernoulli {
    const given = this.parameterization === 'logits' ? this.logits : this.probs;
    const x = expandTo(given, this.checkExpandShape(batchShape));
    const params = (this.parameterization === 'logits' ? { logits: x } : { probs: x }) as LogitsOrProbs;
    return handOver(new Bernoulli(params, { validateArgs: false }), [x]);
  }
}
