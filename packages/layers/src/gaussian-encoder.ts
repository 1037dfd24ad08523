// Encoder heads that output a distribution: scvi-tools' Encoder.
//
//   h = MLP(x)                               (the trunk: nLayers blocks, covariates injected)
//   q_m = Linear(h),  q_v = varActivation(Linear(h)) + varEps   (exp by default, or softplus)
//   q(z | x) = Normal(q_m, √q_v);   z = g(ε-sample),  g = identity ('normal') or softmax ('ln')
//
// nLayers = 0 drops the trunk: the heads are linear in [x, covariates] (a linear encoder).
// variance = 'shared' replaces the variance head by one learned variance per latent dimension,
// the same for every item (the constant-variance encoder of the linear-VAE derivations).
//
// The optional library-size head is scvi-tools' l_encoder: a separate one-block trunk with its
// own mean / variance heads giving q(log l | x) = Normal(ℓ_m, √ℓ_v), shape [B, 1].
import { Normal, handOver } from '@vitae/distributions';
import { add, broadcastTo, describeValue, exp, fill, softmax, softplus, splitSeed, sqrt, tidy } from '@vitae/tensor';
import { appendCovariates, covariateWidths, oneHotCovariates } from './covariates.js';
import { Linear } from './linear.js';
import { MLP } from './mlp.js';
import { Module } from './module.js';
import { boolean, integerAtLeast, oneOf, optionsObject, positive, seedValue } from './validate.js';

import type { Tensor, Variable } from '@vitae/tensor';
import type { ActivationName } from './activation.js';
import type { CovariateInput } from './covariates.js';
import type { Initializer } from './init.js';

export interface GaussianEncoderOptions {
  nIn: number;
  /** Latent dimension. */
  nOut: number;
  nHidden?: number;
  /** Trunk blocks (default 1; 0: linear heads on the input). */
  nLayers?: number;
  nCatList?: readonly number[];
  injectCovariates?: boolean;
  dropoutRate?: number;
  useBatchNorm?: boolean;
  useLayerNorm?: boolean;
  activation?: ActivationName;
  init?: Initializer;
  /** How the variance head's output becomes a variance (default 'exp', as scvi-tools). */
  varActivation?: 'exp' | 'softplus';
  /** 'perItem' (default): a variance head; 'shared': one learned variance per latent dimension. */
  variance?: 'perItem' | 'shared';
  /** Bias in the heads (default true). */
  bias?: boolean;
  /** Added to the variance (default 1e-4, as scvi-tools). */
  varEps?: number;
  /** 'normal' (default): z is the Gaussian sample; 'ln': z = softmax(sample) (logistic normal). */
  distribution?: 'normal' | 'ln';
  /** Add the library-size head (default false). */
  library?: boolean;
  seed: number;
}

export interface EncodeOptions {
  covariates?: readonly CovariateInput[];
  /** Draws of z per item (default 1: z is [B, nOut]; otherwise [nSamples, B, nOut]). */
  nSamples?: number;
  seed: number;
}

export interface EncoderOutput {
  /** q(z | x), batch shape [B, nOut]; owns its parameters (dispose it when done outside tidy). */
  qz: Normal;
  /** The reparameterized sample, after the 'ln' softmax if chosen. */
  z: Tensor;
  /** q(log library | x), batch shape [B, 1], with the library head. */
  ql?: Normal;
  /** Its reparameterized sample (log library size). */
  library?: Tensor;
}

/** Mean and variance heads on one trunk. */
class GaussianHead extends Module {
  readonly trunk: MLP | null;
  readonly meanEncoder: Linear;
  readonly varEncoder: Linear | null;
  /** The raw shared variance, [nOut] (variance = 'shared'). */
  readonly varRaw: Variable | null;
  private readonly nCatList: readonly number[];

  constructor(o: GaussianEncoderOptions & { nLayers: number }, private readonly varActivation: 'exp' | 'softplus', private readonly varEps: number) {
    super();
    const [trunkSeed, meanSeed, varSeed] = splitSeed(o.seed, 3) as [number, number, number];
    const nHidden = o.nHidden ?? 128;
    this.nCatList = o.nCatList ?? [];
    const covWidth = covariateWidths(this.nCatList).reduce((a, b) => a + b, 0);
    const headIn = o.nLayers === 0 ? o.nIn + covWidth : nHidden;
    this.trunk = o.nLayers === 0 ? null : this.addModule(
      'trunk',
      new MLP({
        nIn: o.nIn,
        nOut: nHidden,
        nHidden,
        nLayers: o.nLayers,
        ...(o.nCatList === undefined ? {} : { nCatList: o.nCatList }),
        ...(o.injectCovariates === undefined ? {} : { injectCovariates: o.injectCovariates }),
        ...(o.dropoutRate === undefined ? {} : { dropoutRate: o.dropoutRate }),
        ...(o.useBatchNorm === undefined ? {} : { useBatchNorm: o.useBatchNorm }),
        ...(o.useLayerNorm === undefined ? {} : { useLayerNorm: o.useLayerNorm }),
        ...(o.activation === undefined ? {} : { activation: o.activation }),
        ...(o.init === undefined ? {} : { init: o.init }),
        seed: trunkSeed,
      }),
    );
    const linear = { ...(o.init === undefined ? {} : { init: o.init }), bias: o.bias ?? true };
    this.meanEncoder = this.addModule('meanEncoder', new Linear(headIn, o.nOut, { ...linear, seed: meanSeed }));
    const shared = o.variance === 'shared';
    this.varEncoder = shared ? null : this.addModule('varEncoder', new Linear(headIn, o.nOut, { ...linear, seed: varSeed }));
    // Shared variance starts at 1: the raw value whose activation is 1 - varEps.
    const start = varActivation === 'exp' ? Math.log(1 - varEps) : Math.log(Math.expm1(1 - varEps));
    this.varRaw = shared ? this.addParameter('var_raw', fill([o.nOut], start)) : null;
  }

