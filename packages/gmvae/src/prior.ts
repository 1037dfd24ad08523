// The learnable Gaussian-mixture prior p(z) = Σ_k π_k N(z; μ_k, diag σ_k²).
// Parameters (unconstrained): means [K, D], scale_raw [K, D] (σ = softplus(raw)), logits [K]
// (π = softmax(logits)).
//
// Optional hierarchy (the seed notes' sketch): components are paired under parent components
// whose mean is the average of their two children's means, and each child's mean is drawn
// around its parent, μ_child ~ N(μ_parent, τ² I). Its log-density is a global term,
//   log p(μ) = Σ_pairs Σ_child -‖μ_child - μ_parent‖² / (2τ²) + const
//            = Σ_pairs -‖μ_a - μ_b‖² / (4τ²) + const,
// whose negative enters the loss as klGlobal (spread over the dataset): it pulls siblings together.
import { Module } from '@vitae/layers';
import * as t from '@vitae/tensor';

import type { Tensor, Variable } from '@vitae/tensor';

export interface HierarchyOptions {
  /** Sibling pairs of component indices, each pair under one parent. */
  pairs: ReadonlyArray<readonly [number, number]>;
  /** τ, the spread of children around their parent (default 1). */
  scale?: number;
}

export interface MixturePriorOptions {
  nComponents: number;
  nLatent: number;
  /** Learn the mixture weights (default true; false keeps them uniform). */
  learnWeights?: boolean;
  hierarchy?: HierarchyOptions;
  seed: number;
}

export class MixturePrior extends Module {
  readonly nComponents: number;
  readonly nLatent: number;
  readonly means: Variable;
  readonly scaleRaw: Variable;
  readonly logits: Variable;
  readonly hierarchy: { pairs: Array<[number, number]>; scale: number } | null;

  constructor(o: MixturePriorOptions) {
    super();
    this.nComponents = o.nComponents;
    this.nLatent = o.nLatent;
    // Means start spread as N(0, I) draws, scales at 1, weights uniform.
    this.means = this.addParameter('means', t.randomNormal([o.nComponents, o.nLatent], { seed: o.seed }));
    this.scaleRaw = this.addParameter('scale_raw', t.fill([o.nComponents, o.nLatent], Math.log(Math.expm1(1))));
    this.logits = (o.learnWeights ?? true) ? this.addParameter('logits', t.zeros([o.nComponents])) : this.addBuffer('logits', t.zeros([o.nComponents]));
    this.hierarchy = o.hierarchy ? { pairs: o.hierarchy.pairs.map(([a, b]) => [a, b]), scale: o.hierarchy.scale ?? 1 } : null;
  }

  /** σ_k, [K, D]. */
  scales(): Tensor {
    return t.softplus(this.scaleRaw);
  }

  /** log π_k, [K]. */
  logWeights(): Tensor {
    return t.logSoftmax(this.logits);
  }

  /**
   * KL(N(m, s) || N(μ_k, σ_k)) summed over D, for every item and component: [B, K].
   *   Σ_d log σ_kd - log s_d + (s_d² + (m_d - μ_kd)²) / (2 σ_kd²) - ½
   */
  klToComponents(m: Tensor, s: Tensor): Tensor {
    return t.tidy(() => {
      const mu = t.expandDims(this.means, 0); // [1, K, D]
      const sigma = t.expandDims(this.scales(), 0);
      const m3 = t.expandDims(m, 1); // [B, 1, D]
      const s3 = t.expandDims(s, 1);
      const quad = t.div(t.add(t.square(s3), t.square(t.sub(m3, mu))), t.mul(t.square(sigma), 2));
      return t.sum(t.sub(t.add(t.sub(t.log(sigma), t.log(s3)), quad), 0.5), -1);
    });
  }

  /** log N(z; μ_k, σ_k) summed over D: z [..., D] -> [..., K]. */
  componentLogProb(z: Tensor): Tensor {
    return t.tidy(() => {
      const zk = t.expandDims(z, -2); // [..., 1, D]
      const sigma = this.scales();
      const u = t.div(t.sub(zk, this.means), sigma);
      return t.sum(t.neg(t.add(t.add(t.mul(t.square(u), 0.5), t.log(sigma)), 0.5 * Math.log(2 * Math.PI))), -1);
    });
  }

  /** log p(z) = logsumexp_k (log π_k + log N(z; μ_k, σ_k)): [..., D] -> [...]. */
  logProb(z: Tensor): Tensor {
    return t.tidy(() => t.logSumExp(t.add(this.componentLogProb(z), this.logWeights()), -1));
  }

  /**
   * [pairs, K] with +1 at each pair's first child and -1 at its second: D μ holds the
   * differences μ_a - μ_b (a matmul rather than a gather, whose gradient the wasm backend lacks).
   */
  private pairMatrix(weightA: number, weightB: number): Tensor {
    const pairs = this.hierarchy?.pairs ?? [];
    const m = new Float32Array(pairs.length * this.nComponents);
    pairs.forEach(([a, b], p) => {
      m[p * this.nComponents + a] = weightA;
      m[p * this.nComponents + b] = weightB;
    });
    return t.tensor2d(m, [pairs.length, this.nComponents]);
  }

  /** -log p(μ) of the hierarchy (0 without one): Σ_pairs ‖μ_a - μ_b‖² / (4τ²). */
  hierarchyPenalty(): Tensor {
    if (!this.hierarchy || this.hierarchy.pairs.length === 0) return t.scalar(0);
    const { scale } = this.hierarchy;
    return t.tidy(() => t.div(t.sum(t.square(t.matMul(this.pairMatrix(1, -1), this.means))), 4 * scale * scale));
  }

  /** The parent means of the hierarchy, [pairs, D] (the average of each pair's children). */
  parentMeans(): Tensor {
    return t.tidy(() => t.matMul(this.pairMatrix(0.5, 0.5), this.means));
  }

  /** Sets means, scales and weights (e.g. from k-means on latent codes). */
  setComponents(means: Tensor, scales: Tensor, weights: Tensor): void {
    t.tidy(() => {
      this.means.assign(means);
      this.scaleRaw.assign(t.log(t.expm1(scales)));
      this.logits.assign(t.log(weights));
    });
  }
}
