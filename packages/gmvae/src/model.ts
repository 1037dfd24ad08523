// GMVAE: the user API around GMVAEModule — build from data, train (exact or Gumbel-softmax k,
// with temperature annealing), initialise the prior from k-means on the latent codes, cluster
// assignments, ELBO / IWAE, encode / decode / sample, save / load.
import { linearTemperature } from '@vitae/inference';
import { CONFIG_FILE, loadSafetensorsInto, mapRowBatches, moduleToSafetensors, readModelFiles, toDenseMatrix, writeModelFiles } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { builtinLikelihood, meanOverRows, trainModule } from '@vitae/vae';
import { gaussianMixture } from './cluster/gaussian-mixture.js';
import { kmeans } from './cluster/kmeans.js';
import { GMVAEModule } from './module.js';
import { resolveGMVAEOptions } from './options.js';

import type { EpochRecord, FitResult, Schedule } from '@vitae/inference';
import type { DenseMatrix, MatrixInput } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';
import type { BuiltinLikelihood, EvaluateOptions, Likelihood, TrainOptions } from '@vitae/vae';
import type { GMVAEOptions } from './options.js';

export interface GMVAETrainOptions extends TrainOptions {
  /**
   * Gumbel-softmax temperature as a function of the epoch (categorical 'gumbel'); default a
   * linear anneal from 1 to 0.5 over the epochs of this call.
   */
  temperature?: Schedule;
  /**
   * Denoising training: the probability of zeroing each input entry the encoder sees (the
   * reconstruction scores the clean data); in [0, 1), default 0. DEC / VaDE pretrain this way.
   */
  inputDropout?: number;
}

export class GMVAE {
  readonly module: GMVAEModule;
  readonly nInput: number;
  readonly categorical: 'marginal' | 'gumbel';
  readonly hard: boolean;
  readonly history: EpochRecord[] = [];
  private readonly data: DenseMatrix;
  private readonly userOptions: GMVAEOptions;
  private trainCalls = 0;

  constructor(data: MatrixInput, options: GMVAEOptions) {
    const fn = 'GMVAE';
    this.data = toDenseMatrix(data, fn, 'data');
    const r = resolveGMVAEOptions(fn, this.data.nCols, options);
    r.module.likelihood.checkData?.(this.data.values, fn);
    this.nInput = this.data.nCols;
    this.categorical = r.categorical;
    this.hard = r.hard;
    this.userOptions = options;
    this.module = new GMVAEModule(r.module);
    this.module.eval();
  }

  get nComponents(): number {
    return this.module.options.nComponents;
  }

  get nLatent(): number {
    return this.module.options.nLatent;
  }

  get likelihood(): Likelihood {
    return this.module.options.likelihood;
  }

  async train(options: GMVAETrainOptions = {}): Promise<FitResult> {
    const seed = t.splitSeed(this.module.options.seed, this.trainCalls + 2)[this.trainCalls + 1] as number;
    this.trainCalls += 1;
    const epochs = options.epochs ?? 100;
    const temperature = options.temperature ?? linearTemperature({ start: 1, end: 0.5, steps: Math.max(1, epochs - 1) });
    const nItems = this.data.nRows;
    const inputDropout = options.inputDropout ?? 0;
    if (!(typeof inputDropout === 'number' && inputDropout >= 0 && inputDropout < 1)) throw new RangeError(`GMVAE.train: option 'inputDropout' must be a number in [0, 1), got ${typeof inputDropout === 'number' ? String(inputDropout) : t.describeValue(inputDropout)}`);
    const result = await trainModule({
      fn: 'GMVAE.train',
      module: this.module,
      data: this.data,
      options,
      seed,
      batchLoss: (x, ctx) => {
        const tau = temperature(ctx.epoch);
        // Validation always scores the exact (marginal) ELBO.
        const mode = ctx.training ? this.categorical : 'marginal';
        const parts = this.module.loss(x, { seed: ctx.seed, klWeight: ctx.klWeight, mode, temperature: tau, hard: this.hard, nItems, inputDropout: ctx.training ? inputDropout : 0 });
        return { loss: parts.loss, metrics: { reconstruction: t.mean(parts.reconstruction), klLocal: t.mean(parts.klLocal), klGlobal: parts.klGlobal, temperature: tau } };
      },
    });
    this.history.push(...result.history);
    return result;
  }

