// The VAE's constructor options: defaults and checks, in one place.
import { ACTIVATION_NAMES, INITIALIZERS, optionChecks } from '@vitae/layers';
import { describeValue } from '@vitae/tensor';
import { bernoulliLikelihood, continuousBernoulliLikelihood, gaussianLikelihood, poissonLikelihood } from './likelihoods.js';

/** The likelihoods named by a string option. */
export type BuiltinLikelihoodName = 'gaussian' | 'bernoulli' | 'continuous-bernoulli' | 'poisson';

import type { ActivationName, Initializer } from '@vitae/layers';
import type { Likelihood } from './likelihoods.js';
import type { VAEModuleOptions } from './module.js';

export interface VAEOptions {
  /** Latent dimension (default 10). */
  nLatent?: number;
  /** Hidden width (default 128). */
  nHidden?: number;
  /** Hidden blocks in the encoder and the decoder (default 1; 0: linear encoder and decoder). */
  nLayers?: number;
  /** Dropout after each hidden block (default 0). */
  dropoutRate?: number;
  useBatchNorm?: boolean;
  useLayerNorm?: boolean;
  activation?: ActivationName;
  /** Biases in every linear layer (default true). */
  bias?: boolean;
  init?: Initializer;
  /**
   * 'gaussian' (default, one learned variance per feature), 'bernoulli' (data in {0, 1}),
   * 'continuous-bernoulli' (data in [0, 1]), 'poisson', or any `likelihood({...})`.
   */
  likelihood?: BuiltinLikelihoodName | Likelihood;
  /** q(z | x) variance: 'perItem' (default) or 'shared' (one learned value per latent dimension). */
  encoderVariance?: 'perItem' | 'shared';
  /** Added to the encoder variance (default 1e-4). */
  varEps?: number;
  /** Weight of the KL term after warm-up, β of the β-VAE (default 1). */
  beta?: number;
  /** Seeds the weights (required: the same seed, the same model). */
  seed: number;
}


export function resolveLikelihood(fn: string, value: VAEOptions['likelihood']): Likelihood {
  if (value === undefined || value === 'gaussian') return gaussianLikelihood();
  if (value === 'bernoulli') return bernoulliLikelihood();
  if (value === 'continuous-bernoulli') return continuousBernoulliLikelihood();
  if (value === 'poisson') return poissonLikelihood();
  if (typeof value === 'object' && value !== null && typeof value.distribution === 'function') return value;
  throw new TypeError(`${fn}: option 'likelihood' must be 'gaussian', 'bernoulli', 'continuous-bernoulli', 'poisson' or a likelihood({...}), got ${describeValue(value)}`);
}

/** Checked options with defaults, and β. */
export function resolveVAEOptions(fn: string, nInput: number, options: VAEOptions): { module: VAEModuleOptions; beta: number } {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: argument 'options' must be an object with at least { seed }, got ${describeValue(options)}`);
  const check = optionChecks(fn);
  const seed = check.integer(options.seed, 'seed', 0);
  const beta = check.number(options.beta ?? 1, 'beta', 0, Infinity);
  return {
    beta,
    module: {
      nInput,
      nLatent: check.integer(options.nLatent ?? 10, 'nLatent', 1),
      nHidden: check.integer(options.nHidden ?? 128, 'nHidden', 1),
      nLayers: check.integer(options.nLayers ?? 1, 'nLayers', 0),
      nCatList: [],
      dropoutRate: check.number(options.dropoutRate ?? 0, 'dropoutRate', 0, 1),
      useBatchNorm: check.flag(options.useBatchNorm ?? false, 'useBatchNorm'),
      useLayerNorm: check.flag(options.useLayerNorm ?? false, 'useLayerNorm'),
      activation: check.choice(options.activation ?? 'relu', 'activation', ACTIVATION_NAMES),
      bias: check.flag(options.bias ?? true, 'bias'),
      ...(options.init === undefined ? {} : { init: check.choice(options.init, 'init', INITIALIZERS) }),
      encoderVariance: check.choice(options.encoderVariance ?? 'perItem', 'encoderVariance', ['perItem', 'shared'] as const),
      varEps: check.number(options.varEps ?? 1e-4, 'varEps', 0, Infinity),
      likelihood: resolveLikelihood(fn, options.likelihood),
      seed,
    },
  };
}
