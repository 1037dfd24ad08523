// VAE: the user API around VAEModule — build from data, train, encode / decode / sample, ELBO
// and IWAE marginal likelihood, save / load.
import { CONFIG_FILE, loadSafetensorsInto, mapRowBatches, moduleToSafetensors, readModelFiles, toDenseMatrix, writeModelFiles } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { builtinLikelihood } from './likelihoods.js';
import { VAEModule } from './module.js';
import { resolveVAEOptions } from './options.js';
import { trainModule } from './training.js';

import type { EpochRecord, FitResult } from '@vitae/inference';
import type { DenseMatrix, MatrixInput } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';
import type { BuiltinLikelihood, Likelihood } from './likelihoods.js';
import type { VAEOptions } from './options.js';
import type { TrainOptions } from './training.js';

export interface EvaluateOptions {
  /** Rows to evaluate (default: the training data). */
  data?: MatrixInput;
  /** Draws of z per item. */
  nSamples?: number;
  seed?: number;
  /** Items per pass (default 512). */
  batchSize?: number;
}

/** Mean over the rows of `perItem(batch)` (one value per row), computed in batches without leaking tensors. */
export function meanOverRows(m: DenseMatrix, batchSize: number, perItem: (x: Tensor, rows: Int32Array) => Tensor): number {
  const values = mapRowBatches(m, batchSize, (x, rows) => t.reshape(perItem(x, rows), [-1, 1])).values;
  return values.reduce((sum, v) => sum + v, 0) / m.nRows;
}

export class VAE {
  readonly module: VAEModule;
  readonly nInput: number;
  readonly beta: number;
  /** Every epoch of every train() call. */
  readonly history: EpochRecord[] = [];
  protected readonly data: DenseMatrix;
  private readonly userOptions: VAEOptions;
  private trainCalls = 0;

  constructor(data: MatrixInput, options: VAEOptions) {
    const fn = 'VAE';
    this.data = toDenseMatrix(data, fn, 'data');
    const resolved = resolveVAEOptions(fn, this.data.nCols, options);
    resolved.module.likelihood.checkData?.(this.data.values, fn);
    this.nInput = this.data.nCols;
    this.beta = resolved.beta;
    this.userOptions = options;
    this.module = new VAEModule(resolved.module);
    this.module.eval();
  }

  get likelihood(): Likelihood {
    return this.module.options.likelihood;
  }

  get nLatent(): number {
    return this.module.options.nLatent;
  }

  /** Trains on the data given at construction; the KL weight rises to β over the warm-up. */
  async train(options: TrainOptions = {}): Promise<FitResult> {
    const seed = t.splitSeed(this.module.options.seed, this.trainCalls + 2)[this.trainCalls + 1] as number;
    this.trainCalls += 1;
    const warm = options.klWarmup ?? { minWeight: 1, maxWeight: 1 };
    const result = await trainModule({
      fn: 'VAE.train',
      module: this.module,
      data: this.data,
      options: { ...options, klWarmup: { ...warm, minWeight: (warm.minWeight ?? 0) * this.beta, maxWeight: (warm.maxWeight ?? 1) * this.beta } },
      seed,
      batchLoss: (x, ctx) => {
        const parts = this.module.loss(x, { seed: ctx.seed, klWeight: ctx.klWeight });
        return { loss: parts.loss, metrics: { reconstruction: t.mean(parts.reconstruction), klLocal: t.mean(parts.klLocal) } };
      },
    });
    this.history.push(...result.history);
    return result;
  }

  protected rowsOf(fn: string, data: MatrixInput | undefined): DenseMatrix {
    return data === undefined ? this.data : toDenseMatrix(data, fn, 'data', { nCols: this.nInput });
  }

  /** Mean ELBO per item, E_q[log p(x | z)] - KL(q(z | x) || p(z)), in eval mode. */
  getElbo(options: EvaluateOptions = {}): number {
    const m = this.rowsOf('VAE.getElbo', options.data);
    const seeds = new t.SeedSequence(options.seed ?? 0);
    return meanOverRows(m, options.batchSize ?? 512, (x) => {
      const parts = this.module.loss(x, { seed: seeds.next(), ...(options.nSamples === undefined ? {} : { nSamples: options.nSamples }) });
      return t.neg(t.add(parts.reconstruction, parts.klLocal));
    });
  }

  /** Mean reconstruction error per item, -E_q[log p(x | z)]. */
  getReconstructionError(options: EvaluateOptions = {}): number {
    const m = this.rowsOf('VAE.getReconstructionError', options.data);
    const seeds = new t.SeedSequence(options.seed ?? 0);
    return meanOverRows(m, options.batchSize ?? 512, (x) => this.module.loss(x, { seed: seeds.next() }).reconstruction);
  }

