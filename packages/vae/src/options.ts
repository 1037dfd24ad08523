// The VAE's constructor options: defaults and checks, in one place.
import { ACTIVATION_NAMES, INITIALIZERS } from '@vitae/layers';
import { describeValue } from '@vitae/tensor';
import { bernoulliLikelihood, gaussianLikelihood, poissonLikelihood } from './likelihoods.js';

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
  /** 'gaussian' (default, one learned variance per feature), 'bernoulli', 'poisson', or any `likelihood({...})`. */
  likelihood?: 'gaussian' | 'bernoulli' | 'poisson' | Likelihood;
  /** q(z | x) variance: 'perItem' (default) or 'shared' (one learned value per latent dimension). */
  encoderVariance?: 'perItem' | 'shared';
  /** Added to the encoder variance (default 1e-4). */
  varEps?: number;
  /** Weight of the KL term after warm-up, β of the β-VAE (default 1). */
  beta?: number;
  /** Seeds the weights (required: the same seed, the same model). */
  seed: number;
}


/** Numbers as themselves in messages, anything else described. */
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : describeValue(value));

function integer(value: unknown, fn: string, arg: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new RangeError(`${fn}: option '${arg}' must be an integer >= ${min}, got ${shown(value)}`);
  return value;
}

function inRange(value: unknown, fn: string, arg: string, low: number, high: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value >= high) throw new RangeError(`${fn}: option '${arg}' must be ${what}, got ${shown(value)}`);
  return value;
}

function choice<T extends string>(value: unknown, fn: string, arg: string, choices: readonly T[]): T {
  if (!(choices as readonly unknown[]).includes(value)) throw new TypeError(`${fn}: option '${arg}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`);
  return value as T;
}

function flag(value: unknown, fn: string, arg: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${fn}: option '${arg}' must be a boolean, got ${describeValue(value)}`);
  return value;
}

export function resolveLikelihood(fn: string, value: VAEOptions['likelihood']): Likelihood {
  if (value === undefined || value === 'gaussian') return gaussianLikelihood();
  if (value === 'bernoulli') return bernoulliLikelihood();
  if (value === 'poisson') return poissonLikelihood();
  if (typeof value === 'object' && value !== null && typeof value.distribution === 'function') return value;
  throw new TypeError(`${fn}: option 'likelihood' must be 'gaussian', 'bernoulli', 'poisson' or a likelihood({...}), got ${describeValue(value)}`);
}

/** Checked options with defaults, and β. */
export function resolveVAEOptions(fn: string, nInput: number, options: VAEOptions): { module: VAEModuleOptions; beta: number } {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: argument 'options' must be an object with at least { seed }, got ${describeValue(options)}`);
  const seed = options.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`${fn}: option 'seed' must be an integer in [0, 2^53), got ${shown(seed)}`);
  const beta = options.beta ?? 1;
  if (typeof beta !== 'number' || !Number.isFinite(beta) || beta < 0) throw new RangeError(`${fn}: option 'beta' must be a finite number >= 0, got ${shown(beta)}`);
  return {
    beta,
    module: {
      nInput,
      nLatent: integer(options.nLatent ?? 10, fn, 'nLatent', 1),
      nHidden: integer(options.nHidden ?? 128, fn, 'nHidden', 1),
      nLayers: integer(options.nLayers ?? 1, fn, 'nLayers', 0),
      nCatList: [],
      dropoutRate: inRange(options.dropoutRate ?? 0, fn, 'dropoutRate', 0, 1, 'a number in [0, 1)'),
      useBatchNorm: flag(options.useBatchNorm ?? false, fn, 'useBatchNorm'),
      useLayerNorm: flag(options.useLayerNorm ?? false, fn, 'useLayerNorm'),
      activation: choice(options.activation ?? 'relu', fn, 'activation', ACTIVATION_NAMES),
      bias: flag(options.bias ?? true, fn, 'bias'),
      ...(options.init === undefined ? {} : { init: choice(options.init, fn, 'init', INITIALIZERS) }),
      encoderVariance: choice(options.encoderVariance ?? 'perItem', fn, 'encoderVariance', ['perItem', 'shared'] as const),
      varEps: inRange(options.varEps ?? 1e-4, fn, 'varEps', 0, Infinity, 'a finite number >= 0'),
      likelihood: resolveLikelihood(fn, options.likelihood),
      seed,
    },
  };
}
