import * as t from '@vitae/tensor';
import { Distribution } from '../distribution.js';
import { formatShape, shapesEqual } from '../shapes.js';
import { Categorical } from './categorical.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions } from '../distribution.js';

/**
 * MixtureSameFamily(mixture, components): p(x) = Σ_k π_k p_k(x), where `mixture` is a
 * Categorical over K with batch shape B and `components` has batch shape B ++ [K] (a GMM:
 * `new MixtureSameFamily(new Categorical({ logits }), new Independent(new Normal(mu, sigma), 1))`
 * with mu of shape [K, D]). Takes ownership of `mixture` and `components`: `dispose()` disposes
 * them too (never the caller's tensors inside them).
 */
export class MixtureSameFamily<D extends Distribution = Distribution> extends Distribution {
  static override readonly argConstraints = {};
  readonly mixture: Categorical;
  readonly components: D;
  readonly numComponents: number;

  constructor(mixture: Categorical, components: D, options?: DistributionOptions) {
    const fn = 'MixtureSameFamily';
    if (!(mixture instanceof Categorical)) throw new TypeError(`${fn}: argument 'mixture' must be a Categorical, got ${t.describeValue(mixture)}`);
    if (!(components instanceof Distribution)) throw new TypeError(`${fn}: argument 'components' must be a Distribution, got ${t.describeValue(components)}`);
    const cb = components.batchShape;
    if (cb.length < 1 || cb[cb.length - 1] !== mixture.numCategories) {
      throw new RangeError(
        `${fn}: the last batch axis of 'components' (batch shape ${formatShape(cb)}) must equal the number of mixture categories ${mixture.numCategories}`,
      );
    }
    const batchShape = cb.slice(0, -1);
    if (!shapesEqual(mixture.batchShape, batchShape)) {
      throw new RangeError(`${fn}: the batch shape of 'mixture' ${formatShape(mixture.batchShape)} must equal the components' batch shape without its last axis ${formatShape(batchShape)}`);
    }
    super(batchShape, components.eventShape, options ?? { validateArgs: components.validateArgs });
    this.mixture = this.own(mixture);
    this.components = this.own(components);
    this.numComponents = mixture.numCategories;
  }

  get support(): Constraint {
    return this.components.support;
  }

  /** The axis of the component index in a components-shaped tensor, counted from the end. */
  private get componentAxis(): number {
    return -1 - this.eventShape.length;
  }

  /** Draws every component and keeps the one the mixture picks (torch's approach). */
  protected override sampleImpl(shape: number[], seed: number): Tensor {
    const [mixSeed, compSeed] = t.splitSeed(seed, 2) as [number, number];
    const index = this.mixture.sample(shape, { seed: mixSeed }); // shape ++ B
    const draws = this.components.sample(shape, { seed: compSeed }); // shape ++ B ++ [K] ++ E
    let mask = t.oneHot(index, this.numComponents, 1, 0, 'float32'); // shape ++ B ++ [K]
    for (let i = 0; i < this.eventShape.length; i++) mask = t.expandDims(mask, -1);
    return t.sum(t.mul(draws, mask), this.componentAxis);
  }

  protected override validateSample(fn: string, x: Tensor): void {
    this.validateValueShape(fn, x);
  }

  /** logsumexp_k (log π_k + log p_k(x)). */
  protected logProbImpl(x: Tensor): Tensor {
    const perComponent = this.components.logProb(t.expandDims(x, x.rank - this.eventShape.length)); // … ++ B ++ [K]
    return t.logSumExp(t.add(perComponent, this.mixture.logits), -1);
  }

  override cdf(value: TensorInput): Tensor {
    return t.tidy(() => {
      const x = t.toFloatTensor(value, `${this.name}.cdf`, 'value');
      const perComponent = this.components.cdf(t.expandDims(x, x.rank - this.eventShape.length));
      return t.sum(t.mul(perComponent, this.mixture.probs), -1);
    });
  }

  /** Σ_k π_k mean_k. */
  override get mean(): Tensor {
    return t.tidy(() => t.sum(t.mul(this.components.mean, this.weights()), this.componentAxis));
  }

  /** Law of total variance: Σ π_k var_k + Σ π_k mean_k² - mean². */
  override get variance(): Tensor {
    return t.tidy(() => {
      const w = this.weights();
      const m = this.components.mean;
      const mean = t.sum(t.mul(m, w), this.componentAxis);
      const second = t.sum(t.mul(t.add(this.components.variance, t.square(m)), w), this.componentAxis);
      return t.sub(second, t.square(mean));
    });
  }

  /** Mixture weights shaped to broadcast against a components-shaped tensor. */
  private weights(): Tensor {
    let w = this.mixture.probs;
    for (let i = 0; i < this.eventShape.length; i++) w = t.expandDims(w, -1);
    return w;
  }

  expand(batchShape: readonly number[]): MixtureSameFamily<D> {
    const shape = this.checkExpandShape(batchShape);
    const mixture = this.mixture.expand(shape);
    const components = this.components.expand([...shape, this.numComponents]) as D;
    return new MixtureSameFamily(mixture, components, { validateArgs: this.validateArgs });
  }
}
