// Generic schedules: plain functions from a step (or epoch) count t >= 0 to a number, for
// learning rates, KL weights and temperatures. Before `delay` they hold `start`; after
// `delay + steps` they hold `end`.
import { finite, nonNegative, optionsObject, positive } from '../validate.js';

/** A schedule: t (a step or epoch count, >= 0) to a value. */
export type Schedule = (t: number) => number;

export interface InterpolatedScheduleOptions {
  /** Value at t <= delay. */
  start: number;
  /** Value at t >= delay + steps. */
  end: number;
  /** Length of the transition (> 0). */
  steps: number;
  /** t at which the transition begins (default 0). */
  delay?: number;
}

function progress(fn: string, options: InterpolatedScheduleOptions): { start: number; end: number; at: (t: number) => number } {
  const o = optionsObject(options, fn);
  const start = finite(o.start, fn, 'start');
  const end = finite(o.end, fn, 'end');
  const steps = positive(o.steps, fn, 'steps');
  const delay = nonNegative(o.delay ?? 0, fn, 'delay');
  // The fraction of the transition done at t, in [0, 1].
  const at = (t: number) => Math.min(1, Math.max(0, (nonNegative(t, fn, 't') - delay) / steps));
  return { start, end, at };
}

/** Linear interpolation: start + (end - start) * frac, frac = clamp((t - delay) / steps, 0, 1). */
export function linearSchedule(options: InterpolatedScheduleOptions): Schedule {
  return linearScheduleFor('linearSchedule', options);
}

/** linearSchedule with errors worded for the calling function `fn` (used by other schedules). */
export function linearScheduleFor(fn: string, options: InterpolatedScheduleOptions): Schedule {
  const { start, end, at } = progress(fn, options);
  return (t) => start + (end - start) * at(t);
}

/** Cosine annealing (Loshchilov & Hutter): end + (start - end) * (1 + cos(pi * frac)) / 2. */
export function cosineSchedule(options: InterpolatedScheduleOptions): Schedule {
  const { start, end, at } = progress('cosineSchedule', options);
  return (t) => end + ((start - end) * (1 + Math.cos(Math.PI * at(t)))) / 2;
}

export interface ExponentialScheduleOptions {
  /** Value at t = 0. */
  initial: number;
  /** Decay rate >= 0: value = initial * exp(-rate * t). */
  rate: number;
  /** Lower bound (default -Infinity: none; must not exceed `initial`). */
  min?: number;
  /** Update only every `every` steps: t is rounded down to a multiple of it (default 1). */
  every?: number;
}

/** max(min, initial * exp(-rate * every * floor(t / every))). */
export function exponentialSchedule(options: ExponentialScheduleOptions): Schedule {
  return exponentialScheduleFor('exponentialSchedule', options);
}

/** exponentialSchedule with errors worded for the calling function `fn`. */
export function exponentialScheduleFor(fn: string, options: ExponentialScheduleOptions): Schedule {
  const o = optionsObject(options, fn);
  const initial = finite(o.initial, fn, 'initial');
  const rate = nonNegative(o.rate, fn, 'rate');
  const min = o.min === undefined ? -Infinity : finite(o.min, fn, 'min');
  if (min > initial) throw new RangeError(`${fn}: argument 'min' must be <= initial (${initial}), got ${min}`);
  const every = positive(o.every ?? 1, fn, 'every');
  return (t) => Math.max(min, initial * Math.exp(-rate * every * Math.floor(nonNegative(t, fn, 't') / every)));
}
