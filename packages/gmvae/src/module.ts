// The GMM-VAE module: p(k) p(z | k) p(x | z) with a learnable mixture prior, and
// q(k | x) q(z | x) as the variational posterior.
//
// q(k | x) is the prior's responsibilities γ_k = p(k | z_s) = π_k N(z_s; μ_k, σ_k) / p(z_s) at
// the reparameterized draw z_s (as VaDE). For every draw γ is some categorical distribution, and
// the terms below form a lower bound on log p(x) for ANY categorical q(k | x); so the estimate
// stays a lower bound in expectation. (A separate categorical head on the encoder, the other
// common design, collapsed onto 2-3 of 4 well-separated clusters in our tests after the k-means
// start, with either way of handling k; tying q(k | x) to the prior does not.)
//
// Per item, with KL_k = KL(q(z | x) || N(μ_k, σ_k)) in closed form:
//   reconstruction = -log p(x | z),  z ~ q(z | x) (reparameterized)
//   'marginal' (exact over k):  klLocal = Σ_k q(k|x) KL_k + KL(q(k | x) || π)
//   'gumbel' (relaxed k):       y ~ GumbelSoftmax(q(k | x), τ) (straight-through one-hot when
//                               hard), klLocal = KL(q(z | x) || N(yᵀμ, yᵀσ)) + KL(q(k | x) || π)
//   klGlobal = the hierarchy's -log p(μ) (0 without one)
//   loss = mean(reconstruction + klWeight · klLocal) + klGlobal / nItems
// The 'marginal' ELBO -(reconstruction + klLocal) is an exact lower bound on log p(x); the
// Gumbel form is a relaxation of it (equal to a one-sample estimate when hard).
import { gumbelSoftmax } from '@vitae/inference';
import { Dropout, Module } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { Decoder } from '@vitae/vae';
import { ClusterEncoder } from './encoder.js';
import { MixturePrior } from './prior.js';

import type { Distribution } from '@vitae/distributions';
import type { ActivationName, Initializer } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';
import type { Likelihood } from '@vitae/vae';
import type { ClusterEncoding } from './encoder.js';
import type { HierarchyOptions } from './prior.js';

export interface GMVAEModuleOptions {
  nInput: number;
  nLatent: number;
  nComponents: number;
  nHidden: number;
  nLayers: number;
  dropoutRate: number;
  useBatchNorm: boolean;
  activation: ActivationName;
  init?: Initializer;
  varEps: number;
  likelihood: Likelihood;
  learnWeights: boolean;
  hierarchy?: HierarchyOptions;
  seed: number;
}

export interface GMVAELossOptions {
  seed: number;
  /** How k is handled (default 'marginal'). */
  mode?: 'marginal' | 'gumbel';
  /** Gumbel-softmax temperature τ (mode 'gumbel'). */
  temperature?: number;
  /** Straight-through one-hot samples (mode 'gumbel'). */
  hard?: boolean;
  klWeight?: number;
  /** Dataset size, to spread klGlobal over the items (default 1). */
  nItems?: number;
  /**
   * Denoising: the encoder sees x with each entry zeroed with this probability (the survivors
   * scaled by 1 / (1 - p)), while the reconstruction still scores the clean x (default 0).
   */
  inputDropout?: number;
}

export interface GMVAELossParts {
  loss: Tensor;
  reconstruction: Tensor;
  klLocal: Tensor;
  klGlobal: Tensor;
  /** q(k | x), [B, K]. */
  clusterProbs: Tensor;
}

/** x with each entry zeroed with probability p and the rest scaled by 1 / (1 - p): @vitae/layers' Dropout. */
function corrupt(x: Tensor, p: number, seed: number): Tensor {
  return p === 0 ? x : new Dropout(p).forward(x, { seed });
}

export class GMVAEModule extends Module {
  readonly encoder: ClusterEncoder;
  readonly decoder: Decoder;
  readonly prior: MixturePrior;

