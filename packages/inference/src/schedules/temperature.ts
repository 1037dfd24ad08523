// Gumbel-softmax temperature schedules.
import { optionsObject, positive } from '../validate.js';
import { exponentialScheduleFor, linearScheduleFor } from './schedule.js';

import type { Schedule } from './schedule.js';

export interface ExponentialTemperatureOptions {
  /** Temperature at step 0 (default 1). */
  initial?: number;
  /** Floor (default 0.5, as Jang et al.). */
  min?: number;
  /** Decay rate per step (Jang et al. tried 1e-5 and 1e-4). */
  rate: number;
  /** Update the temperature every `every` steps (Jang et al.: N = 500; default 1). */
  every?: number;
}

/**
 * Jang, Gu & Poole (2017), "Categorical reparameterization with Gumbel-softmax":
 *   tau = max(min, initial * exp(-rate * t)), t the global step rounded down to a multiple of `every`.
 */
export function exponentialTemperature(options: ExponentialTemperatureOptions): Schedule {
  const fn = 'exponentialTemperature';
  const o = optionsObject(options, fn);
  const initial = positive(o.initial ?? 1, fn, 'initial');
  const min = positive(o.min ?? 0.5, fn, 'min');
  return exponentialScheduleFor(fn, { initial, min, rate: o.rate as number, every: o.every ?? 1 });
}

export interface LinearTemperatureOptions {
  /** Temperature at t = 0 (default 1). */
  start?: number;
  /** Temperature from t = steps on (default 0.5). */
  end?: number;
  /** Length of the anneal, in whatever unit t counts (steps or epochs). */
  steps: number;
}

/** A linear anneal of the temperature, from 1 to 0.5 by default (as GMM-VAEs use it). */
export function linearTemperature(options: LinearTemperatureOptions): Schedule {
  const fn = 'linearTemperature';
  const o = optionsObject(options, fn);
  const start = positive(o.start ?? 1, fn, 'start');
  const end = positive(o.end ?? 0.5, fn, 'end');
  return linearScheduleFor(fn, { start, end, steps: o.steps as number });
}
