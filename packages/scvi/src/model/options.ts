// The SCVI model's options: what to read from the AnnData, and the module's architecture with
// scvi-tools' defaults (the data fills in nInput, nBatch, nLabels and the library prior).
import { SCVI_TOOLS_EARLY_STOPPING_PATIENCE } from '@vitae/inference';

import type { EarlyStoppingOptions, TrainingPlanOptions, TrainingPlanResult } from '@vitae/inference';
import type { SCVIModuleOptions } from '../options.js';
import type { SetupOptions } from './setup.js';

export interface SCVIOptions
  extends SetupOptions,
    Omit<SCVIModuleOptions, 'nInput' | 'nBatch' | 'nLabels' | 'libraryLogMeans' | 'libraryLogVars' | 'seed'> {
  /** Seeds the initial weights (default 0); training has its own seed. */
  seed?: number;
}

/** What `train` reports after every epoch: scvi-tools' history keys, one epoch at a time. */
export interface SCVIProgress {
  /** Counted from 0. */
  epoch: number;
  maxEpochs: number;
  /**
   * The training objective: mean over the epoch's cells of reconstruction + klWeight · KL(z) +
   * KL(library), with dropout on (scvi-tools' train_loss_epoch).
   */
  trainLoss: number;
  /** Mean reconstruction + KL (unweighted) over the training cells of the epoch: the negative ELBO (scvi-tools' elbo_train). */
  elboTrain: number;
  reconstructionLossTrain: number;
  klLocalTrain: number;
  /** The same on the validation cells in eval mode (scvi-tools' elbo_validation); undefined without a validation split. */
  elboValidation?: number;
  reconstructionLossValidation?: number;
  klLocalValidation?: number;
  /** The KL warm-up weight of the z term during the epoch. */
  klWeight: number;
  /** Wall-clock seconds of the epoch, and since train() started. */
  seconds: number;
  elapsedSeconds: number;
}

/** SCVI.train's options: scvi-tools' train() defaults, except early stopping (see earlyStopping). */
export interface SCVITrainOptions extends TrainingPlanOptions<SCVIProgress> {
  /** Default scvi-tools' heuristic: min(round(20000 / nCells · 400), 400). */
  maxEpochs?: number;
  /** Default 128. */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Adam eps (default 0.01). */
  eps?: number;
  /** Adam L2 weight decay (default 1e-6). */
  weightDecay?: number;
  /**
   * Stop when the validation ELBO has not improved for `patience` epochs (true: scvi-tools'
   * patience 45, minDelta 0). Default true when there is a validation set (trainSize < 1) —
   * unlike scvi-tools, whose default is off: on pbmc3k it gave a better validation ELBO and a
   * better latent space in a third of the epochs (README). `false` trains all maxEpochs.
   */
  earlyStopping?: boolean | Pick<EarlyStoppingOptions, 'patience' | 'minDelta' | 'restoreBest'>;
  /** Clip the gradient norm (default: no clipping, as scvi-tools). */
  clipGradNorm?: number;
}

/** One record per epoch of this call (`history`), why training stopped, and the split it used. */
export type SCVITrainResult = TrainingPlanResult<SCVIProgress>;

/** scvi-tools' default number of epochs for n cells. */
export function defaultMaxEpochs(nCells: number): number {
  return Math.min(Math.round((20000 / nCells) * 400), 400);
}

/** Default early-stopping patience of scvi-tools (early_stopping_patience). */
export const EARLY_STOPPING_PATIENCE = SCVI_TOOLS_EARLY_STOPPING_PATIENCE;