  private rowsOf(fn: string, data: MatrixInput | undefined): DenseMatrix {
    return data === undefined ? this.data : toDenseMatrix(data, fn, 'data', { nCols: this.nInput });
  }

  /**
   * Sets the prior from k-means (K clusters) on the posterior means of the data: μ_k the
   * centers, σ_k the within-cluster standard deviations (at least 0.05), π_k the cluster
   * shares. The usual start for a mixture prior after a few epochs of training (VaDE).
   */
  initializePriorFromKMeans(options: { seed: number; nInit?: number }): void {
    const latent = this.getLatent();
    const k = this.nComponents;
    const d = this.nLatent;
    const result = kmeans(latent.values, latent.nRows, d, k, { seed: options.seed, nInit: options.nInit ?? 4 });
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < latent.nRows; i++) {
      const c = result.labels[i] as number;
      counts[c] = (counts[c] as number) + 1;
      for (let j = 0; j < d; j++) {
        const diff = (latent.values[i * d + j] as number) - (result.centers[c * d + j] as number);
        sums[c * d + j] = (sums[c * d + j] as number) + diff * diff;
      }
    }
    const scales = Float32Array.from(sums, (s, idx) => Math.max(0.05, Math.sqrt(s / Math.max(1, counts[Math.floor(idx / d)] as number))));
    const weights = Float32Array.from(counts, (c) => (c + 1) / (latent.nRows + k));
    t.tidy(() => this.module.prior.setComponents(t.tensor2d(Float32Array.from(result.centers), [k, d]), t.tensor2d(scales, [k, d]), t.tensor1d(weights)));
  }

  /**
   * Sets the prior from a diagonal Gaussian mixture fitted by EM (started from k-means) on the
   * posterior means of the data: μ_k, σ_k (at least 0.05) and π_k are the mixture's. VaDE's
   * start; it matches the prior's form (per-component spreads and weights) where k-means
   * assumes equal spherical clusters.
   */
  initializePriorFromGaussianMixture(options: { seed: number; nInit?: number; maxIter?: number }): void {
    const latent = this.getLatent();
    const k = this.nComponents;
    const fit = gaussianMixture(latent.values, latent.nRows, this.nLatent, k, options);
    const scales = Float32Array.from(fit.variances, (v) => Math.max(0.05, Math.sqrt(v)));
    t.tidy(() => this.module.prior.setComponents(t.tensor2d(Float32Array.from(fit.means), [k, this.nLatent]), t.tensor2d(scales, [k, this.nLatent]), t.tensor1d(Float32Array.from(fit.weights))));
  }

  /** q(k | x) for each row, [N, K] as a DenseMatrix. */
  getClusterProbabilities(options: { data?: MatrixInput } = {}): DenseMatrix {
    const m = this.rowsOf('GMVAE.getClusterProbabilities', options.data);
    // Eval mode, at the posterior mean of z.
    return mapRowBatches(m, 1024, (x) => t.exp(this.module.clusterLogProbs(this.module.inference(x, 0).qz.loc)));
  }

  /** The most probable component under q(k | x) for each row. */
  predictClusters(options: { data?: MatrixInput } = {}): Int32Array {
    const p = this.getClusterProbabilities(options);
    const k = this.nComponents;
    return Int32Array.from({ length: p.nRows }, (_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if ((p.values[i * k + c] as number) > (p.values[i * k + best] as number)) best = c;
      return best;
    });
  }

  /** Mean exact ELBO per item (k marginalised), in eval mode. */
  getElbo(options: EvaluateOptions = {}): number {
    const m = this.rowsOf('GMVAE.getElbo', options.data);
    const seeds = new t.SeedSequence(options.seed ?? 0);
    return meanOverRows(m, options.batchSize ?? 512, (x) => {
      const parts = this.module.loss(x, { seed: seeds.next(), mode: 'marginal' });
      return t.neg(t.add(parts.reconstruction, parts.klLocal));
    });
  }

  /** Mean IWAE bound on log p(x) per item (default 100 samples). */
  getMarginalLL(options: EvaluateOptions = {}): number {
    const m = this.rowsOf('GMVAE.getMarginalLL', options.data);
    const nSamples = options.nSamples ?? 100;
    if (!Number.isSafeInteger(nSamples) || nSamples < 1) throw new RangeError(`GMVAE.getMarginalLL: option 'nSamples' must be an integer >= 1, got ${t.describeValue(nSamples)}`);
    const seeds = new t.SeedSequence(options.seed ?? 0);
    return meanOverRows(m, options.batchSize ?? Math.max(1, Math.floor(25600 / nSamples)), (x) => this.module.importanceBound(x, { seed: seeds.next(), nSamples }));
  }

  /** Posterior means of z. Caller owns the tensor. */
  encode(data: MatrixInput): Tensor {
    const z = this.latentOf(toDenseMatrix(data, 'GMVAE.encode', 'data', { nCols: this.nInput }));
    return t.tensor2d(z.values, [z.nRows, z.nCols]);
  }

  /** Posterior means of z for the training data. */
  getLatent(): DenseMatrix {
    return this.latentOf(this.data);
  }

  private latentOf(m: DenseMatrix): DenseMatrix {
    return mapRowBatches(m, 1024, (x) => this.module.inference(x, 0).qz.loc);
  }

  /** The mean of p(x | z). Caller owns the tensor. */
  decode(z: Tensor): Tensor {
    if (!(z instanceof t.Tensor) || z.rank !== 2 || z.shape[1] !== this.nLatent) throw new RangeError(`GMVAE.decode: argument 'z' must be a Tensor [items, ${this.nLatent}], got ${t.describeValue(z)}`);
    return t.tidy(() => this.module.generative(z).mean);
  }

  /** n draws: k ~ π, z ~ N(μ_k, σ_k), x ~ p(x | z); or all from one component. Caller owns the tensors. */
  sample(n: number, options: { seed: number; component?: number }): { k: Tensor; z: Tensor; x: Tensor } {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`GMVAE.sample: argument 'n' must be an integer >= 1, got ${t.describeValue(n)}`);
    const comp = options.component;
    if (comp !== undefined && !(Number.isSafeInteger(comp) && comp >= 0 && comp < this.nComponents)) {
      throw new RangeError(`GMVAE.sample: option 'component' must be an integer in [0, ${this.nComponents}), got ${t.describeValue(comp)}`);
    }
    const [kSeed, zSeed, xSeed] = t.splitSeed(options?.seed, 3) as [number, number, number];
    return t.tidy(() => {
      const prior = this.module.prior;
      const k = comp === undefined ? t.reshape(t.randomCategorical(t.expandDims(prior.logWeights(), 0), n, { seed: kSeed }), [n]) : t.fill([n], comp, 'int32');
      const eps = t.randomNormal([n, this.nLatent], { seed: zSeed });
      const z = t.add(t.gather(prior.means, k), t.mul(t.gather(prior.scales(), k), eps));
      return { k, z, x: this.module.generative(z).sample({ seed: xSeed }) };
    });
  }

  async save(dir: string): Promise<void> {
    const { likelihood: _custom, ...options } = this.userOptions;
    const config = { model: 'GMVAE', nInput: this.nInput, options, likelihood: this.likelihood.builtin ?? { kind: 'custom', name: this.likelihood.name } };
    await writeModelFiles(dir, { weights: moduleToSafetensors(this.module, { model: 'GMVAE' }), config });
  }

  static async load(dir: string, data: MatrixInput, options: { likelihood?: Likelihood } = {}): Promise<GMVAE> {
    const { weights, config } = await readModelFiles(dir);
    const saved = config as { model?: string; nInput?: number; options?: GMVAEOptions; likelihood?: BuiltinLikelihood | { kind: 'custom'; name: string } };
    if (saved.model !== 'GMVAE' || saved.options === undefined) throw new Error(`GMVAE.load: ${CONFIG_FILE} in '${dir}' was not written by GMVAE.save (model: ${t.describeValue(saved.model)})`);
    const m = toDenseMatrix(data, 'GMVAE.load', 'data');
    if (m.nCols !== saved.nInput) throw new RangeError(`GMVAE.load: argument 'data' must have ${saved.nInput} features (columns), as the saved model, got ${m.nCols}`);
    let likelihood = options.likelihood;
    if (likelihood === undefined) {
      if (saved.likelihood === undefined || saved.likelihood.kind === 'custom') throw new Error(`GMVAE.load: the model was saved with a custom likelihood; pass it as options.likelihood`);
      likelihood = builtinLikelihood(saved.likelihood);
    }
    const model = new GMVAE(m, { ...saved.options, likelihood });
    loadSafetensorsInto(model.module, weights);
    return model;
  }

  dispose(): void {
    this.module.dispose();
  }
}
