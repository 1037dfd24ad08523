// The VAE module: pure computation, scvi-tools style.
//
//   inference(x)   q(z | x) = Normal(μ(x), σ(x)) and a reparameterized z
//   generative(z)  p(x | z) from the decoder and the likelihood
//   loss           per item: reconstruction = -log p(x | z) (averaged over the z draws),
//                  klLocal = KL(q(z | x) || N(0, I)) in closed form; klGlobal = 0;
//                  loss = mean over items of reconstruction + klWeight · klLocal
//   ELBO = -(reconstruction + klLocal);  IWAE_K = log mean_k p(x, z_k) / q(z_k | x).
import { Normal } from '@vitae/distributions';
import { GaussianEncoder, Module } from '@vitae/layers';
import { klDivergence } from '@vitae/kl';
import * as t from '@vitae/tensor';
import { Decoder } from './decoder.js';

import type { Distribution } from '@vitae/distributions';
import type { ActivationName, CovariateInput, EncoderOutput, Initializer } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';
import type { Likelihood } from './likelihoods.js';

export interface VAEModuleOptions {
  nInput: number;
  nLatent: number;
  nHidden: number;
  /** Hidden blocks in the encoder and in the decoder; 0 makes both linear. */
  nLayers: number;
  nCatList: readonly number[];
  dropoutRate: number;
  useBatchNorm: boolean;
  useLayerNorm: boolean;
  activation: ActivationName;
  bias: boolean;
  init?: Initializer;
  /** q(z | x) variance: a head ('perItem') or one learned value per latent dimension ('shared'). */
  encoderVariance: 'perItem' | 'shared';
  varEps: number;
  likelihood: Likelihood;
  seed: number;
}

export interface LossParts {
  /** mean over the batch of reconstruction + klWeight · klLocal + klGlobal / nItems. */
  loss: Tensor;
  /** -E_q[log p(x | z)] per item, [B]. */
  reconstruction: Tensor;
  /** KL(q(z | x) || p(z)) per item, [B]. */
  klLocal: Tensor;
  /** KL of global parameters (0 for this model), a scalar. */
  klGlobal: Tensor;
}

export interface ForwardOptions {
  covariates?: readonly CovariateInput[];
  seed: number;
}

export class VAEModule extends Module {
  readonly encoder: GaussianEncoder;
  readonly decoder: Decoder;

  constructor(readonly options: VAEModuleOptions) {
    super();
    const o = options;
    const [encSeed, decSeed] = t.splitSeed(o.seed, 2) as [number, number];
    const shared = { nHidden: o.nHidden, nCatList: o.nCatList, dropoutRate: o.dropoutRate, useBatchNorm: o.useBatchNorm, useLayerNorm: o.useLayerNorm, activation: o.activation, ...(o.init === undefined ? {} : { init: o.init }) };
    this.encoder = this.addModule('encoder', new GaussianEncoder({ ...shared, nIn: o.nInput, nOut: o.nLatent, nLayers: o.nLayers, variance: o.encoderVariance, bias: o.bias, varEps: o.varEps, seed: encSeed }));
    this.decoder = this.addModule('decoder', new Decoder({ ...shared, nLatent: o.nLatent, nOutput: o.nInput, nLayers: o.nLayers, bias: o.bias, likelihood: o.likelihood, seed: decSeed }));
  }

  /** q(z | x) and z: [B, nLatent], or [nSamples, B, nLatent] when nSamples is given. */
  inference(x: Tensor, options: ForwardOptions & { nSamples?: number }): EncoderOutput {
    return this.encoder.forward(x, options);
  }

  /** p(x | z), batch shape [..., B, nInput]. */
  generative(z: Tensor, options: { covariates?: readonly CovariateInput[]; seed?: number } = {}): Distribution {
    const params = this.decoder.forward(z, options);
    return this.options.likelihood.distribution(params);
  }

  /** The prior p(z) = N(0, I), elementwise. */
  prior(): Normal {
    return new Normal(0, 1, { validateArgs: false });
  }

  /** log p(x | z) summed over features: [..., B]. */
  logLikelihood(px: Distribution, x: Tensor): Tensor {
    return t.sum(px.logProb(x), -1);
  }

  /** KL(q(z | x) || N(0, I)) summed over latent dimensions, [B]. */
  klLocal(qz: Normal): Tensor {
    return t.tidy(() => {
      const prior = this.prior();
      const kl = t.sum(klDivergence(qz, prior), -1);
      prior.dispose();
      return kl;
    });
  }

  /** The loss of a batch: one pass of inference, generative and the ELBO terms. */
  loss(x: Tensor, options: ForwardOptions & { klWeight?: number; nSamples?: number }): LossParts {
    return t.tidy(() => {
      const [encSeed, decSeed] = t.splitSeed(options.seed, 2) as [number, number];
      const cov = options.covariates === undefined ? {} : { covariates: options.covariates };
      const inf = this.inference(x, { ...cov, seed: encSeed, ...(options.nSamples === undefined ? {} : { nSamples: options.nSamples }) });
      const px = this.generative(inf.z, { ...cov, seed: decSeed });
      const ll = this.logLikelihood(px, x);
      const reconstruction = t.neg(ll.rank === 2 ? t.mean(ll, 0) : ll);
      const klLocal = this.klLocal(inf.qz);
      const klWeight = options.klWeight ?? 1;
      const loss = t.mean(t.add(reconstruction, t.mul(klLocal, klWeight)));
      return { loss, reconstruction, klLocal, klGlobal: t.scalar(0) };
    });
  }

  /** IWAE_K bound per item, [B] (K = nSamples draws of z). */
  importanceBound(x: Tensor, options: ForwardOptions & { nSamples: number }): Tensor {
    return t.tidy(() => {
      const [encSeed, decSeed] = t.splitSeed(options.seed, 2) as [number, number];
      const cov = options.covariates === undefined ? {} : { covariates: options.covariates };
      const inf = this.inference(x, { ...cov, seed: encSeed, nSamples: options.nSamples });
      const px = this.generative(inf.z, { ...cov, seed: decSeed });
      const prior = this.prior();
      // log w_k = log p(x | z_k) + log p(z_k) - log q(z_k | x), each [K, B].
      const logW = t.sub(t.add(this.logLikelihood(px, x), t.sum(prior.logProb(inf.z), -1)), t.sum(inf.qz.logProb(inf.z), -1));
      return t.sub(t.logSumExp(logW, 0), Math.log(options.nSamples));
    });
  }
}
