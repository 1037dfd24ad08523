// Constraints: the sets a parameter or a value must lie in, declared as data on each
// distribution class (PyTorch's torch.distributions.constraints). The base class checks them
// when `validateArgs` is on; `transformTo` (transforms.ts) maps each continuous constraint to
// its default constraining transform.

/** The first element that breaks a constraint: its flat index, its value, and an optional detail. */
export interface Violation {
  index: number;
  value: number;
  /** Extra words for the message, e.g. "row 2 sums to 1.3". */
  detail?: string;
}

export interface Constraint {
  /** A stable identifier, e.g. 'positive', 'simplex', 'interval(0, 1)'. */
  readonly name: string;
  /** What the constraint demands, worded for an error message: "> 0", "in [0, 1]". */
  readonly description: string;
  /** 0 for elementwise constraints, 1 for constraints on the last axis (simplex, one-hot). */
  readonly eventDim: number;
  readonly isDiscrete: boolean;
  /** The first violation in row-major `values` of `shape`, or null when all satisfy it. */
  check(values: ArrayLike<number>, shape: readonly number[]): Violation | null;
  /** For `independent(base, n)`: the elementwise constraint it reinterprets. */
  readonly base?: Constraint;
}

function firstFailing(values: ArrayLike<number>, ok: (v: number) => boolean): Violation | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!ok(v)) return { index: i, value: v };
  }
  return null;
}

function elementwise(name: string, description: string, ok: (v: number) => boolean, isDiscrete = false): Constraint {
  return { name, description, eventDim: 0, isDiscrete, check: (values) => firstFailing(values, ok) };
}

/** Any number that is not NaN (±Infinity allowed, as torch's `real`). */
export const real = elementwise('real', 'a real number (not NaN)', (v) => v === v);

/** x > lowerBound. */
export function greaterThan(lowerBound: number): Constraint {
  return elementwise(`greater_than(${lowerBound})`, `> ${lowerBound}`, (v) => v > lowerBound);
}

/** x >= lowerBound. */
export function greaterThanEq(lowerBound: number): Constraint {
  return elementwise(`greater_than_eq(${lowerBound})`, `>= ${lowerBound}`, (v) => v >= lowerBound);
}

/** low <= x <= high. */
export function interval(low: number, high: number): Constraint {
  return elementwise(`interval(${low}, ${high})`, `in [${low}, ${high}]`, (v) => v >= low && v <= high);
}

/** low < x < high. */
export function openInterval(low: number, high: number): Constraint {
  return elementwise(`open_interval(${low}, ${high})`, `in (${low}, ${high})`, (v) => v > low && v < high);
}

export const positive = greaterThan(0);
export const nonnegative = greaterThanEq(0);
export const unitInterval = interval(0, 1);
export const openUnitInterval = openInterval(0, 1);

/** 0 or 1. */
export const boolean = elementwise('boolean', '0 or 1', (v) => v === 0 || v === 1, true);

/** 0, 1, 2, … */
export const nonnegativeInteger = elementwise('nonnegative_integer', 'a non-negative integer', (v) => v >= 0 && Number.isInteger(v), true);

/** The integers low, …, high. */
export function integerInterval(low: number, high: number): Constraint {
  return elementwise(
    `integer_interval(${low}, ${high})`,
    `an integer in [${low}, ${high}]`,
    (v) => Number.isInteger(v) && v >= low && v <= high,
    true,
  );
}

/**
 * A constraint that depends on other parameters (Uniform's low < high): the family checks it
 * itself, so the generic check passes everything.
 */
export function dependent(name: string, description: string, options: { isDiscrete?: boolean; eventDim?: number } = {}): Constraint {
  return { name: `dependent(${name})`, description, eventDim: options.eventDim ?? 0, isDiscrete: options.isDiscrete ?? false, check: () => null };
}

/** Checks each row (last axis) of `values`; `rowOk` returns a detail string when the row fails. */
function rowwise(name: string, description: string, isDiscrete: boolean, rowFails: (row: ArrayLike<number>) => Violation | null): Constraint {
  return {
    name,
    description,
    eventDim: 1,
    isDiscrete,
    check(values, shape) {
      const k = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
      if (k === 0) return null;
      for (let start = 0; start < values.length; start += k) {
        const row = Array.prototype.slice.call(values, start, start + k) as number[];
        const bad = rowFails(row);
        if (bad) return { ...bad, index: start + bad.index, detail: `${bad.detail ?? ''}${bad.detail ? ' ' : ''}(row ${start / k})` };
      }
      return null;
    },
  };
}

/**
 * Non-negative entries summing to 1 over the last axis. The sum is allowed the float32 slack of
 * adding k numbers (k · 2^-23 · 4, at least 1e-6), as torch's simplex check (which uses 1e-6).
 */
export const simplex = rowwise('simplex', 'in the simplex (non-negative, summing to 1 over the last axis)', false, (row) => {
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (!(v >= 0)) return { index: i, value: v, detail: 'a negative or NaN entry' };
    sum += v;
  }
  const slack = Math.max(1e-6, row.length * 4.8e-7);
  if (!(Math.abs(sum - 1) <= slack)) return { index: 0, value: sum, detail: `entries summing to ${sum}` };
  return null;
});

/** Exactly one 1 and zeros elsewhere on the last axis. */
export const oneHot = rowwise('one_hot', 'one-hot over the last axis (a single 1, zeros elsewhere)', true, (row) => {
  let ones = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (v !== 0 && v !== 1) return { index: i, value: v, detail: 'an entry that is neither 0 nor 1' };
    ones += v;
  }
  if (ones !== 1) return { index: 0, value: ones, detail: `${ones} ones` };
  return null;
});

/**
 * `base` applied elementwise, with the rightmost `reinterpretedBatchNdims` axes treated as one
 * event (torch's constraints.independent): Independent(Normal) has support independent(real, 1).
 */
export function independent(base: Constraint, reinterpretedBatchNdims: number): Constraint {
  return {
    name: `independent(${base.name}, ${reinterpretedBatchNdims})`,
    description: base.description,
    eventDim: base.eventDim + reinterpretedBatchNdims,
    isDiscrete: base.isDiscrete,
    base,
    check: (values, shape) => base.check(values, shape),
  };
}

/** The real vectors (eventDim 1): the logits of a Categorical. */
export const realVector = independent(real, 1);
