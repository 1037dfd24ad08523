// The training loop: seeded split and shuffling, minibatch steps, validation without gradients,
// early stopping, a per-epoch callback, and a yield to the event loop after every epoch so that a
// browser page stays responsive while a model trains.
import { SeedSequence, clone, dispose, splitSeed, tidy } from '@vitae/tensor';
import { BestTracker } from './early-stopping.js';
import { WeightedMeans, trainStep, validationStep } from './epoch.js';
import { checkFitOptions } from './options.js';
import { inBatches, shuffledBatches, splitIndices } from './split.js';

import type { Tensor } from '@vitae/tensor';
import type { EpochRecord, FitOptions, FitResult } from './types.js';

const nextTick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains `parameters` by minimising `loss` over minibatches of item indices; see FitOptions.
 * Reproducible: the same options (seed included) give the same history, seconds aside.
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const o = checkFitOptions(options);
  // Independent seed streams, so that e.g. a validation pass never shifts the training seeds.
  const [splitRoot, shuffleRoot, trainRoot, validationRoot] = splitSeed(o.seed, 4) as [number, number, number, number];
  const split = splitIndices(o.nItems, o.validationFraction, { seed: splitRoot });
  if (o.dropLast && split.train.length < o.batchSize) {
    throw new RangeError(`fit: argument 'dropLast' with batchSize ${o.batchSize} leaves no batch of the ${split.train.length} training items`);
  }
  const shuffleSeeds = new SeedSequence(shuffleRoot);
  const trainSeeds = new SeedSequence(trainRoot);
  const validationSeeds = new SeedSequence(validationRoot);
  const hasValidation = split.validation.length > 0;
  const monitor = o.earlyStopping?.monitor ?? (hasValidation ? 'validation' : 'train');
  const tracker = new BestTracker(o.earlyStopping?.patience ?? Infinity, o.earlyStopping?.minDelta ?? 0);
  const validationBatches = inBatches(split.validation, o.batchSize);

  const history: EpochRecord[] = [];
  let step = 0;
  let stopReason: FitResult['stopReason'] = 'completed';
  let best: Tensor[] | undefined;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const started = performance.now();
      const lr = o.optimizer.lr;
      const train = new WeightedMeans();
      for (const batch of shuffledBatches(split.train, o.batchSize, o.dropLast, shuffleSeeds.next())) {
        trainStep(o, batch, { epoch, step, training: true, seed: trainSeeds.next() }, train);
        step += 1;
      }
      const record: EpochRecord = { epoch, trainLoss: train.loss(), metrics: { train: train.metrics() }, seconds: 0, lr, steps: step };
      if (hasValidation) {
        const validation = new WeightedMeans();
        for (const batch of validationBatches) validationStep(o, batch, { epoch, step, training: false, seed: validationSeeds.next() }, validation);
        record.validationLoss = validation.loss();
        record.metrics.validation = validation.metrics();
      }
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);

      const { improved, stop } = tracker.update(epoch, monitor === 'validation' ? (record.validationLoss as number) : record.trainLoss);
      if (improved && o.earlyStopping?.restoreBest) {
        dispose(best);
        best = tidy(() => o.parameters.map((p) => clone(p)));
      }
      const answer = await o.onEpoch?.(record);
      if (o.earlyStopping && stop) stopReason = 'earlyStopping';
      else if (answer === 'stop') stopReason = 'callback';
      if (stopReason !== 'completed') break;
      await nextTick();
    }
    if (best) o.parameters.forEach((p, i) => p.assign(best?.[i] as Tensor));
  } finally {
    dispose(best);
  }
  return {
    history,
    stoppedEarly: stopReason === 'earlyStopping',
    stopReason,
    monitor,
    bestEpoch: tracker.bestEpoch,
    bestLoss: tracker.best,
    restoredBest: best !== undefined,
    steps: step,
    trainIndices: split.train,
    validationIndices: split.validation,
  };
}
