import * as t from '@vitae/tensor';
import { nonnegative, nonnegativeInteger, positive, real } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { logZinbPositive, NB_EPS } from '../likelihoods/negative-binomial.js';
import { nbEntropy } from './negative-binomial.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/**
 * ZeroInflatedNegativeBinomial({ mu, theta, ziLogits }): with probability sigmoid(ziLogits) a
 * structural zero, otherwise NB(mu, theta). logProb is scvi-tools' `log_zinb_positive`.
 */
export class ZeroInflatedNegativeBinomial extends Distribution {
  static override readonly argConstraints = { mu: nonnegative, theta: positive, ziLogits: real };
  readonly mu: Tensor;
  readonly theta: Tensor;
  /** Logits of the zero-inflation probability. */
  readonly ziLogits: Tensor;
  readonly eps: number;

  constructor(params: { mu: TensorInput; theta: TensorInput; ziLogits: TensorInput }, options?: DistributionOptions & { eps?: number }) {
    if (typeof params !== 'object' || params === null || params.mu === undefined || params.theta === undefined || params.ziLogits === undefined) {
      throw new TypeError(`ZeroInflatedNegativeBinomial: the first argument must be an object { mu, theta, ziLogits }, got ${t.describeValue(params)}`);
    }
    const p = prepareParams('ZeroInflatedNegativeBinomial', { mu: params.mu, theta: params.theta, ziLogits: params.ziLogits });
    super(p.batchShape, [], options);
    this.mu = p.tensors.mu as Tensor;
    this.theta = p.tensors.theta as Tensor;
    this.ziLogits = p.tensors.ziLogits as Tensor;
    this.eps = options?.eps ?? NB_EPS;
    this.adopt(p);
  }

  get support(): Constraint {
    return nonnegativeInteger;
  }

  /** The zero-inflation probability sigmoid(ziLogits). */
  get ziProbs(): Tensor {
    return t.sigmoid(this.ziLogits);
  }

  protected override sampleImpl(shape: number[], seed: number): Tensor {
    const full = this.extendedShape(shape);
    const [gammaSeed, poissonSeed, zeroSeed] = t.splitSeed(seed, 3) as [number, number, number];
    const g = t.randomGamma(full, t.broadcastTo(this.theta, full), { seed: gammaSeed });
    const counts = t.randomPoisson(full, t.mul(g, t.div(this.mu, this.theta)), { seed: poissonSeed });
    const structuralZero = t.randomBernoulli(full, t.sigmoid(this.ziLogits), { seed: zeroSeed });
    return t.mul(counts, t.sub(1, structuralZero));
  }

  protected logProbImpl(x: Tensor): Tensor {
    return logZinbPositive(x, this.mu, this.theta, this.ziLogits, this.eps);
  }

  /** (1 - pi) mu. */
  override get mean(): Tensor {
    return t.tidy(() => t.mul(t.sigmoid(t.neg(this.ziLogits)), this.mu));
  }

  /** (1 - pi) mu (1 + mu / theta + pi mu). */
  override get variance(): Tensor {
    return t.tidy(() => {
      const pi = t.sigmoid(this.ziLogits);
      const inner = t.add(t.add(1, t.div(this.mu, this.theta)), t.mul(pi, this.mu));
      return t.mul(t.mul(t.sub(1, pi), this.mu), inner);
    });
  }

  override entropy(): Tensor {
    return t.tidy(() => nbEntropy(this.mu, this.theta, t.sigmoid(this.ziLogits), this.batchShape));
  }

  expand(batchShape: readonly number[]): ZeroInflatedNegativeBinomial {
    const shape = this.checkExpandShape(batchShape);
    const mu = expandTo(this.mu, shape);
    const theta = expandTo(this.theta, shape);
    const ziLogits = expandTo(this.ziLogits, shape);
    return handOver(new ZeroInflatedNegativeBinomial({ mu, theta, ziLogits }, { validateArgs: false, eps: this.eps }), [mu, theta, ziLogits]);
  }
}
