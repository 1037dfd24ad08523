// Checks of a model's constructor options, worded the same in every vitae model:
// `VAE: option 'nLatent' must be an integer >= 1, got 0`.
import { received } from './validate.js';

export interface OptionChecks {
  /** An integer >= min. */
  integer(value: unknown, name: string, min: number): number;
  /** A finite number in [low, high) (high may be Infinity). */
  number(value: unknown, name: string, low: number, high: number): number;
  /** One of `choices`. */
  choice<T extends string>(value: unknown, name: string, choices: readonly T[]): T;
  flag(value: unknown, name: string): boolean;
}

/** The option checks of function / class `fn`. */
export function optionChecks(fn: string): OptionChecks {
  return {
    integer(value, name, min) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new RangeError(`${fn}: option '${name}' must be an integer >= ${min}, got ${received(value)}`);
      return value;
    },
    number(value, name, low, high) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value >= high) {
        const what = high === Infinity ? `a finite number >= ${low}` : `a number in [${low}, ${high})`;
        throw new RangeError(`${fn}: option '${name}' must be ${what}, got ${received(value)}`);
      }
      return value;
    },
    choice<T extends string>(value: unknown, name: string, choices: readonly T[]): T {
      if (!(choices as readonly unknown[]).includes(value)) throw new TypeError(`${fn}: option '${name}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${received(value)}`);
      return value as T;
    },
    flag(value, name) {
      if (typeof value !== 'boolean') throw new TypeError(`${fn}: option '${name}' must be a boolean, got ${received(value)}`);
      return value;
    },
  };
}
