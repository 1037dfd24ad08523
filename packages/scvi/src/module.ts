// The scVI module: scvi-tools' `scvi.module.VAE` as pure computation.
//
//   inference(x, s)        q(z | x, s) = Normal(μ, σ) from the z encoder on log1p(x); z is a
//                          reparameterized draw (softmax of it for 'ln'); the library ℓ is
//                          log Σ_g x_g (observed) or a draw of q(ℓ | x, s) (learned)
//   generative(z, ℓ, s)    px_scale = softmax(decoder(z, s)), μ = exp(ℓ) · px_scale,
//                          θ = exp(px_r) chosen by the dispersion mode, π = dropout logits;
//                          p(x | z, ℓ) = ZINB(μ, θ, π) | NB(μ, θ) | Poisson(μ);
//                          p(z) = N(0, I); p(ℓ | s) = Normal(m_s, √v_s) (learned library)
//   loss                   per cell: reconstruction = -Σ_g log p(x_g | z, ℓ),
//                          kl_z = KL(q(z | x) ‖ p(z)), kl_l = KL(q(ℓ | x) ‖ p(ℓ | s)) (0 when
//                          observed); loss = mean(reconstruction + klWeight · kl_z + kl_l)
// s is the batch, one-hot; it enters the decoder (every layer with deeplyInjectCovariates) and,
// with encodeCovariates, the encoders.
//
// x may be a dense tensor or sparse CSR rows (a CsrMatrix, e.g. from sparseMinibatch; what
// SCVI.train and the posterior methods pass). Sparse rows are never densified for the encoders:
// log1p is taken of the stored counts only and the first layer multiplies the CSR rows directly
// (csrMatMul), with the batch covariates appended as stored 1s when the encoders take them; the
// observed library is summed from the rows. loss() densifies them once, for the likelihood,
// which reads every count.
import { Normal, handOver } from '@vitae/distributions';
import { klDivergence } from '@vitae/kl';
import { Module, optionChecks } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { DecoderSCVI } from './decoder.js';
import { Encoder } from './encoder.js';
import { categoryIndices, oneHotRows } from './indices.js';
import { countDistribution } from './likelihood.js';
import { inDecoder, inEncoder, resolveModuleOptions } from './options.js';
import { checkSparseCounts, log1pCounts, logLibrarySize } from './sparse-counts.js';

import type { CsrParts } from '@vitae/anndata';
import type { Distribution } from '@vitae/distributions';
import type { CsrInput, Tensor, Variable } from '@vitae/tensor';
import type { IndexInput } from './indices.js';
import type { ResolvedSCVIModuleOptions, SCVIModuleOptions } from './options.js';

/** scvi-tools' Encoder adds this to the variance of q. */
export const VAR_EPS = 1e-4;

/**
 * A minibatch of counts [cells, genes]: a float32 tensor, or sparse CSR rows (@vitae/anndata's
 * CsrMatrix is one), which the encoders use without densifying.
 */
export type CountsInput = Tensor | CsrParts;

export interface InferenceOptions {
  /** Seeds the draws of z (and ℓ) and, in training mode, the dropout masks. */
  seed?: number;
  /** Draws per cell: z becomes [nSamples, B, nLatent] (default: one draw, z [B, nLatent]). */
  nSamples?: number;
  /** No draw: z is the mean of q(z | x) (its softmax for 'ln') and a learned library the mean of q(ℓ | x). */
  giveMean?: boolean;
  /**
   * Standard-normal noise for the draws (z = μ + σ · noise.z, ℓ = μ_ℓ + σ_ℓ · noise.library),
   * shaped like the draws; where given, no seed is needed for that draw.
   */
  noise?: { z?: Tensor; library?: Tensor };
}

export interface InferenceOutputs {
  /** q(z | x), batch shape [B, nLatent]. */
  qz: Normal;
  /** [B, nLatent] or [nSamples, B, nLatent]; on the simplex for 'ln'. */
  z: Tensor;
  /** q(ℓ | x), batch shape [B, 1], when the library is learned; else null. */
  ql: Normal | null;
  /** Log library size: [B, 1] (observed) or a draw of q(ℓ | x) shaped like z's leading axes with 1 last. */
  library: Tensor;
}

