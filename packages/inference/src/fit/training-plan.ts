// The part of scvi-tools' `model.train()` + TrainingPlan that every vitae model trained on cells
// shares (SCVI, VELOVI): the user-facing options (maxEpochs, batchSize, trainSize, lr, eps,
// weightDecay, earlyStopping, KL warm-up, seed, onProgress) checked with errors that name the
// model, the train / validation split of `trainSize`, and `fit` run with a per-epoch progress record.
// What differs between models (the optimizer, the loss, the progress fields) is passed in.
import { describeValue } from '@vitae/tensor';
import { checkNumber, integerAtLeast, nonNegative, optionsObject } from '../validate.js';
import { klWarmup } from '../schedules/kl-warmup.js';
import { fit } from './fit.js';

import type { Variable } from '@vitae/tensor';
import type { Optimizer } from '../optim/optimizer.js';
import type { TrainingProgress } from '../schedules/kl-warmup.js';
import type { EarlyStoppingOptions, EpochRecord, FitResult, LossFunction } from './types.js';

/** scvi-tools' default early-stopping patience (`early_stopping_patience`), in epochs. */
export const SCVI_TOOLS_EARLY_STOPPING_PATIENCE = 45;

/** The options a model's `train()` accepts in common (each model documents its own defaults). */
export interface TrainingPlanOptions<P> {
  maxEpochs?: number;
  batchSize?: number;
  /** Fraction of the cells trained on; the rest is the validation set (scvi-tools' train_size). */
  trainSize?: number;
  lr?: number;
  eps?: number;
  weightDecay?: number;
  /** true: patience as the model's default on the validation ELBO; an object overrides it; false: off. */
  earlyStopping?: boolean | Omit<EarlyStoppingOptions, 'monitor'>;
  /** Epochs over which the KL weight of z rises from minKlWeight to maxKlWeight (default 400, scvi-tools' TrainingPlan). */
  nEpochsKlWarmup?: number | null;
  /** Warm-up in steps instead (used when nEpochsKlWarmup is null). */
  nStepsKlWarmup?: number | null;
  /** Default 0. */
  minKlWeight?: number;
  /** Default 1. */
  maxKlWeight?: number;
  /** Seeds the split, shuffling, dropout and draws (default: derived from the model seed and the call count). */
  seed?: number;
  /** Called after every epoch; return 'stop' to end training (may be async). */
  onProgress?: (progress: P) => void | 'stop' | Promise<void | 'stop'>;
}

/** The numeric settings of a plan: a model's defaults, then the checked values. */
interface TrainingPlanSettings {
  maxEpochs: number;
  batchSize: number;
  trainSize: number;
  lr: number;
  eps: number;
  weightDecay: number;
}

/** A model's defaults for those options. */
export interface TrainingPlanDefaults extends TrainingPlanSettings {
  /** Whether early stopping is on when the user does not say, given that there is a validation set. */
  earlyStopping: boolean;
  /** Patience (epochs) when early stopping is on. */
  patience: number;
}

export interface CheckedTrainingPlan extends TrainingPlanSettings {
  /** Watches the validation loss; undefined when off. */
  earlyStopping: EarlyStoppingOptions | undefined;
  /** The KL warm-up weight at a point of training. */
  klWeight: (progress: TrainingProgress) => number;
  seed: number | undefined;
}

