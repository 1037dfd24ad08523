// Option checks shared by every function, so errors read the same everywhere:
// "<function>: option '<name>' must be <constraint>, got <value>".

/** A received value as it reads in an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<number>).length}`;
  return typeof value === 'object' ? `an object (${(value as object).constructor?.name ?? 'Object'})` : typeof value;
}

export function fail(fn: string, message: string): never {
  throw new RangeError(`${fn}: ${message}`);
}

export interface NumberBounds {
  min?: number;
  max?: number;
  /** min is exclusive */
  above?: number;
  /** max is exclusive */
  below?: number;
  integer?: boolean;
}

function describeBounds(b: NumberBounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`>= ${b.min}`);
  if (b.above !== undefined) parts.push(`> ${b.above}`);
  if (b.max !== undefined) parts.push(`<= ${b.max}`);
  if (b.below !== undefined) parts.push(`< ${b.below}`);
  const kind = b.integer ? 'an integer' : 'a number';
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/** `value` checked against the bounds (undefined passes through). */
export function optionalNumber(fn: string, name: string, value: unknown, bounds: NumberBounds = {}): number | undefined {
  if (value === undefined) return undefined;
  return requiredNumber(fn, name, value, bounds);
}

export function requiredNumber(fn: string, name: string, value: unknown, bounds: NumberBounds = {}): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    (bounds.min === undefined || value >= bounds.min) &&
    (bounds.max === undefined || value <= bounds.max) &&
    (bounds.above === undefined || value > bounds.above) &&
    (bounds.below === undefined || value < bounds.below) &&
    (Number.isFinite(value) || bounds.integer !== true);
  if (!ok) fail(fn, `option '${name}' must be ${describeBounds(bounds)}, got ${show(value)}`);
  return value as number;
}

export function oneOf<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(fn, `option '${name}' must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

export function optionalBoolean(fn: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(fn, `option '${name}' must be a boolean, got ${show(value)}`);
  return value;
}

export function optionalString(fn: string, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') fail(fn, `option '${name}' must be a non-empty string, got ${show(value)}`);
  return value;
}

/** Throws unless `options` is undefined or a plain object whose keys are all known. */
export function checkOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) fail(fn, `options must be an object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) fail(fn, `unknown option '${key}'; the options are ${known.map((k) => `'${k}'`).join(', ')}`);
  }
}