  /** Mean IWAE bound on log p(x) per item with nSamples importance samples (default 100). */
  getMarginalLL(options: EvaluateOptions = {}): number {
    const m = this.rowsOf('VAE.getMarginalLL', options.data);
    const nSamples = options.nSamples ?? 100;
    if (!Number.isSafeInteger(nSamples) || nSamples < 1) throw new RangeError(`VAE.getMarginalLL: option 'nSamples' must be an integer >= 1, got ${t.describeValue(nSamples)}`);
    const seeds = new t.SeedSequence(options.seed ?? 0);
    return meanOverRows(m, options.batchSize ?? Math.max(1, Math.floor(25600 / nSamples)), (x) => this.module.importanceBound(x, { seed: seeds.next(), nSamples }));
  }

  /** The latent code of each row: the posterior mean (giveMean, default) or one draw. Caller owns the tensor. */
  encode(data: MatrixInput, options: { giveMean?: boolean; seed?: number } = {}): Tensor {
    const z = this.encodeRows(toDenseMatrix(data, 'VAE.encode', 'data', { nCols: this.nInput }), options);
    return t.tensor2d(z.values, [z.nRows, z.nCols]);
  }

  /** The latent codes of the training data, as a DenseMatrix. */
  getLatent(options: { giveMean?: boolean; seed?: number } = {}): DenseMatrix {
    return this.encodeRows(this.data, options);
  }

  private encodeRows(m: DenseMatrix, options: { giveMean?: boolean; seed?: number }): DenseMatrix {
    const giveMean = options.giveMean ?? true;
    const seeds = new t.SeedSequence(options.seed ?? 0);
    return mapRowBatches(m, 1024, (x) => {
      const { qz, z } = this.module.inference(x, { seed: seeds.next() });
      return giveMean ? qz.loc : z;
    });
  }

  /** The mean of p(x | z) for latent codes z [N, nLatent]. Caller owns the tensor. */
  decode(z: Tensor): Tensor {
    if (!(z instanceof t.Tensor) || z.rank !== 2 || z.shape[1] !== this.nLatent) {
      throw new RangeError(`VAE.decode: argument 'z' must be a Tensor [items, ${this.nLatent}], got ${t.describeValue(z)}`);
    }
    return t.tidy(() => this.module.generative(z).mean);
  }

  /** n draws from the model: z ~ p(z), x ~ p(x | z). Caller owns both tensors. */
  sample(n: number, options: { seed: number }): { z: Tensor; x: Tensor } {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`VAE.sample: argument 'n' must be an integer >= 1, got ${t.describeValue(n)}`);
    const [zSeed, xSeed] = t.splitSeed(options?.seed, 2) as [number, number];
    return t.tidy(() => {
      const z = t.randomNormal([n, this.nLatent], { seed: zSeed });
      return { z, x: this.module.generative(z).sample({ seed: xSeed }) };
    });
  }

  /** Writes model.safetensors (weights) and config.json (options, feature count) into `dir`. */
  async save(dir: string): Promise<void> {
    const builtin = this.likelihood.builtin;
    const { likelihood: _custom, ...options } = this.userOptions;
    const config = { model: 'VAE', nInput: this.nInput, options, likelihood: builtin ?? { kind: 'custom', name: this.likelihood.name } };
    await writeModelFiles(dir, { weights: moduleToSafetensors(this.module, { model: 'VAE' }), config });
  }

  /**
   * Rebuilds a saved VAE on `data` (which must have the saved feature count). A custom
   * likelihood is not stored: pass it again as `options.likelihood`.
   */
  static async load(dir: string, data: MatrixInput, options: { likelihood?: Likelihood } = {}): Promise<VAE> {
    const { weights, config } = await readModelFiles(dir);
    const saved = config as { model?: string; nInput?: number; options?: VAEOptions; likelihood?: BuiltinLikelihood | { kind: 'custom'; name: string } };
    if (saved.model !== 'VAE' || saved.options === undefined) throw new Error(`VAE.load: ${CONFIG_FILE} in '${dir}' was not written by VAE.save (model: ${t.describeValue(saved.model)})`);
    const m = toDenseMatrix(data, 'VAE.load', 'data');
    if (m.nCols !== saved.nInput) throw new RangeError(`VAE.load: argument 'data' must have ${saved.nInput} features (columns), as the saved model, got ${m.nCols}`);
    let likelihood = options.likelihood;
    if (likelihood === undefined) {
      if (saved.likelihood === undefined || saved.likelihood.kind === 'custom') {
        throw new Error(`VAE.load: the model was saved with a custom likelihood ('${(saved.likelihood as { name?: string } | undefined)?.name}'); pass it as options.likelihood`);
      }
      likelihood = builtinLikelihood(saved.likelihood);
    }
    const vae = new VAE(m, { ...saved.options, likelihood });
    loadSafetensorsInto(vae.module, weights);
    return vae;
  }

  /** Frees the module's weights. */
  dispose(): void {
    this.module.dispose();
  }
}