/** Checks the common options of `fn` (e.g. 'SCVI.train') against `defaults`. */
export function checkTrainingPlanOptions<P>(fn: string, options: TrainingPlanOptions<P>, defaults: TrainingPlanDefaults): CheckedTrainingPlan {
  const o = optionsObject(options, fn) as TrainingPlanOptions<P>;
  const trainSize = checkNumber(o.trainSize ?? defaults.trainSize, fn, 'trainSize', 'in (0, 1]', (x) => x > 0 && x <= 1, 'option');
  const es = o.earlyStopping ?? (defaults.earlyStopping && trainSize < 1);
  let earlyStopping: EarlyStoppingOptions | undefined;
  if (es !== false) {
    if (trainSize === 1) throw new RangeError(`${fn}: option 'earlyStopping' watches the validation ELBO, which needs trainSize < 1, got trainSize 1 (pass earlyStopping: false to train on every cell)`);
    if (es === true) earlyStopping = { patience: defaults.patience, monitor: 'validation' };
    else if (typeof es === 'object' && es !== null) earlyStopping = { ...es, patience: es.patience ?? defaults.patience, monitor: 'validation' };
    else throw new TypeError(`${fn}: option 'earlyStopping' must be a boolean or { patience, minDelta, restoreBest }, got ${describeValue(es)}`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError(`${fn}: option 'onProgress' must be a function, got ${describeValue(o.onProgress)}`);
  const number = (value: number | undefined, fallback: number, name: string): number => nonNegative(value ?? fallback, fn, name, 'option');
  const integer = (value: number | undefined, fallback: number, name: string, min: number): number => integerAtLeast(value ?? fallback, fn, name, min, 'option');
  return {
    maxEpochs: integer(o.maxEpochs, defaults.maxEpochs, 'maxEpochs', 1),
    batchSize: integer(o.batchSize, defaults.batchSize, 'batchSize', 2),
    trainSize,
    lr: number(o.lr, defaults.lr, 'lr'),
    eps: number(o.eps, defaults.eps, 'eps'),
    weightDecay: number(o.weightDecay, defaults.weightDecay, 'weightDecay'),
    earlyStopping,
    klWeight: klWarmup({
      nEpochsKlWarmup: o.nEpochsKlWarmup === undefined ? 400 : o.nEpochsKlWarmup,
      nStepsKlWarmup: o.nStepsKlWarmup ?? null,
      minWeight: o.minKlWeight ?? 0,
      maxWeight: o.maxKlWeight ?? 1,
    }),
    seed: o.seed === undefined ? undefined : integer(o.seed, 0, 'seed', 0),
  };
}

export interface TrainingPlanRun<P> {
  fn: string;
  parameters: Variable[];
  optimizer: Optimizer;
  nCells: number;
  plan: CheckedTrainingPlan;
  /** Used when the options gave no seed. */
  seed: number;
  clipGradNorm: number | undefined;
  loss: LossFunction;
  /** The model's progress record of one epoch. */
  progress: (record: EpochRecord, maxEpochs: number, elapsedSeconds: number) => P;
  onProgress: TrainingPlanOptions<P>['onProgress'];
}

export interface TrainingPlanResult<P> {
  history: P[];
  stopReason: FitResult['stopReason'];
  epochs: number;
  seconds: number;
  trainIndices: Int32Array;
  validationIndices: Int32Array;
}

/**
 * Splits the cells as `plan.trainSize` says and runs `fit`: the validation fraction is
 * 1 − trainSize (scvi-tools rounds the validation count down), and a last training batch of one
 * cell is dropped, since batch norm cannot normalise it (torch refuses it).
 */
export async function runTrainingPlan<P>(run: TrainingPlanRun<P>): Promise<TrainingPlanResult<P>> {
  const { fn, plan, nCells } = run;
  const validationFraction = 1 - plan.trainSize;
  const nValidation = Math.floor(validationFraction * nCells);
  const nTrain = nCells - nValidation;
  if (nTrain < 2) throw new RangeError(`${fn}: training needs at least 2 training cells (batch norm), got ${nTrain} (${nCells} cells, trainSize ${plan.trainSize})`);
  if (plan.earlyStopping !== undefined && nValidation === 0) {
    throw new RangeError(`${fn}: option 'earlyStopping' needs validation cells, but trainSize ${plan.trainSize} of ${nCells} cells leaves none (pass earlyStopping: false or a smaller trainSize)`);
  }
  const started = performance.now();
  const history: P[] = [];
  const result = await fit({
    parameters: run.parameters,
    optimizer: run.optimizer,
    nItems: nCells,
    epochs: plan.maxEpochs,
    batchSize: plan.batchSize,
    validationFraction,
    seed: plan.seed ?? run.seed,
    dropLast: nTrain % plan.batchSize === 1,
    ...(plan.earlyStopping === undefined ? {} : { earlyStopping: plan.earlyStopping }),
    ...(run.clipGradNorm === undefined ? {} : { clipGradNorm: run.clipGradNorm }),
    loss: run.loss,
    onEpoch: (record) => {
      const progress = run.progress(record, plan.maxEpochs, (performance.now() - started) / 1000);
      history.push(progress);
      return run.onProgress?.(progress);
    },
  });
  return {
    history,
    stopReason: result.stopReason,
    epochs: history.length,
    seconds: (performance.now() - started) / 1000,
    trainIndices: result.trainIndices,
    validationIndices: result.validationIndices,
  };
}
