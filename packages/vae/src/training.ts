// Training a model's module on a dense data matrix with @vitae/inference's `fit`: Adam with
// PyTorch semantics, seeded split / shuffling, KL warm-up, mode switching (train mode for
// training steps, eval mode for validation), and a progress callback. Shared by the vitae
// models (VAE, GMM-VAE).
import { Adam, fit, klWarmup } from '@vitae/inference';
import { gatherRows } from '@vitae/layers';
import { describeValue } from '@vitae/tensor';

import type { EarlyStoppingOptions, EpochRecord, FitResult, KlWarmupOptions, LossContext } from '@vitae/inference';
import type { DenseMatrix, Module } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';

export interface TrainOptions {
  /** Passes over the data (default 100). */
  epochs?: number;
  /** Minibatch size (default 128). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Adam eps (default 1e-8; scvi-tools uses 0.01). */
  eps?: number;
  /** Adam L2 weight decay (default 0). */
  weightDecay?: number;
  /** Held-out fraction for the validation loss (default 0.1). */
  validationFraction?: number;
  earlyStopping?: EarlyStoppingOptions;
  /** KL warm-up; default none (weight 1 throughout). */
  klWarmup?: KlWarmupOptions;
  clipGradNorm?: number;
  /** Called after each epoch with the epoch's record (metrics include klWeight); return 'stop' to end. */
  onEpoch?: (record: EpochRecord) => void | 'stop' | Promise<void | 'stop'>;
  /** Drives the split, shuffling, dropout and reparameterized draws (default: derived from the model seed). */
  seed?: number;
}

/** What a model computes for one minibatch. */
export type BatchLoss = (x: Tensor, ctx: LossContext & { klWeight: number; rows: Int32Array }) => { loss: Tensor; metrics: Record<string, Tensor | number> };

export interface TrainArgs {
  fn: string;
  module: Module;
  data: DenseMatrix;
  options: TrainOptions;
  seed: number;
  batchLoss: BatchLoss;
}

function checkOptions(fn: string, options: unknown): TrainOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${fn}: argument 'options' must be an object, got ${describeValue(options)}`);
  return options as TrainOptions;
}

/** Fits the module; the module is left in eval mode. */
export async function trainModule(args: TrainArgs): Promise<FitResult> {
  const o = checkOptions(args.fn, args.options);
  const params = args.module.parameters();
  const optimizer = new Adam(params, { lr: o.lr ?? 1e-3, eps: o.eps ?? 1e-8, weightDecay: o.weightDecay ?? 0 });
  const weight = klWarmup(o.klWarmup ?? { minWeight: 1, maxWeight: 1 });
  try {
    return await fit({
      parameters: params,
      optimizer,
      nItems: args.data.nRows,
      epochs: o.epochs ?? 100,
      batchSize: o.batchSize ?? 128,
      validationFraction: o.validationFraction ?? 0.1,
      seed: o.seed ?? args.seed,
      ...(o.earlyStopping === undefined ? {} : { earlyStopping: o.earlyStopping }),
      ...(o.clipGradNorm === undefined ? {} : { clipGradNorm: o.clipGradNorm }),
      ...(o.onEpoch === undefined ? {} : { onEpoch: o.onEpoch }),
      loss: (rows, ctx) => {
        args.module.train(ctx.training);
        const klWeight = weight(ctx);
        const out = args.batchLoss(gatherRows(args.data, rows), { ...ctx, klWeight, rows });
        return { loss: out.loss, metrics: { ...out.metrics, klWeight } };
      },
    });
  } finally {
    args.module.eval();
    optimizer.dispose();
  }
}
