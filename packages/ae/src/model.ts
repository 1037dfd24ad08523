// AE: the user API around AEModule — build from data, train, encode / decode, reconstruction
// error, save / load. (An autoencoder has no prior, hence no `sample`; use @vitae/vae for that.)
import { Adam, fit } from '@vitae/inference';
import { ACTIVATION_NAMES, CONFIG_FILE, INITIALIZERS, mapRowBatches, optionChecks, gatherRows, loadSafetensorsInto, moduleToSafetensors, readModelFiles, toDenseMatrix, writeModelFiles } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { AEModule } from './module.js';

import type { EarlyStoppingOptions, EpochRecord, FitResult } from '@vitae/inference';
import type { ActivationName, DenseMatrix, Initializer, MatrixInput } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';
import type { AEModuleOptions } from './module.js';

export interface AEOptions {
  /** Latent dimension (default 10). */
  nLatent?: number;
  nHidden?: number;
  /** Hidden blocks in the encoder and the decoder (default 1; 0: linear). */
  nLayers?: number;
  activation?: ActivationName;
  dropoutRate?: number;
  useBatchNorm?: boolean;
  bias?: boolean;
  init?: Initializer;
  outputActivation?: 'identity' | 'sigmoid';
  /** λ of the L2 weight penalty (default 0). */
  l2?: number;
  seed: number;
}

export interface AETrainOptions {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  validationFraction?: number;
  earlyStopping?: EarlyStoppingOptions;
  onEpoch?: (record: EpochRecord) => void | 'stop' | Promise<void | 'stop'>;
  seed?: number;
}

const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : t.describeValue(value));

function resolve(fn: string, nInput: number, o: AEOptions): AEModuleOptions {
  if (typeof o !== 'object' || o === null) throw new TypeError(`${fn}: argument 'options' must be an object with at least { seed }, got ${shown(o)}`);
  const check = optionChecks(fn);
  const l2 = check.number(o.l2 ?? 0, 'l2', 0, Infinity);
  const dropoutRate = check.number(o.dropoutRate ?? 0, 'dropoutRate', 0, 1);
  return {
    nInput,
    nLatent: check.integer(o.nLatent ?? 10, 'nLatent', 1),
    nHidden: check.integer(o.nHidden ?? 128, 'nHidden', 1),
    nLayers: check.integer(o.nLayers ?? 1, 'nLayers', 0),
    activation: check.choice(o.activation ?? 'relu', 'activation', ACTIVATION_NAMES),
    dropoutRate,
    useBatchNorm: check.flag(o.useBatchNorm ?? false, 'useBatchNorm'),
    bias: check.flag(o.bias ?? true, 'bias'),
    ...(o.init === undefined ? {} : { init: check.choice(o.init, 'init', INITIALIZERS) }),
    outputActivation: check.choice(o.outputActivation ?? 'identity', 'outputActivation', ['identity', 'sigmoid'] as const),
    l2,
    seed: check.integer(o.seed, 'seed', 0),
  };
}

export class AE {
  readonly module: AEModule;
  readonly nInput: number;
  readonly history: EpochRecord[] = [];
  private readonly data: DenseMatrix;
  private readonly userOptions: AEOptions;
  private trainCalls = 0;

  constructor(data: MatrixInput, options: AEOptions) {
    this.data = toDenseMatrix(data, 'AE', 'data');
    this.nInput = this.data.nCols;
    this.module = new AEModule(resolve('AE', this.nInput, options));
    this.userOptions = options;
    this.module.eval();
  }

  get nLatent(): number {
    return this.module.options.nLatent;
  }

  /** Minimises reconstruction error + penalty with Adam over minibatches. */
  async train(options: AETrainOptions = {}): Promise<FitResult> {
    const seed = t.splitSeed(this.module.options.seed, this.trainCalls + 2)[this.trainCalls + 1] as number;
    this.trainCalls += 1;
    const params = this.module.parameters();
    const optimizer = new Adam(params, { lr: options.lr ?? 1e-3 });
    try {
      const result = await fit({
        parameters: params,
        optimizer,
        nItems: this.data.nRows,
        epochs: options.epochs ?? 100,
        batchSize: options.batchSize ?? 128,
        validationFraction: options.validationFraction ?? 0.1,
        seed: options.seed ?? seed,
        ...(options.earlyStopping === undefined ? {} : { earlyStopping: options.earlyStopping }),
        ...(options.onEpoch === undefined ? {} : { onEpoch: options.onEpoch }),
        loss: (rows, ctx) => {
          this.module.train(ctx.training);
          const parts = this.module.loss(gatherRows(this.data, rows), { seed: ctx.seed });
          return { loss: parts.loss, metrics: { reconstruction: t.mean(parts.reconstruction), penalty: parts.penalty } };
        },
      });
      this.history.push(...result.history);
      return result;
    } finally {
      this.module.eval();
      optimizer.dispose();
    }
  }

  private rows(fn: string, data: MatrixInput | undefined): DenseMatrix {
    return data === undefined ? this.data : toDenseMatrix(data, fn, 'data', { nCols: this.nInput });
  }

  /** z for each row (eval mode). Caller owns the tensor. */
  encode(data: MatrixInput): Tensor {
    const z = this.latentOf(this.rows('AE.encode', data));
    return t.tensor2d(z.values, [z.nRows, z.nCols]);
  }

  /** The latent codes of the training data. */
  getLatent(): DenseMatrix {
    return this.latentOf(this.data);
  }

  private latentOf(m: DenseMatrix): DenseMatrix {
    return mapRowBatches(m, 1024, (x) => this.module.encode(x));
  }

  /** x̂ for latent codes z [N, nLatent]. Caller owns the tensor. */
  decode(z: Tensor): Tensor {
    if (!(z instanceof t.Tensor) || z.rank !== 2 || z.shape[1] !== this.nLatent) throw new RangeError(`AE.decode: argument 'z' must be a Tensor [items, ${this.nLatent}], got ${t.describeValue(z)}`);
    return t.tidy(() => this.module.decode(z));
  }

  /** Mean squared reconstruction error per item, Σ_j (x_j - x̂_j)² (eval mode). */
  getReconstructionError(options: { data?: MatrixInput } = {}): number {
    const m = this.rows('AE.getReconstructionError', options.data);
    const perItem = mapRowBatches(m, 1024, (x) => t.reshape(this.module.loss(x).reconstruction, [-1, 1])).values;
    return perItem.reduce((sum, v) => sum + v, 0) / m.nRows;
  }

  async save(dir: string): Promise<void> {
    await writeModelFiles(dir, { weights: moduleToSafetensors(this.module, { model: 'AE' }), config: { model: 'AE', nInput: this.nInput, options: this.userOptions } });
  }

  static async load(dir: string, data: MatrixInput): Promise<AE> {
    const { weights, config } = await readModelFiles(dir);
    if (config.model !== 'AE') throw new Error(`AE.load: ${CONFIG_FILE} in '${dir}' was not written by AE.save (model: ${t.describeValue(config.model)})`);
    const m = toDenseMatrix(data, 'AE.load', 'data');
    if (m.nCols !== config.nInput) throw new RangeError(`AE.load: argument 'data' must have ${String(config.nInput)} features (columns), as the saved model, got ${m.nCols}`);
    const ae = new AE(m, config.options as AEOptions);
    loadSafetensorsInto(ae.module, weights);
    return ae;
  }

  dispose(): void {
    this.module.dispose();
  }
}