export interface GenerativeOptions {
  /** Label of each cell: needed by the 'gene-label' dispersion only. */
  labels?: IndexInput;
  /** Decode every cell as if it came from this batch (batch-corrected expression). */
  transformBatch?: number;
}

export interface GenerativeOutputs {
  /** p(x | z, ℓ): ZeroInflatedNegativeBinomial, NegativeBinomial or Poisson, batch shape [..., B, nInput]. */
  px: Distribution;
  /** px_scale: the decoder's normalized expression, [..., B, nInput], rows summing to 1. */
  pxScale: Tensor;
  /** p(z) = N(0, I), shaped like z. */
  pz: Normal;
  /** p(ℓ | s) = Normal(library_log_means[s], √library_log_vars[s]), [B, 1], when learned; else null. */
  pl: Normal | null;
}

export interface LossOptions extends Omit<InferenceOptions, 'nSamples' | 'giveMean'> {
  /** Weight of the z term (KL warm-up); the library term is never weighted (default 1). */
  klWeight?: number;
  labels?: IndexInput;
}

/** scvi-tools' LossOutput of the VAE, per minibatch. */
export interface SCVILossOutput {
  /** mean over cells of reconstruction + klWeight · klLocal.z + klLocal.l; a scalar. */
  loss: Tensor;
  /** -log p(x | z, ℓ) summed over genes, [B]. */
  reconstruction: Tensor;
  /** Per cell, [B] each: KL of z (summed over latent dimensions) and of the library (0 when observed). */
  klLocal: { z: Tensor; l: Tensor };
  /** No global parameters with a prior: 0. */
  klGlobal: Tensor;
}

export class SCVIModule extends Module {
  readonly options: ResolvedSCVIModuleOptions;
  readonly zEncoder: Encoder;
  /** The library encoder (learned library only). */
  readonly lEncoder: Encoder | null;
  readonly decoder: DecoderSCVI;
  /** log θ: [nInput] ('gene'), [nBatch, nInput] ('gene-batch'), [nLabels, nInput] ('gene-label'); null for 'gene-cell' and Poisson. */
  readonly pxR: Variable | null;
  /** [1, nBatch] buffers of the library prior (learned library only). */
  readonly libraryLogMeans: Variable | null;
  readonly libraryLogVars: Variable | null;

  constructor(options: SCVIModuleOptions) {
    super();
    const o = resolveModuleOptions('SCVIModule', options);
    this.options = o;
    const [zSeed, lSeed, decSeed, rSeed] = t.splitSeed(o.seed, 4) as [number, number, number, number];
    const poisson = o.geneLikelihood === 'poisson';
    if (!poisson && o.dispersion !== 'gene-cell') {
      const rows = o.dispersion === 'gene-batch' ? o.nBatch : o.dispersion === 'gene-label' ? o.nLabels : 0;
      this.pxR = this.addParameter('px_r', t.randomNormal(rows === 0 ? [o.nInput] : [rows, o.nInput], { seed: rSeed }));
    } else {
      this.pxR = null;
    }
    if (o.libraryLogMeans && o.libraryLogVars) {
      this.libraryLogMeans = this.addBuffer('library_log_means', t.tensor(o.libraryLogMeans, [1, o.nBatch]));
      this.libraryLogVars = this.addBuffer('library_log_vars', t.tensor(o.libraryLogVars, [1, o.nBatch]));
    } else {
      this.libraryLogMeans = null;
      this.libraryLogVars = null;
    }
    const encoder = {
      nInput: o.nInput, nCatList: o.encodeCovariates ? [o.nBatch] : [], nHidden: o.nHidden, dropoutRate: o.dropoutRate, injectCovariates: o.deeplyInjectCovariates,
      useBatchNorm: inEncoder(o.useBatchNorm), useLayerNorm: inEncoder(o.useLayerNorm), varEps: VAR_EPS,
    };
    this.zEncoder = this.addModule('z_encoder', new Encoder({ ...encoder, nOutput: o.nLatent, nLayers: o.nLayers, seed: zSeed }));
    this.lEncoder = o.useObservedLibSize ? null : this.addModule('l_encoder', new Encoder({ ...encoder, nOutput: 1, nLayers: 1, seed: lSeed }));
    this.decoder = this.addModule('decoder', new DecoderSCVI({
      nLatent: o.nLatent, nOutput: o.nInput, nBatch: o.nBatch, nLayers: o.nLayers, nHidden: o.nHidden, injectCovariates: o.deeplyInjectCovariates,
      useBatchNorm: inDecoder(o.useBatchNorm), useLayerNorm: inDecoder(o.useLayerNorm),
      cellDispersion: !poisson && o.dispersion === 'gene-cell', zeroInflation: o.geneLikelihood === 'zinb', seed: decSeed,
    }));
  }

