// Argument checks shared by the layers, worded like the rest of vitae:
// `Linear: argument 'inFeatures' must be an integer >= 1, got 0`.
import { describeValue } from '@vitae/tensor';

/** A received value for an error message: numbers as themselves, anything else described. */
export function received(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeValue(value);
}

/** Throws unless `value` is an integer >= min. */
export function integerAtLeast(value: unknown, fn: string, arg: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${fn}: argument '${arg}' must be an integer >= ${min}, got ${received(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number in [low, high) (or [low, high] when `closed`). */
export function numberIn(value: unknown, fn: string, arg: string, low: number, high: number, closed = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= low && (closed ? value <= high : value < high);
  if (!ok) throw new RangeError(`${fn}: argument '${arg}' must be a number in [${low}, ${high}${closed ? ']' : ')'}, got ${received(value)}`);
  return value;
}

/** Throws unless `value` is a finite number > 0. */
export function positive(value: unknown, fn: string, arg: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${fn}: argument '${arg}' must be a finite number > 0, got ${received(value)}`);
  }
  return value;
}

/** Throws unless `value` is a boolean. */
export function boolean(value: unknown, fn: string, arg: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${fn}: argument '${arg}' must be a boolean, got ${received(value)}`);
  return value;
}

/** Throws unless `value` is one of `choices`. */
export function oneOf<T extends string>(value: unknown, fn: string, arg: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new TypeError(`${fn}: argument '${arg}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${received(value)}`);
  }
  return value as T;
}

/** Throws unless `value` is undefined or a plain object (an options bag). */
export function optionsObject<T extends object>(value: T | undefined, fn: string, arg = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${fn}: argument '${arg}' must be an object, got ${received(value)}`);
  }
  return value;
}

/** Throws unless `value` is a seed: an integer in [0, 2^53). */
export function seedValue(value: unknown, fn: string, arg = 'seed'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${fn}: argument '${arg}' must be an integer seed in [0, 2^53), got ${received(value)}`);
  }
  return value;
}
