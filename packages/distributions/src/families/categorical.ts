import * as t from '@vitae/tensor';
import { integerInterval, realVector, simplex } from '../constraints.js';
import { Distribution, expandTo, handOver } from '../distribution.js';
import { categoricalParams, FLOAT32_LOWEST } from './categorical-params.js';

import type { Tensor } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';
import type { LogitsOrProbs } from './logits-or-probs.js';

/**
 * Categorical({ logits } | { probs }) over 0 … K-1, K the size of the last axis (batch shape:
 * the other axes). Samples are int32 category indices; logProb takes indices as numbers or
 * int32 / float32 tensors.
 */
export class Categorical extends Distribution {
  static override readonly argConstraints = { probs: simplex, logits: realVector };
  /** Normalised log-probabilities, shape batchShape ++ [K]. */
  readonly logits: Tensor;
  /** Probabilities, shape batchShape ++ [K]. */
  readonly probs: Tensor;
  readonly numCategories: number;
  readonly parameterization: 'logits' | 'probs';
  private readonly supportConstraint: Constraint;

  constructor(params: LogitsOrProbs, options?: DistributionOptions) {
    const c = categoricalParams('Categorical', params);
    super(c.prepared.batchShape, [], options);
    this.parameterization = c.kind;
    this.numCategories = c.numCategories;
    this.logits = this.own(c.logits);
    this.probs = this.own(c.probs);
    this.supportConstraint = integerInterval(0, c.numCategories - 1);
    this.adopt(c.prepared, { [c.kind]: c.given });
  }

  get support(): Constraint {
    return this.supportConstraint;
  }

  protected override sampleImpl(shape: number[], seed: number): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const rows = t.reshape(this.logits, [-1, this.numCategories]);
    const draws = t.randomCategorical(rows, n, { seed }); // [batch, n]
    return t.reshape(t.transpose(draws), this.extendedShape(shape));
  }

  /** logits[value], gathered by a one-hot mask (differentiable in the logits). */
  protected logProbImpl(x: Tensor): Tensor {
    const index = t.cast(x, 'int32');
    const mask = t.cast(t.oneHot(index, this.numCategories), 'bool');
    const shape = mask.shape;
    const logits = t.broadcastTo(this.logits, shape);
    return t.sum(t.where(mask, logits, t.zerosLike(logits)), -1);
  }

  override get mean(): Tensor {
    return t.fill([...this.batchShape], NaN);
  }

  override get variance(): Tensor {
    return t.fill([...this.batchShape], NaN);
  }

  /** -Σ p log p (log 0 read as the lowest float32, so p = 0 adds 0). */
  override entropy(): Tensor {
    return t.tidy(() => t.neg(t.sum(t.mul(this.probs, t.maximum(this.logits, FLOAT32_LOWEST)), -1)));
  }

  /** 0 … K-1 broadcast over the batch: shape [K, ...batchShape], int32. */
  enumerateSupport(): Tensor {
    return t.tidy(() => {
      const values = t.reshape(t.range(0, this.numCategories, 1, 'int32'), [this.numCategories, ...this.batchShape.map(() => 1)]);
      return t.broadcastTo(values, [this.numCategories, ...this.batchShape]);
    });
  }

  expand(batchShape: readonly number[]): Categorical {
    const logits = expandTo(this.logits, this.checkExpandShape(batchShape), 1);
    return handOver(new Categorical({ logits }, { validateArgs: false }), [logits]);
  }
}
