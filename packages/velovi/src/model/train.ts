// VELOVI.train: velovi's train() defaults (AdamW lr 1e-2, weight decay 1e-2, batch 256, 90 / 10
// split, early stopping on, gradient clipping at norm 10) with scvi-tools' TrainingPlan (eps 0.01,
// KL warm-up over 400 epochs) on @vitae/inference's `fit` loop.
//
// Training steps run the module in train mode (dropout, batch statistics) and minimise velovi's
// loss with the warm-up weight. Validation runs in eval mode and returns the negative ELBO per
// cell, mean(reconstruction + KL(z) + KL(π)) without weights or penalty: scvi-tools'
// elbo_validation, which is what its early stopping watches.
import { AdamW, checkTrainingPlanOptions, runTrainingPlan } from '@vitae/inference';
import { optionChecks } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { EARLY_STOPPING_PATIENCE } from './options.js';
import { rowsTensor } from './posterior.js';

import type { EpochRecord } from '@vitae/inference';
import type { VELOVIModule } from '../module.js';
import type { VELOVIProgress, VELOVITrainOptions, VELOVITrainResult } from './options.js';
import type { VelocityData } from './setup.js';

const FN = 'VELOVI.train';

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
  const plan = checkTrainingPlanOptions(FN, options, {
    maxEpochs: 500,
    batchSize: 256,
    trainSize: 0.9,
    lr: 1e-2,
    eps: 0.01,
    weightDecay: 1e-2,
    earlyStopping: true,
    patience: EARLY_STOPPING_PATIENCE,
  });
  const clip = options.gradientClipVal === undefined ? 10 : options.gradientClipVal;
  const clipGradNorm = clip === null ? undefined : optionChecks(FN).number(clip, 'gradientClipVal', 0, Infinity);
  const parameters = module.parameters();
  const optimizer = new AdamW(parameters, { lr: plan.lr, eps: plan.eps, weightDecay: plan.weightDecay });
  try {
    return await runTrainingPlan({
      fn: FN,
      parameters,
      optimizer,
      nCells: data.nCells,
      plan,
      seed: defaultSeed,
      clipGradNorm,
      loss: (rows, ctx) => {
        module.train(ctx.training);
        const scheduled = plan.klWeight(ctx);
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
      progress: progressOf,
      onProgress: options.onProgress,
    });
  } finally {
    module.eval();
    optimizer.dispose();
  }
}
