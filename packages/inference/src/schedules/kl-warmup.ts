// KL warm-up as in scvi-tools (`_compute_kl_weight`): the weight of the KL term rises linearly
// from minWeight to maxWeight over the first nEpochsKlWarmup epochs (or, if no epoch count is
// given, nStepsKlWarmup steps) and stays at maxWeight afterwards:
//   weight = min(maxWeight, minWeight + (maxWeight - minWeight) * epoch / nEpochsKlWarmup)
import { finite, nonNegative, optionsObject } from '../validate.js';

export interface KlWarmupOptions {
  /** Warm-up length in epochs (scvi-tools' default is 400). 0 / undefined / null: not by epoch. */
  nEpochsKlWarmup?: number | null;
  /** Warm-up length in steps; used only when nEpochsKlWarmup is not set. */
  nStepsKlWarmup?: number | null;
  /** Weight at epoch (step) 0 (default 0). */
  minWeight?: number;
  /** Weight after the warm-up (default 1). */
  maxWeight?: number;
}

/** Where training is: what `fit` passes to a loss as ctx has both fields. */
export interface TrainingProgress {
  epoch: number;
  step: number;
}

/** Returns the KL weight as a function of training progress ({ epoch, step }, both counted from 0). */
export function klWarmup(options: KlWarmupOptions = {}): (progress: TrainingProgress) => number {
  const fn = 'klWarmup';
  const o = optionsObject(options, fn);
  const nEpochs = o.nEpochsKlWarmup == null ? 0 : nonNegative(o.nEpochsKlWarmup, fn, 'nEpochsKlWarmup');
  const nSteps = o.nStepsKlWarmup == null ? 0 : nonNegative(o.nStepsKlWarmup, fn, 'nStepsKlWarmup');
  const minWeight = finite(o.minWeight ?? 0, fn, 'minWeight');
  const maxWeight = finite(o.maxWeight ?? 1, fn, 'maxWeight');
  if (minWeight > maxWeight) throw new RangeError(`${fn}: argument 'minWeight' must be <= maxWeight (${maxWeight}), got ${minWeight}`);
  const slope = maxWeight - minWeight;
  return (progress) => {
    if (typeof progress !== 'object' || progress === null) throw new TypeError(`${fn}: the schedule takes { epoch, step }, got ${String(progress)}`);
    const epoch = nonNegative(progress.epoch, fn, 'epoch');
    const step = nonNegative(progress.step, fn, 'step');
    if (nEpochs > 0) {
      if (epoch < nEpochs) return minWeight + slope * (epoch / nEpochs);
    } else if (nSteps > 0) {
      if (step < nSteps) return minWeight + slope * (step / nSteps);
    }
    return maxWeight;
  };
}

/** The KL weight at one point of training (klWarmup(options)({ epoch, step })). */
export function klWarmupWeight(epoch: number, step: number, options: KlWarmupOptions = {}): number {
  return klWarmup(options)({ epoch, step });
}
