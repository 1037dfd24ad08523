// SCVI.train: scvi-tools' TrainingPlan defaults on @vitae/inference's `fit` loop.
//
// Each step takes its minibatch as the cells' sparse rows (the encoders multiply them directly;
// the loss densifies them once, for the likelihood). Training steps run the module in train mode
// (dropout, batch statistics) with the warm-up weight on KL(z); validation runs in eval mode with
// weight 1, so the validation loss *is* scvi-tools' elbo_validation (the negative ELBO per cell),
// and early stopping watches exactly that, as scvi-tools does.
import { Adam, checkTrainingPlanOptions, runTrainingPlan } from '@vitae/inference';
import { optionChecks } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { EARLY_STOPPING_PATIENCE, defaultMaxEpochs } from './options.js';
import { batchTensors } from './posterior.js';

import type { CheckedTrainingPlan, EpochRecord } from '@vitae/inference';
import type { SCVIModule } from '../module.js';
import type { SCVIProgress, SCVITrainOptions, SCVITrainResult } from './options.js';
import type { SetupData } from './setup.js';

const FN = 'SCVI.train';

/**
 * scvi-tools' train() defaults: Adam lr 1e-3, eps 0.01, weight decay 1e-6, batch 128, 90 / 10
 * split, maxEpochs from the cell count. Early stopping is on whenever there is a validation set:
 * a measured deviation from scvi-tools (whose default is off), see the README's "Deviations".
 */
export function checkTrainOptions(options: SCVITrainOptions, nCells: number): CheckedTrainingPlan {
  return checkTrainingPlanOptions(FN, options, {
    maxEpochs: defaultMaxEpochs(nCells),
    batchSize: 128,
    trainSize: 0.9,
    lr: 1e-3,
    eps: 0.01,
    weightDecay: 1e-6,
    earlyStopping: true,
    patience: EARLY_STOPPING_PATIENCE,
  });
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
  const plan = checkTrainOptions(options, nCells);
  const clipGradNorm = options.clipGradNorm === undefined ? undefined : optionChecks(FN).number(options.clipGradNorm, 'clipGradNorm', 0, Infinity);
  const parameters = module.parameters();
  const optimizer = new Adam(parameters, { lr: plan.lr, eps: plan.eps, weightDecay: plan.weightDecay });
  try {
    return await runTrainingPlan({
      fn: FN,
      parameters,
      optimizer,
      nCells,
      plan,
      seed: defaultSeed,
      clipGradNorm,
      loss: (rows, ctx) => {
        module.train(ctx.training);
        const scheduled = plan.klWeight(ctx);
        const klWeight = ctx.training ? scheduled : 1;
        const { x, batchIndex, labels } = batchTensors(module, data, rows);
        const out = module.loss(x, batchIndex, { seed: ctx.seed, klWeight, ...(labels === undefined ? {} : { labels }) });
        const klLocal = t.add(out.klLocal.z, out.klLocal.l);
        return {
          loss: out.loss,
          metrics: { elbo: t.mean(t.add(out.reconstruction, klLocal)), reconstruction: t.mean(out.reconstruction), klLocal: t.mean(klLocal), klWeight: scheduled },
        };
      },
      progress: progressOf,
      onProgress: options.onProgress,
    });
  } finally {
    module.eval();
    optimizer.dispose();
  }
}
