// VELOVI.train: velovi's train() defaults (AdamW lr 1e-2, weight decay 1e-2, batch 256, 90 / 10
// split, early stopping on, gradient clipping at norm 10) with scvi-tools' TrainingPlan (eps 0.01,
// KL warm-up over 400 epochs) on @vitae/inference's `fit` loop.
//
// Training steps run the module in train mode (dropout, batch statistics) and minimise velovi's
// loss with the warm-up weight. Validation runs in eval mode and returns the negative ELBO per
// cell, mean(reconstruction + KL(z) + KL(π)) without weights or penalty: scvi-tools'
// elbo_validation, which is what its early stopping watches.
import { AdamW, fit, klWarmup } from '@vitae/inference';
import { optionChecks } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { EARLY_STOPPING_PATIENCE } from './options.js';
import { rowsTensor } from './posterior.js';

import type { EarlyStoppingOptions, EpochRecord } from '@vitae/inference';
import type { VELOVIModule } from '../module.js';
import type { VELOVIProgress, VELOVITrainOptions, VELOVITrainResult } from './options.js';
import type { VelocityData } from './setup.js';

const FN = 'VELOVI.train';

interface Checked {
  maxEpochs: number;
  batchSize: number;
  trainSize: number;
  lr: number;
  eps: number;
  weightDecay: number;
  earlyStopping: EarlyStoppingOptions | undefined;
  clipGradNorm: number | undefined;
  seed: number | undefined;
}

function checkTrainOptions(options: VELOVITrainOptions): Checked {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${FN}: argument 'options' must be an object, got ${t.describeValue(options)}`);
  const c = optionChecks(FN);
  const trainSize = options.trainSize ?? 0.9;
  if (typeof trainSize !== 'number' || !(trainSize > 0 && trainSize <= 1)) throw new RangeError(`${FN}: option 'trainSize' must be a number in (0, 1], got ${t.describeValue(trainSize)}`);
  const es = options.earlyStopping ?? true;
  let earlyStopping: EarlyStoppingOptions | undefined;
  if (es !== false) {
    if (trainSize === 1) throw new RangeError(`${FN}: option 'earlyStopping' watches the validation ELBO, which needs trainSize < 1, got trainSize 1 (pass earlyStopping: false to train on every cell)`);
    if (es === true) earlyStopping = { patience: EARLY_STOPPING_PATIENCE, monitor: 'validation' };
    else if (typeof es === 'object' && es !== null) earlyStopping = { ...es, patience: es.patience ?? EARLY_STOPPING_PATIENCE, monitor: 'validation' };
    else throw new TypeError(`${FN}: option 'earlyStopping' must be a boolean or { patience, minDelta, restoreBest }, got ${t.describeValue(es)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new TypeError(`${FN}: option 'onProgress' must be a function, got ${t.describeValue(options.onProgress)}`);
  const clip = options.gradientClipVal === undefined ? 10 : options.gradientClipVal;
  return {
    maxEpochs: c.integer(options.maxEpochs ?? 500, 'maxEpochs', 1),
    batchSize: c.integer(options.batchSize ?? 256, 'batchSize', 2),
    trainSize,
    lr: c.number(options.lr ?? 1e-2, 'lr', 0, Infinity),
    eps: c.number(options.eps ?? 0.01, 'eps', 0, Infinity),
    weightDecay: c.number(options.weightDecay ?? 1e-2, 'weightDecay', 0, Infinity),
    earlyStopping,
    clipGradNorm: clip === null ? undefined : c.number(clip, 'gradientClipVal', 0, Infinity),
    seed: options.seed === undefined ? undefined : c.integer(options.seed, 'seed', 0),
  };
}

function progressOf(record: EpochRecord, maxEpochs: number, elapsedSeconds: number): VELOVIProgress {
  const train = record.metrics.train;
  const validation = record.metrics.validation;
  return {
    epoch: record.epoch,
    maxEpochs,
    trainLoss: record.trainLoss,
    elboTrain: train.elbo as number,
    reconstructionLossTrain: train.reconstruction as number,
    klLocalTrain: train.klLocal as number,
    klZTrain: train.klZ as number,
    switchPenalty: train.switchPenalty as number,
    ...(validation === undefined
      ? {}
      : { elboValidation: record.validationLoss as number, reconstructionLossValidation: validation.reconstruction as number, klLocalValidation: validation.klLocal as number }),
    klWeight: train.klWeight as number,
    seconds: record.seconds,
    elapsedSeconds,
  };
}

/** Trains `module` on `data`; leaves it in eval mode. `defaultSeed` is used when options.seed is not given. */
export async function trainVELOVI(module: VELOVIModule, data: VelocityData, options: VELOVITrainOptions, defaultSeed: number): Promise<VELOVITrainResult> {
  const o = checkTrainOptions(options);
  const weight = klWarmup({
    nEpochsKlWarmup: options.nEpochsKlWarmup === undefined ? 400 : options.nEpochsKlWarmup,
    nStepsKlWarmup: options.nStepsKlWarmup ?? null,
    minWeight: options.minKlWeight ?? 0,
    maxWeight: options.maxKlWeight ?? 1,
  });
  const nCells = data.nCells;
  const validationFraction = 1 - o.trainSize;
  const nTrain = nCells - Math.floor(validationFraction * nCells);
  if (nTrain < 2) throw new RangeError(`${FN}: training needs at least 2 training cells (batch norm), got ${nTrain} (${nCells} cells, trainSize ${o.trainSize})`);
  if (o.earlyStopping && Math.floor(validationFraction * nCells) === 0) {
    throw new RangeError(`${FN}: option 'earlyStopping' needs validation cells, but trainSize ${o.trainSize} of ${nCells} cells leaves none (pass earlyStopping: false or a smaller trainSize)`);
  }
  const params = module.parameters();
  const optimizer = new AdamW(params, { lr: o.lr, eps: o.eps, weightDecay: o.weightDecay });
  const started = performance.now();
  const history: VELOVIProgress[] = [];
  try {
    const result = await fit({
      parameters: params,
      optimizer,
      nItems: nCells,
      epochs: o.maxEpochs,
      batchSize: o.batchSize,
      validationFraction,
      seed: o.seed ?? defaultSeed,
      // A last batch of one cell would make the batch-norm variance 0 (torch refuses it).
      dropLast: nTrain % o.batchSize === 1,
      ...(o.earlyStopping === undefined ? {} : { earlyStopping: o.earlyStopping }),
      ...(o.clipGradNorm === undefined ? {} : { clipGradNorm: o.clipGradNorm }),
      loss: (rows, ctx) => {
        module.train(ctx.training);
        const scheduled = weight(ctx);
        const s = rowsTensor(data.spliced, data.nGenes, rows);
        const u = rowsTensor(data.unspliced, data.nGenes, rows);
        const out = module.loss(s, u, { seed: ctx.seed, klWeight: scheduled });
        const klLocal = t.add(out.klLocal.z, out.klLocal.pi);
        const elbo = t.mean(t.add(out.reconstruction, klLocal));
        return {
          loss: ctx.training ? out.loss : elbo,
          metrics: { elbo, reconstruction: t.mean(out.reconstruction), klLocal: t.mean(klLocal), klZ: t.mean(out.klLocal.z), switchPenalty: out.endPenalty, klWeight: scheduled },
        };
      },
      onEpoch: (record) => {
        const progress = progressOf(record, o.maxEpochs, (performance.now() - started) / 1000);
        history.push(progress);
        return options.onProgress?.(progress);
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
  } finally {
    module.eval();
    optimizer.dispose();
  }
}
