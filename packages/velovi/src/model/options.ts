// The VELOVI model's options: which layers to read, the module's architecture with velovi's model
// defaults (the data fills in nInput, the switch targets and alpha's start), and training with
// velovi's train() defaults.
import { SCVI_TOOLS_EARLY_STOPPING_PATIENCE } from '@vitae/inference';

import type { EarlyStoppingOptions, TrainingPlanOptions, TrainingPlanResult } from '@vitae/inference';
import type { VELOVIModuleOptions } from '../options.js';
import type { SetupOptions } from './setup.js';

export interface VELOVIOptions
  extends SetupOptions,
    Omit<VELOVIModuleOptions, 'nInput' | 'switchUnspliced' | 'switchSpliced' | 'alphaUnconstrInit' | 'gammaUnconstrInit' | 'alpha1UnconstrInit' | 'lambdaAlphaUnconstrInit' | 'seed' | 'nHidden'> {
  /** Width of the hidden layers (default 256, VELOVI's; the module's own default is 128). */
  nHidden?: number;
  /** Start γ at min(softplus⁻¹(us_upper / ms_upper), 10) per gene instead of softplus⁻¹ ≈ −1 (default false, as velovi). */
  gammaInitData?: boolean;
  /** Seeds the initial weights and switch times (default 0); training and posterior draws have their own seeds. */
  seed?: number;
}

/** What `train` reports after every epoch: velovi / scvi-tools' history keys, one epoch at a time. */
export interface VELOVIProgress {
  /** Counted from 0. */
  epoch: number;
  maxEpochs: number;
  /**
   * The training objective averaged over the epoch's cells: reconstruction + klWeight · KL(z) +
   * KL(π) + penaltyScale · (1 − klWeight) · switch penalty (scvi-tools' train_loss_epoch).
   */
  trainLoss: number;
  /** Mean reconstruction + KL(z) + KL(π) over the training cells (the negative ELBO, elbo_train). */
  elboTrain: number;
  reconstructionLossTrain: number;
  /** Mean KL(z) + KL(π) per cell (kl_local_train). */
  klLocalTrain: number;
  /** Of which KL(z) (the term the warm-up weights); the rest is KL(π). */
  klZTrain: number;
  /** The switch penalty Σ_g (u₀ − switch_u)² + (s₀ − switch_s)², averaged over the epoch's steps (batch-size weighted). */
  switchPenalty: number;
  /** The same on the validation cells in eval mode (elbo_validation: what early stopping watches); undefined without a validation split. */
  elboValidation?: number;
  reconstructionLossValidation?: number;
  klLocalValidation?: number;
  /** The KL warm-up weight of the z term during the epoch. */
  klWeight: number;
  /** Wall-clock seconds of the epoch, and since train() started. */
  seconds: number;
  elapsedSeconds: number;
}

/** VELOVI.train's options: velovi's train() defaults. */
export interface VELOVITrainOptions extends TrainingPlanOptions<VELOVIProgress> {
  /** Default 500 (velovi). */
  maxEpochs?: number;
  /** Default 256 (velovi). */
  batchSize?: number;
  /** AdamW learning rate (default 1e-2, velovi). */
  lr?: number;
  /** AdamW decoupled weight decay (default 1e-2, velovi). */
  weightDecay?: number;
  /** AdamW eps (default 0.01, scvi-tools' TrainingPlan). */
  eps?: number;
  /**
   * Stop when the validation ELBO has not improved for `patience` epochs (default: on whenever
   * there is a validation set, as velovi: scvi-tools' patience 45, minDelta 0). false: train all
   * maxEpochs. With trainSize 1 there is nothing to watch, so it is off (true is an error).
   */
  earlyStopping?: boolean | Pick<EarlyStoppingOptions, 'patience' | 'minDelta' | 'restoreBest'>;
  /** Clip the total gradient 2-norm to this (default 10: velovi's gradient_clip_val, which Lightning applies as a norm); null: no clipping. */
  gradientClipVal?: number | null;
}

/** One record per epoch of this call (`history`), why training stopped, and the split it used. */
export type VELOVITrainResult = TrainingPlanResult<VELOVIProgress>;

/** scvi-tools' default early-stopping patience (early_stopping_patience). */
export const EARLY_STOPPING_PATIENCE = SCVI_TOOLS_EARLY_STOPPING_PATIENCE;