  /** q(· | x) with its loc / scale handed to the distribution. */
  forward(x: Tensor, covariates: readonly CovariateInput[] | undefined, seed: number): Normal {
    const [loc, scale] = tidy(() => {
      const h = this.trunk
        ? this.trunk.forward(x, { ...(covariates === undefined ? {} : { covariates }), seed })
        : appendCovariates(x, oneHotCovariates('GaussianEncoder.forward', this.nCatList, covariates, x.shape[0] as number));
      const raw = this.varEncoder ? this.varEncoder.forward(h) : broadcastTo(this.varRaw as Variable, [x.shape[0] as number, this.meanEncoder.outFeatures]);
      const variance = add(this.varActivation === 'exp' ? exp(raw) : softplus(raw), this.varEps);
      return [this.meanEncoder.forward(h), sqrt(variance)];
    });
    return handOver(new Normal(loc, scale, { validateArgs: false }), [loc, scale]);
  }
}

export class GaussianEncoder extends Module {
  readonly nIn: number;
  readonly nOut: number;
  readonly distribution: 'normal' | 'ln';
  readonly zHead: GaussianHead;
  readonly libraryHead: GaussianHead | null;

  constructor(options: GaussianEncoderOptions) {
    super();
    const fn = 'GaussianEncoder';
    const o = optionsObject(options, fn);
    this.nIn = integerAtLeast(o.nIn, fn, 'nIn', 1);
    this.nOut = integerAtLeast(o.nOut, fn, 'nOut', 1);
    const nLayers = integerAtLeast(o.nLayers ?? 1, fn, 'nLayers', 0);
    oneOf(o.variance ?? 'perItem', fn, 'variance', ['perItem', 'shared'] as const);
    boolean(o.bias ?? true, fn, 'bias');
    const varActivation = oneOf(o.varActivation ?? 'exp', fn, 'varActivation', ['exp', 'softplus'] as const);
    const varEps = o.varEps === 0 ? 0 : positive(o.varEps ?? 1e-4, fn, 'varEps');
    this.distribution = oneOf(o.distribution ?? 'normal', fn, 'distribution', ['normal', 'ln'] as const);
    const library = boolean(o.library ?? false, fn, 'library');
    const [zSeed, librarySeed] = splitSeed(seedValue(o.seed, fn), 2) as [number, number];
    const full = { ...(o as GaussianEncoderOptions), nLayers };
    this.zHead = this.addModule('z', new GaussianHead({ ...full, seed: zSeed }, varActivation, varEps));
    this.libraryHead = library ? this.addModule('library', new GaussianHead({ ...full, nOut: 1, nLayers: 1, variance: 'perItem', seed: librarySeed }, varActivation, varEps)) : null;
  }

  forward(x: Tensor, options: EncodeOptions): EncoderOutput {
    this.checkAlive('forward');
    const fn = 'GaussianEncoder.forward';
    if (!(x?.rank === 2 && x.shape[1] === this.nIn)) throw new RangeError(`${fn}: argument 'x' must have shape [batch, ${this.nIn}], got ${describeValue(x)}`);
    const o = optionsObject(options, fn);
    const nSamples = integerAtLeast(o.nSamples ?? 1, fn, 'nSamples', 1);
    const [zTrunk, zDraw, lTrunk, lDraw] = splitSeed(seedValue(o.seed, fn), 4) as [number, number, number, number];
    const qz = this.zHead.forward(x, o.covariates, zTrunk);
    const sampleShape = o.nSamples === undefined ? [] : [nSamples];
    const draw = qz.rsample(sampleShape, { seed: zDraw });
    const z = this.distribution === 'ln' ? tidy(() => softmax(draw, -1)) : draw;
    if (z !== draw) draw.dispose();
    if (!this.libraryHead) return { qz, z };
    const ql = this.libraryHead.forward(x, o.covariates, lTrunk);
    return { qz, z, ql, library: ql.rsample(sampleShape, { seed: lDraw }) };
  }
}
