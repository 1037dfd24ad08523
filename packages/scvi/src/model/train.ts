// SCVI.train: scvi-tools' TrainingPlan defaults on @vitae/inference's `fit` loop.
//
// Each step densifies only its minibatch's rows of the sparse counts. Training steps run the
// module in train mode (dropout, batch statistics) with the warm-up weight on KL(z); validation
// runs in eval mode with weight 1, so the validation loss *is* scvi-tools' elbo_validation (the
// negative ELBO per cell), and early stopping watches exactly that, as scvi-tools does.
import { Adam, fit, klWarmup } from '@vitae/inference';
import { optionChecks } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { EARLY_STOPPING_PATIENCE, defaultMaxEpochs } from './options.js';
import { batchTensors } from './posterior.js';

import type { EarlyStoppingOptions, EpochRecord } from '@vitae/inference';
import type { SCVIModule } from '../module.js';
import type { SCVIProgress, SCVITrainOptions, SCVITrainResult } from './options.js';
import type { SetupData } from './setup.js';

const FN = 'SCVI.train';

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

export function checkTrainOptions(options: SCVITrainOptions, nCells: number): Checked {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${FN}: argument 'options' must be an object, got ${t.describeValue(options)}`);
  const c = optionChecks(FN);
  const trainSize = options.trainSize ?? 0.9;
  if (typeof trainSize !== 'number' || !(trainSize > 0 && trainSize <= 1)) throw new RangeError(`${FN}: option 'trainSize' must be a number in (0, 1], got ${t.describeValue(trainSize)}`);
  // On by default whenever there is a validation set: a measured deviation from scvi-tools
  // (whose default is off), see the README's "Deviations" section.
  const es = options.earlyStopping ?? trainSize < 1;
  let earlyStopping: EarlyStoppingOptions | undefined;
  if (es !== false) {
    if (trainSize === 1) throw new RangeError(`${FN}: option 'earlyStopping' watches the validation ELBO, which needs trainSize < 1, got trainSize 1`);
    if (es === true) earlyStopping = { patience: EARLY_STOPPING_PATIENCE, monitor: 'validation' };
    else if (typeof es === 'object' && es !== null) earlyStopping = { ...es, patience: es.patience ?? EARLY_STOPPING_PATIENCE, monitor: 'validation' };
    else throw new TypeError(`${FN}: option 'earlyStopping' must be a boolean or { patience, minDelta, restoreBest }, got ${t.describeValue(es)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new TypeError(`${FN}: option 'onProgress' must be a function, got ${t.describeValue(options.onProgress)}`);
  return {
    maxEpochs: c.integer(options.maxEpochs ?? defaultMaxEpochs(nCells), 'maxEpochs', 1),
    batchSize: c.integer(options.batchSize ?? 128, 'batchSize', 2),
    trainSize,
    lr: c.number(options.lr ?? 1e-3, 'lr', 0, Infinity),
    eps: c.number(options.eps ?? 0.01, 'eps', 0, Infinity),
    weightDecay: c.number(options.weightDecay ?? 1e-6, 'weightDecay', 0, Infinity),
    earlyStopping,
    clipGradNorm: options.clipGradNorm === undefined ? undefined : c.number(options.clipGradNorm, 'clipGradNorm', 0, Infinity),
    seed: options.seed === undefined ? undefined : c.integer(options.seed, 'seed', 0),
  };
}

function progressOf(record: EpochRecord, maxEpochs: number, elapsedSeconds: number): SCVIProgress {
  const train = record.metrics.train;
  const validation = record.metrics.validation;
  return {
    epoch: record.epoch,
    maxEpochs,
    trainLoss: record.trainLoss,
    elboTrain: train.elbo as number,
    reconstructionLossTrain: train.reconstruction as number,
    klLocalTrain: train.klLocal as number,
    ...(validation === undefined
      ? {}
      : { elboValidation: record.validationLoss as number, reconstructionLossValidation: validation.reconstruction as number, klLocalValidation: validation.klLocal as number }),
    klWeight: train.klWeight as number,
    seconds: record.seconds,
    elapsedSeconds,
  };
}

/** Trains `module` on the counts of `data`; leaves it in eval mode. `defaultSeed` is used when options.seed is not given. */
export async function trainSCVI(module: SCVIModule, data: SetupData, options: SCVITrainOptions, defaultSeed: number): Promise<SCVITrainResult> {
  const nCells = data.counts.nRows;
  const o = checkTrainOptions(options, nCells);
  const weight = klWarmup({
    nEpochsKlWarmup: options.nEpochsKlWarmup === undefined ? 400 : options.nEpochsKlWarmup,
    nStepsKlWarmup: options.nStepsKlWarmup ?? null,
    minWeight: options.minKlWeight ?? 0,
    maxWeight: options.maxKlWeight ?? 1,
  });
  const validationFraction = 1 - o.trainSize;
  const nTrain = nCells - Math.floor(validationFraction * nCells);
  if (nTrain < 2) throw new RangeError(`${FN}: training needs at least 2 training cells (batch norm), got ${nTrain} (${nCells} cells, trainSize ${o.trainSize})`);
  const params = module.parameters();
  const optimizer = new Adam(params, { lr: o.lr, eps: o.eps, weightDecay: o.weightDecay });
  const started = performance.now();
  const history: SCVIProgress[] = [];
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
        const klWeight = ctx.training ? scheduled : 1;
        const { x, batchIndex, labels } = batchTensors(module, data, rows);
        const out = module.loss(x, batchIndex, { seed: ctx.seed, klWeight, ...(labels === undefined ? {} : { labels }) });
        const klLocal = t.add(out.klLocal.z, out.klLocal.l);
        return {
          loss: out.loss,
          metrics: { elbo: t.mean(t.add(out.reconstruction, klLocal)), reconstruction: t.mean(out.reconstruction), klLocal: t.mean(klLocal), klWeight: scheduled },
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
