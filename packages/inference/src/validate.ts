// Argument checks shared by this package, worded like the rest of vitae:
// `Adam: argument 'lr' must be a finite number >= 0, got -1`.
import { describeValue } from '@vitae/tensor';

/** A received value for an error message: numbers as themselves, anything else described. */
export function received(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeValue(value);
}

/** How an error names what was checked: a function's argument, or an option of a model's method. */
export type Checked = 'argument' | 'option';

/** Throws a RangeError unless `value` is a finite number satisfying `ok`; `constraint` reads e.g. '>= 0'. */
export function checkNumber(value: unknown, fn: string, arg: string, constraint: string, ok: (x: number) => boolean, kind: Checked = 'argument'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new RangeError(`${fn}: ${kind} '${arg}' must be a finite number${constraint ? ` ${constraint}` : ''}, got ${received(value)}`);
  }
  return value;
}

export const nonNegative = (value: unknown, fn: string, arg: string, kind: Checked = 'argument'): number => checkNumber(value, fn, arg, '>= 0', (x) => x >= 0, kind);
export const positive = (value: unknown, fn: string, arg: string): number => checkNumber(value, fn, arg, '> 0', (x) => x > 0);
export const finite = (value: unknown, fn: string, arg: string): number => checkNumber(value, fn, arg, '', () => true);

/** Throws unless `value` is an integer >= min. */
export function integerAtLeast(value: unknown, fn: string, arg: string, min: number, kind: Checked = 'argument'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${fn}: ${kind} '${arg}' must be an integer >= ${min}, got ${received(value)}`);
  }
  return value;
}

/** Throws unless `value` is a boolean. */
export function boolean(value: unknown, fn: string, arg: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${fn}: argument '${arg}' must be a boolean, got ${received(value)}`);
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
export function seedOf(options: unknown, fn: string, arg = 'seed'): number {
  const seed = typeof options === 'object' && options !== null ? (options as { seed?: unknown }).seed : undefined;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`${fn}: argument '${arg}' must be an integer in [0, 2^53), got ${received(seed)}`);
  }
  return seed;
}