  /** q(z | x), z and the library for counts x [B, nInput] (dense or CSR) of cells in batches `batchIndex`. */
  inference(x: CountsInput, batchIndex: IndexInput | undefined, options: InferenceOptions = {}): InferenceOutputs {
    this.checkAlive('inference');
    const fn = 'SCVIModule.inference';
    const counts = this.checkCounts(fn, x);
    const batch = categoryIndices(fn, 'batchIndex', batchIndex, cellsOf(counts), this.options.nBatch, 'nBatch');
    return this.infer(fn, counts, batch, options);
  }

  /** p(x | z, ℓ), p(z) and p(ℓ | s) for z [B, nLatent] or [S, B, nLatent] and the log library ℓ. */
  generative(z: Tensor, library: Tensor, batchIndex: IndexInput | undefined, options: GenerativeOptions = {}): GenerativeOutputs {
    this.checkAlive('generative');
    const fn = 'SCVIModule.generative';
    const o = this.options;
    if (!(z instanceof t.Tensor) || z.isDisposed || !(z.rank === 2 || z.rank === 3) || z.shape[z.rank - 1] !== o.nLatent) {
      throw new RangeError(`${fn}: argument 'z' must have shape [batch, ${o.nLatent}] or [samples, batch, ${o.nLatent}] (nLatent = ${o.nLatent}), got ${t.describeValue(z)}`);
    }
    const cells = z.shape[z.rank - 2] as number;
    if (!(library instanceof t.Tensor) || library.isDisposed || library.shape[library.rank - 1] !== 1 || library.shape[library.rank - 2] !== cells) {
      throw new RangeError(`${fn}: argument 'library' must be the log library size, shape [${cells}, 1] or [samples, ${cells}, 1], got ${t.describeValue(library)}`);
    }
    const opts = checkObject(fn, options);
    let batch: Int32Array;
    if (opts.transformBatch !== undefined) {
      const b = opts.transformBatch;
      if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b >= o.nBatch) {
        throw new RangeError(`${fn}: option 'transformBatch' must be an integer in [0, ${o.nBatch}) (nBatch = ${o.nBatch}), got ${t.describeValue(b)}`);
      }
      batch = new Int32Array(cells).fill(b);
    } else {
      batch = categoryIndices(fn, 'batchIndex', batchIndex, cells, o.nBatch, 'nBatch');
    }
    return this.generate(z, library, batch, this.labelsFor(fn, opts.labels, cells));
  }

  /** The loss of a minibatch x [B, nInput] (dense or CSR): one pass of inference and generative, scvi-tools' LossOutput. */
  loss(x: CountsInput, batchIndex: IndexInput | undefined, options: LossOptions = {}): SCVILossOutput {
    this.checkAlive('loss');
    const fn = 'SCVIModule.loss';
    const counts = this.checkCounts(fn, x);
    const cells = cellsOf(counts);
    const batch = categoryIndices(fn, 'batchIndex', batchIndex, cells, this.options.nBatch, 'nBatch');
    const opts = checkObject(fn, options);
    const klWeight = optionChecks(fn).number(opts.klWeight ?? 1, 'klWeight', 0, Infinity);
    const labels = this.labelsFor(fn, opts.labels, cells);
    return t.tidy(() => {
      const inf = this.infer(fn, counts, batch, { ...(opts.seed === undefined ? {} : { seed: opts.seed }), ...(opts.noise === undefined ? {} : { noise: opts.noise }) });
      const gen = this.generate(inf.z, inf.library, batch, labels);
      // the likelihood reads every count: sparse rows are densified here, once
      const reconstruction = t.neg(t.sum(gen.px.logProb(counts instanceof t.Tensor ? counts : t.csrToDense(counts)), -1));
      const klZ = t.sum(klDivergence(inf.qz, gen.pz), -1);
      const klL = inf.ql && gen.pl ? t.sum(klDivergence(inf.ql, gen.pl), -1) : t.zerosLike(klZ);
      const loss = t.mean(t.add(t.add(reconstruction, t.mul(klZ, klWeight)), klL));
      return { loss, reconstruction, klLocal: { z: klZ, l: klL }, klGlobal: t.scalar(0) };
    });
  }

  /** The inverse dispersion θ for decoder output / batch / labels ([G] or [B, G]), or null for Poisson. */
  private theta(logTheta: Tensor | null, batch: Int32Array, labels: Int32Array | null): Tensor | null {
    const o = this.options;
    if (o.geneLikelihood === 'poisson') return null;
    switch (o.dispersion) {
      case 'gene':
        return t.exp(this.pxR as Variable);
      case 'gene-cell':
        return t.exp(logTheta as Tensor);
      case 'gene-batch':
      case 'gene-label': {
        // A one-hot matmul selects each cell's row of px_r: tfjs-wasm has no gradient for gather.
        const hot = o.dispersion === 'gene-batch' ? oneHotRows(batch, o.nBatch) : oneHotRows(labels as Int32Array, o.nLabels);
        return t.exp(t.matMul(hot, this.pxR as Variable));
      }
    }
  }

  private infer(fn: string, x: Tensor | CsrParts, batch: Int32Array, options: InferenceOptions): InferenceOutputs {
    const o = this.options;
    const opts = checkObject(fn, options);
    const nSamples = opts.nSamples === undefined ? undefined : optionChecks(fn).integer(opts.nSamples, 'nSamples', 1);
    const giveMean = opts.giveMean === undefined ? false : optionChecks(fn).flag(opts.giveMean, 'giveMean');
    const noise = opts.noise === undefined ? {} : checkObject(fn, opts.noise, 'noise');
    const cells = batch.length;
    const sampleShape = nSamples === undefined ? [] : [nSamples];
    const learned = this.lEncoder !== null;
    const dropout = this.training && o.dropoutRate > 0;
    const draws = !giveMean && (noise.z === undefined || (learned && noise.library === undefined));
    if ((dropout || draws) && opts.seed === undefined) {
      const why = dropout ? `in training mode (dropout ${o.dropoutRate})` : 'to draw z (pass giveMean or noise otherwise)';
      throw new TypeError(`${fn}: option 'seed' is required ${why}, got undefined`);
    }
    const seed = opts.seed === undefined ? undefined : optionChecks(fn).integer(opts.seed, 'seed', 0);
    const [zTrunk, zDraw, lTrunk, lDraw] = seed === undefined ? [] : t.splitSeed(seed, 4);
    const shapeOf = (d: number) => [...sampleShape, cells, d];
    if (!giveMean) {
      checkNoise(fn, 'noise.z', noise.z, shapeOf(o.nLatent));
      if (learned) checkNoise(fn, 'noise.library', noise.library, shapeOf(1));
    }
    // log1p(0) = 0: of sparse rows, only the stored counts are transformed
    const encoderInput: Tensor | CsrInput = x instanceof t.Tensor ? (o.logVariational ? t.log1p(x) : x) : o.logVariational ? { ...x, data: log1pCounts(x.data) } : x;
    try {
      const qz = this.zEncoder.forward(encoderInput, batch, zTrunk);
      const draw = giveMean ? null : drawFrom(qz, noise.z, zDraw, sampleShape);
      const z = t.tidy(() => {
        const u = draw ?? qz.loc;
        return o.latentDistribution === 'ln' ? t.softmax(u, -1) : t.clone(u);
      });
      draw?.dispose();
      if (!this.lEncoder) {
        const library = x instanceof t.Tensor ? t.tidy(() => t.log(t.sum(x, 1, true))) : logLibrarySize(x);
        return { qz, z, ql: null, library };
      }
      const ql = this.lEncoder.forward(encoderInput, batch, lTrunk);
      const library = giveMean ? t.clone(ql.loc) : drawFrom(ql, noise.library, lDraw, sampleShape);
      return { qz, z, ql, library };
    } finally {
      if (encoderInput !== x && encoderInput instanceof t.Tensor) encoderInput.dispose();
    }
  }

  private generate(z: Tensor, library: Tensor, batch: Int32Array, labels: Int32Array | null): GenerativeOutputs {
    const o = this.options;
    const [mu, theta, ziLogits, pxScale] = t.tidy(() => {
      const out = this.decoder.forward(z, library, batch);
      const theta = this.theta(out.logTheta, batch, labels);
      return [out.rate, theta ?? t.scalar(0), out.dropout ?? t.scalar(0), out.scale];
    }) as [Tensor, Tensor, Tensor, Tensor];
    const px = countDistribution(o.geneLikelihood, {
      mu,
      theta: o.geneLikelihood === 'poisson' ? (theta.dispose(), null) : theta,
      ziLogits: o.geneLikelihood === 'zinb' ? ziLogits : (ziLogits.dispose(), null),
    });
    const [zeros, ones] = [t.zerosLike(z), t.onesLike(z)];
    const pz = handOver(new Normal(zeros, ones, { validateArgs: false }), [zeros, ones]);
    let pl: Normal | null = null;
    if (this.libraryLogMeans && this.libraryLogVars) {
      const means = this.libraryLogMeans;
      const vars = this.libraryLogVars;
      const [loc, scale] = t.tidy(() => {
        const hot = oneHotRows(batch, o.nBatch);
        return [t.sum(t.mul(hot, means), -1, true), t.sqrt(t.sum(t.mul(hot, vars), -1, true))];
      });
      pl = handOver(new Normal(loc as Tensor, scale as Tensor, { validateArgs: false }), [loc as Tensor, scale as Tensor]);
    }
    return { px, pxScale, pz, pl };
  }

  private labelsFor(fn: string, labels: IndexInput | undefined, cells: number): Int32Array | null {
    if (this.options.dispersion !== 'gene-label' || this.options.geneLikelihood === 'poisson') return null;
    return categoryIndices(fn, 'labels', labels, cells, this.options.nLabels, 'nLabels');
  }

  /** x must be a float32 [B, nInput] tensor or CSR rows [B, nInput] of counts (checked, duplicates merged). */
  private checkCounts(fn: string, x: CountsInput): Tensor | CsrParts {
    const n = this.options.nInput;
    if (typeof x === 'object' && x !== null && !(x instanceof t.Tensor) && 'indptr' in x) return checkSparseCounts(fn, x, n);
    if (!(x instanceof t.Tensor) || x.isDisposed || x.rank !== 2 || x.shape[1] !== n || x.dtype !== 'float32' || x.shape[0] === 0) {
      throw new RangeError(`${fn}: argument 'x' must be a float32 Tensor of counts with shape [cells, ${n}] (nInput = ${n} genes) or a CSR matrix of them, got ${t.describeValue(x)}`);
    }
    return x;
  }
}

function cellsOf(x: Tensor | CsrParts): number {
  return x instanceof t.Tensor ? (x.shape[0] as number) : x.nRows;
}

function checkObject<T extends object>(fn: string, value: T, arg = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${fn}: argument '${arg}' must be an object, got ${t.describeValue(value)}`);
  return value;
}

function checkNoise(fn: string, arg: string, noise: Tensor | undefined, shape: number[]): void {
  if (noise === undefined) return;
  const ok = noise instanceof t.Tensor && !noise.isDisposed && noise.rank === shape.length && noise.shape.every((d, i) => d === shape[i]);
  if (!ok) throw new RangeError(`${fn}: option '${arg}' must be a Tensor of shape [${shape.join(', ')}], got ${t.describeValue(noise)}`);
}

/** A reparameterized draw of q: loc + scale · noise, or rsample with a seed. */
function drawFrom(q: Normal, noise: Tensor | undefined, seed: number | undefined, sampleShape: number[]): Tensor {
  if (noise !== undefined) return t.tidy(() => t.add(q.loc, t.mul(q.scale, noise)));
  return q.rsample(sampleShape, { seed: seed as number });
}
