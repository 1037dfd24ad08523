// Argument checks of the clustering utilities, worded like the rest of vitae:
// `kmeans: argument 'k' must be an integer >= 1, got 0`.
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

/** Throws unless `value` is a finite number satisfying `ok`; `constraint` reads e.g. '>= 0'. */
export function checkNumber(value: unknown, fn: string, arg: string, constraint: string, ok: (x: number) => boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new RangeError(`${fn}: argument '${arg}' must be a finite number ${constraint}, got ${received(value)}`);
  }
  return value;
}

/** Throws unless `value` is undefined or a plain object (an options bag). */
export function optionsObject<T extends object>(value: T | undefined, fn: string, arg = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${fn}: argument '${arg}' must be an object, got ${received(value)}`);
  }
  return value;
}

/** Throws unless `options.seed` is an integer in [0, 2^53) (the seed contract of @vitae/tensor). */
export function seedOf(options: unknown, fn: string): number {
  const seed = typeof options === 'object' && options !== null ? (options as { seed?: unknown }).seed : undefined;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`${fn}: argument 'seed' must be an integer in [0, 2^53), got ${received(seed)}`);
  }
  return seed;
}

/** Throws unless every entry of `values` is a finite number (names the first offender and its index). */
export function allFinite(values: ArrayLike<number>, fn: string, arg: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${fn}: argument '${arg}' must hold finite numbers, got ${received(v)} at index ${i}`);
    }
  }
}

/** Throws unless `values` is an array or typed array of safe integers (class or cluster labels). */
export function integerLabels(values: unknown, fn: string, arg: string): ArrayLike<number> {
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw new TypeError(`${fn}: argument '${arg}' must be an array or typed array of integer labels, got ${received(values)}`);
  }
  const labels = values as ArrayLike<number>;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new TypeError(`${fn}: argument '${arg}' must hold integer labels, got ${received(v)} at index ${i}`);
    }
  }
  return labels;
}
