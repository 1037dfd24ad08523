import { describe, expect, it } from 'vitest';
import { cosineSchedule, exponentialSchedule, exponentialTemperature, klWarmup, klWarmupWeight, linearSchedule, linearTemperature } from '../index.js';

describe('klWarmup (scvi-tools _compute_kl_weight)', () => {
  it('rises linearly over nEpochsKlWarmup epochs, then holds maxWeight', () => {
    const w = klWarmup({ nEpochsKlWarmup: 400 });
    expect([0, 1, 100, 200, 399, 400, 1000].map((epoch) => w({ epoch, step: 0 }))).toEqual([0, 1 / 400, 0.25, 0.5, 399 / 400, 1, 1]);
  });
  it('honours minWeight / maxWeight', () => {
    const w = klWarmup({ nEpochsKlWarmup: 10, minWeight: 0.2, maxWeight: 0.6 });
    expect(w({ epoch: 0, step: 0 })).toBe(0.2);
    expect(w({ epoch: 5, step: 0 })).toBeCloseTo(0.4, 15);
    expect(w({ epoch: 10, step: 0 })).toBe(0.6);
  });
  it('by step when no epoch count is given; epochs take precedence when both are', () => {
    expect(klWarmup({ nStepsKlWarmup: 1000 })({ epoch: 50, step: 250 })).toBe(0.25);
    expect(klWarmup({ nEpochsKlWarmup: 10, nStepsKlWarmup: 1000 })({ epoch: 2, step: 900 })).toBe(0.2);
    expect(klWarmup({ nEpochsKlWarmup: 10, nStepsKlWarmup: 1000 })({ epoch: 12, step: 10 })).toBe(1); // scvi: past the epochs, max
  });
  it('no warm-up (0, null or undefined) gives maxWeight throughout', () => {
    expect(klWarmup()({ epoch: 0, step: 0 })).toBe(1);
    expect(klWarmup({ nEpochsKlWarmup: null, maxWeight: 0.5 })({ epoch: 0, step: 0 })).toBe(0.5);
    expect(klWarmupWeight(3, 30, { nEpochsKlWarmup: 0, nStepsKlWarmup: 60 })).toBe(0.5);
  });
  it('refuses bad arguments', () => {
    expect(() => klWarmup({ minWeight: 2, maxWeight: 1 })).toThrow("klWarmup: argument 'minWeight' must be <= maxWeight (1), got 2");
    expect(() => klWarmup({ nEpochsKlWarmup: -5 })).toThrow("klWarmup: argument 'nEpochsKlWarmup' must be a finite number >= 0, got -5");
    expect(() => klWarmup({ nEpochsKlWarmup: 5 })({ epoch: -1, step: 0 })).toThrow("klWarmup: argument 'epoch' must be a finite number >= 0, got -1");
  });
});

describe('generic schedules', () => {
  it('linear: holds start before delay and end after delay + steps', () => {
    const s = linearSchedule({ start: 1, end: 0, steps: 10, delay: 5 });
    expect([0, 5, 10, 15, 100].map(s)).toEqual([1, 1, 0.5, 0, 0]);
  });
  it('cosine: start, midpoint average, end', () => {
    const s = cosineSchedule({ start: 1e-2, end: 1e-4, steps: 100 });
    expect(s(0)).toBeCloseTo(1e-2, 15);
    expect(s(50)).toBeCloseTo((1e-2 + 1e-4) / 2, 15);
    expect(s(100)).toBeCloseTo(1e-4, 15);
    expect(s(1000)).toBeCloseTo(1e-4, 15);
    expect(s(25)).toBeCloseTo(1e-4 + (1e-2 - 1e-4) * (1 + Math.cos(Math.PI / 4)) / 2, 15);
  });
  it('exponential: floor and step-wise updates', () => {
    const s = exponentialSchedule({ initial: 2, rate: 0.1, min: 1, every: 5 });
    expect(s(0)).toBe(2);
    expect(s(4)).toBe(2);
    expect(s(5)).toBeCloseTo(2 * Math.exp(-0.5), 15);
    expect(s(100)).toBe(1);
  });
  it('refuses bad arguments', () => {
    expect(() => linearSchedule({ start: 1, end: 0, steps: 0 })).toThrow("linearSchedule: argument 'steps' must be a finite number > 0, got 0");
    expect(() => cosineSchedule({ start: Number.NaN, end: 0, steps: 1 })).toThrow("cosineSchedule: argument 'start' must be a finite number, got NaN");
    expect(() => linearSchedule({ start: 1, end: 0, steps: 3 })(-1)).toThrow("linearSchedule: argument 't' must be a finite number >= 0, got -1");
    expect(() => exponentialSchedule({ initial: 1, rate: 1, min: 2 })).toThrow("exponentialSchedule: argument 'min' must be <= initial (1), got 2");
  });
});

describe('Gumbel-softmax temperature', () => {
  it('Jang et al.: tau = max(0.5, exp(-r t)) updated every N steps', () => {
    const tau = exponentialTemperature({ rate: 1e-4, every: 500 });
    expect(tau(0)).toBe(1);
    expect(tau(499)).toBe(1);
    expect(tau(500)).toBeCloseTo(Math.exp(-0.05), 15);
    expect(tau(1e5)).toBe(0.5);
  });
  it('linear anneal from 1 to 0.5 by default', () => {
    const tau = linearTemperature({ steps: 100 });
    expect([0, 50, 100, 200].map(tau)).toEqual([1, 0.75, 0.5, 0.5]);
  });
  it('refuses bad arguments, worded for the temperature schedule', () => {
    expect(() => exponentialTemperature({ rate: -1 })).toThrow("exponentialTemperature: argument 'rate' must be a finite number >= 0, got -1");
    expect(() => exponentialTemperature({ rate: 1, min: 0 })).toThrow("exponentialTemperature: argument 'min' must be a finite number > 0, got 0");
    expect(() => linearTemperature({ steps: 10, end: 0 })).toThrow("linearTemperature: argument 'end' must be a finite number > 0, got 0");
    expect(() => linearTemperature({} as never)).toThrow("linearTemperature: argument 'steps' must be a finite number > 0, got undefined");
  });
});