  constructor(readonly options: GMVAEModuleOptions) {
    super();
    const o = options;
    const [encSeed, decSeed, priorSeed] = t.splitSeed(o.seed, 3) as [number, number, number];
    const init = o.init === undefined ? {} : { init: o.init };
    this.encoder = this.addModule('encoder', new ClusterEncoder({ ...o, ...init, seed: encSeed }));
    this.decoder = this.addModule('decoder', new Decoder({
      nLatent: o.nLatent, nOutput: o.nInput, nHidden: o.nHidden, nLayers: o.nLayers, nCatList: [], dropoutRate: o.dropoutRate,
      useBatchNorm: o.useBatchNorm, useLayerNorm: false, activation: o.activation, bias: true, ...init, likelihood: o.likelihood, seed: decSeed,
    }));
    this.prior = this.addModule('prior', new MixturePrior({ nComponents: o.nComponents, nLatent: o.nLatent, learnWeights: o.learnWeights, ...(o.hierarchy ? { hierarchy: o.hierarchy } : {}), seed: priorSeed }));
  }

  inference(x: Tensor, seed: number): ClusterEncoding {
    return this.encoder.forward(x, seed);
  }

  /** log q(k | x) = log p(k | z) at z [B, D]: [B, K]. */
  clusterLogProbs(z: Tensor): Tensor {
    return t.tidy(() => t.logSoftmax(t.add(this.prior.componentLogProb(z), this.prior.logWeights())));
  }

  generative(z: Tensor, seed?: number): Distribution {
    return this.options.likelihood.distribution(this.decoder.forward(z, seed === undefined ? {} : { seed }));
  }

  loss(x: Tensor, options: GMVAELossOptions): GMVAELossParts {
    return t.tidy(() => {
      const [encSeed, zSeed, decSeed, kSeed, noiseSeed] = t.splitSeed(options.seed, 5) as [number, number, number, number, number];
      const enc = this.inference(corrupt(x, options.inputDropout ?? 0, noiseSeed), encSeed);
      const { qz } = enc;
      const z = qz.rsample({ seed: zSeed });
      const logQk = this.clusterLogProbs(z);
      const reconstruction = t.neg(t.sum(this.generative(z, decSeed).logProb(x), -1));
      const qk = t.exp(logQk);
      const klCat = t.sum(t.mul(qk, t.sub(logQk, this.prior.logWeights())), -1);
      let klZ: Tensor;
      if ((options.mode ?? 'marginal') === 'marginal') {
        klZ = t.sum(t.mul(qk, this.prior.klToComponents(qz.loc, qz.scale)), -1);
      } else {
        const y = gumbelSoftmax(logQk, { temperature: options.temperature ?? 1, hard: options.hard ?? false, seed: kSeed });
        const mu = t.matMul(y, this.prior.means);
        const sigma = t.matMul(y, this.prior.scales());
        const quad = t.div(t.add(t.square(qz.scale), t.square(t.sub(qz.loc, mu))), t.mul(t.square(sigma), 2));
        klZ = t.sum(t.sub(t.add(t.sub(t.log(sigma), t.log(qz.scale)), quad), 0.5), -1);
      }
      const klLocal = t.add(klZ, klCat);
      const klGlobal = this.prior.hierarchyPenalty();
      const loss = t.add(t.mean(t.add(reconstruction, t.mul(klLocal, options.klWeight ?? 1))), t.div(klGlobal, options.nItems ?? 1));
      return { loss, reconstruction, klLocal, klGlobal, clusterProbs: qk };
    });
  }

  /** IWAE_K per item with the mixture marginal p(z) = Σ_k π_k N(z; μ_k, σ_k): [B]. */
  importanceBound(x: Tensor, options: { seed: number; nSamples: number }): Tensor {
    return t.tidy(() => {
      const [encSeed, zSeed, decSeed] = t.splitSeed(options.seed, 3) as [number, number, number];
      const { qz } = this.inference(x, encSeed);
      const z = qz.rsample([options.nSamples], { seed: zSeed }); // [K, B, D]
      const ll = t.sum(this.generative(z, decSeed).logProb(x), -1);
      const logW = t.sub(t.add(ll, this.prior.logProb(z)), t.sum(qz.logProb(z), -1));
      return t.sub(t.logSumExp(logW, 0), Math.log(options.nSamples));
    });
  }
}
