import * as t from '@vitae/tensor';
import { oneHot, realVector, simplex } from '../constraints.js';
import { Distribution, expandTo, handOver } from '../distribution.js';
import { broadcastShapeOf } from '../shapes.js';
import { categoricalParams, FLOAT32_LOWEST } from './categorical-params.js';

import type { Tensor } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';
import type { LogitsOrProbs } from './logits-or-probs.js';

/** OneHotCategorical({ logits } | { probs }): a Categorical whose samples are one-hot vectors (event shape [K]). */
export class OneHotCategorical extends Distribution {
  static override readonly argConstraints = { probs: simplex, logits: realVector };
  readonly logits: Tensor;
  readonly probs: Tensor;
  readonly numCategories: number;
  readonly parameterization: 'logits' | 'probs';

  constructor(params: LogitsOrProbs, options?: DistributionOptions) {
    const c = categoricalParams('OneHotCategorical', params);
    super(c.prepared.batchShape, [c.numCategories], options);
    this.parameterization = c.kind;
    this.numCategories = c.numCategories;
    this.logits = this.own(c.logits);
    this.probs = this.own(c.probs);
    this.adopt(c.prepared, { [c.kind]: c.given });
  }

  get support(): Constraint {
    return oneHot;
  }

  protected override sampleImpl(shape: number[], seed: number): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const draws = t.randomCategorical(t.reshape(this.logits, [-1, this.numCategories]), n, { seed });
    const indices = t.reshape(t.transpose(draws), [...shape, ...this.batchShape]);
    return t.oneHot(indices, this.numCategories, 1, 0, 'float32');
  }

  /** Σ_k x_k log p_k, reading only the entries where x_k = 1 (so log 0 elsewhere is harmless). */
  protected logProbImpl(x: Tensor): Tensor {
    const shape = broadcastShapeOf(x, this.logits);
    const logits = t.broadcastTo(this.logits, shape);
    const hit = t.broadcastTo(t.greater(x, 0), shape);
    return t.sum(t.where(hit, t.mul(logits, t.broadcastTo(x, shape)), t.zerosLike(logits)), -1);
  }

  override get mean(): Tensor {
    return t.clone(this.probs);
  }

  override get variance(): Tensor {
    return t.tidy(() => t.mul(this.probs, t.sub(1, this.probs)));
  }

  override entropy(): Tensor {
    return t.tidy(() => t.neg(t.sum(t.mul(this.probs, t.maximum(this.logits, FLOAT32_LOWEST)), -1)));
  }

  /** The K one-hot vectors broadcast over the batch: shape [K, ...batchShape, K]. */
  enumerateSupport(): Tensor {
    return t.tidy(() => {
      const k = this.numCategories;
      const eye = t.reshape(t.eye(k), [k, ...this.batchShape.map(() => 1), k]);
      return t.broadcastTo(eye, [k, ...this.batchShape, k]);
    });
  }

  expand(batchShape: readonly number[]): OneHotCategorical {
    const logits = expandTo(this.logits, this.checkExpandShape(batchShape), 1);
    return handOver(new OneHotCategorical({ logits }, { validateArgs: false }), [logits]);
  }
}
