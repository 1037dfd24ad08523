// The Distribution base class: the contract of torch.distributions / TFP / NumPyro in TypeScript.
//
// - Shapes: a sample has shape sampleShape ++ batchShape ++ eventShape; logProb(value) has
//   shape broadcast(value's batch part, batchShape) (event axes are summed).
// - Constraints are data on the class (`static argConstraints`, `support`), checked here when
//   `validateArgs` is on (the default; `Distribution.setDefaultValidateArgs(false)` or
//   `{ validateArgs: false }` turns it off for speed in training loops).
// - Randomness is explicit: sample / rsample take `{ seed }`.
// - Memory: a distribution owns the tensors it creates (from numbers, or by broadcasting) and
//   frees them in `dispose()`; it never disposes tensors the caller passed in. Inside `tidy`
//   everything it made is freed with the scope. Methods return tensors the caller owns.
import * as t from '@vitae/tensor';
import { formatIndex, formatShape, shapesEqual, tryBroadcastShapes } from './shapes.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from './constraints.js';

export interface DistributionOptions {
  /** Check parameters at construction and values in logProb (default: the global default, true). */
  validateArgs?: boolean;
}

export interface SampleOptions {
  /** An integer in [0, 2^53): the same seed gives the same sample. */
  seed: number;
}

let defaultValidateArgs = true;

/** Parameters converted to float32 tensors broadcast to one batch shape (see `prepareParams`). */
export interface PreparedParams {
  tensors: Record<string, Tensor>;
  batchShape: number[];
  /** Tensors created here (owned by the distribution); the caller's own tensors are not listed. */
  created: Tensor[];
}

/**
 * Converts `inputs` to float32 tensors and broadcasts their batch parts (all axes but the last
 * `eventRanks[name]`) to a common batch shape. Errors name `fn`, the argument and the shapes.
 */
export function prepareParams(fn: string, inputs: Record<string, TensorInput>, eventRanks: Record<string, number> = {}): PreparedParams {
  const created: Tensor[] = [];
  try {
    const raw: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(inputs)) {
      const tensor = t.toFloatTensor(value, fn, name);
      if (tensor !== value) created.push(tensor);
      const er = eventRanks[name] ?? 0;
      if (tensor.rank < er) {
        throw new RangeError(`${fn}: argument '${name}' must have at least ${er} dimension(s), got shape ${formatShape(tensor.shape)}`);
      }
      raw[name] = tensor;
    }
    const batchParts = Object.entries(raw).map(([name, x]) => [name, x.shape.slice(0, x.rank - (eventRanks[name] ?? 0))] as const);
    const batchShape = tryBroadcastShapes(...batchParts.map(([, s]) => s));
    if (batchShape === null) {
      const parts = batchParts.map(([name, s]) => `'${name}' ${formatShape(s)}`).join(', ');
      throw new RangeError(`${fn}: the batch shapes of ${parts} do not broadcast`);
    }
    const tensors: Record<string, Tensor> = {};
    for (const [name, x] of Object.entries(raw)) {
      const er = eventRanks[name] ?? 0;
      const target = [...batchShape, ...x.shape.slice(x.rank - er)];
      if (shapesEqual(x.shape, target)) {
        tensors[name] = x;
      } else {
        const b = t.broadcastTo(x, target);
        created.push(b);
        tensors[name] = b;
      }
    }
    return { tensors, batchShape, created };
  } catch (error) {
    t.dispose(created);
    throw error;
  }
}

/** Throws unless `x` satisfies `constraint`, naming `fn`, `arg`, the constraint and the first offending value. */
export function checkConstraint(fn: string, arg: string, x: Tensor, constraint: Constraint): void {
  const values = x.dataSync();
  const bad = constraint.check(values, x.shape);
  if (bad === null) return;
  const where = x.rank === 0 ? '' : ` at index ${formatIndex(bad.index, x.shape)}`;
  const got = bad.detail ? `${bad.detail}${where}` : `${bad.value}${where}`;
  throw new RangeError(`${fn}: argument '${arg}' must be ${constraint.description} (constraint ${constraint.name}), got ${got}`);
}

export abstract class Distribution {
  /** The constraint each parameter must satisfy (data on the class, as torch's arg_constraints). */
  static readonly argConstraints: Readonly<Record<string, Constraint>> = {};

  /** Turn validation on or off for distributions built without an explicit `validateArgs`. */
  static setDefaultValidateArgs(value: boolean): void {
    if (typeof value !== 'boolean') throw new TypeError(`Distribution.setDefaultValidateArgs: argument 'value' must be a boolean, got ${t.describeValue(value)}`);
    defaultValidateArgs = value;
  }

  static get defaultValidateArgs(): boolean {
    return defaultValidateArgs;
  }

  readonly batchShape: readonly number[];
  readonly eventShape: readonly number[];
  readonly validateArgs: boolean;
  private readonly owned: Array<Tensor | Distribution> = [];

  protected constructor(batchShape: readonly number[], eventShape: readonly number[], options: DistributionOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${new.target.name}: argument 'options' must be an object, got ${t.describeValue(options)}`);
    }
    this.batchShape = Object.freeze([...batchShape]);
    this.eventShape = Object.freeze([...eventShape]);
    this.validateArgs = options.validateArgs ?? defaultValidateArgs;
  }

  /** The family's name, used in error messages. */
  get name(): string {
    return this.constructor.name;
  }

  get argConstraints(): Readonly<Record<string, Constraint>> {
    return (this.constructor as typeof Distribution).argConstraints;
  }

  /** The set samples lie in (and logProb's argument must lie in when validating). */
  abstract get support(): Constraint;

  /** Whether `rsample` is available (pathwise-differentiable samples). */
  get hasRsample(): boolean {
    return false;
  }

  /** Takes ownership of tensors the constructor created, and validates the parameters. */
  protected adopt(prepared: PreparedParams, checked: Record<string, Tensor> = prepared.tensors): void {
    this.owned.push(...prepared.created);
    if (!this.validateArgs) return;
    try {
      const constraints = this.argConstraints;
      for (const [arg, x] of Object.entries(checked)) {
        const c = constraints[arg];
        if (c) checkConstraint(this.name, arg, x, c);
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Records tensors (or inner distributions) this distribution owns, freed by `dispose`. */
  protected own<T extends Tensor | Distribution>(x: T): T {
    this.owned.push(x);
    return x;
  }

  /** sampleShape ++ batchShape ++ eventShape. */
  extendedShape(sampleShape: readonly number[] = []): number[] {
    return [...sampleShape, ...this.batchShape, ...this.eventShape];
  }

  /**
   * Draws samples of shape sampleShape ++ batchShape ++ eventShape, without gradients.
   * `sample({ seed })` is short for `sample([], { seed })`.
   */
  sample(sampleShape: readonly number[] | SampleOptions, options?: SampleOptions): Tensor {
    const [shape, seed] = this.sampleArgs('sample', sampleShape, options);
    return t.tidy(() => this.sampleImpl(shape, seed));
  }

  /** Pathwise-differentiable samples (reparameterization trick); only where `hasRsample`. */
  rsample(sampleShape: readonly number[] | SampleOptions, options?: SampleOptions): Tensor {
    if (!this.hasRsample) {
      throw new Error(`${this.name}.rsample: ${this.name} has no reparameterized sampler (hasRsample is false); use sample(), which gives no gradients`);
    }
    const [shape, seed] = this.sampleArgs('rsample', sampleShape, options);
    return t.tidy(() => this.rsampleImpl(shape, seed));
  }

  private sampleArgs(method: string, sampleShape: readonly number[] | SampleOptions, options?: SampleOptions): [number[], number] {
    let shape: unknown = sampleShape;
    let opts: unknown = options;
    if (!Array.isArray(sampleShape) && options === undefined) {
      shape = [];
      opts = sampleShape;
    }
    t.assertShape(shape, `${this.name}.${method}`, 'sampleShape');
    if (typeof opts !== 'object' || opts === null || !('seed' in opts)) {
      throw new TypeError(`${this.name}.${method}: argument 'options' must be an object with a 'seed', got ${t.describeValue(opts)}`);
    }
    const seed = (opts as SampleOptions).seed;
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 53) {
      throw new RangeError(`${this.name}.${method}: option 'seed' must be an integer in [0, 2^53), got ${t.describeValue(seed)}`);
    }
    return [[...(shape as number[])], seed];
  }

  /** Default: a reparameterized sample with the gradient stopped. */
  protected sampleImpl(shape: number[], seed: number): Tensor {
    if (!this.hasRsample) throw new Error(`${this.name}.sample: not implemented`);
    return t.stopGradient(this.rsampleImpl(shape, seed));
  }

  protected rsampleImpl(_shape: number[], _seed: number): Tensor {
    throw new Error(`${this.name}.rsample: not implemented`);
  }

  /** log density (or mass) of `value`; shape broadcast(value's batch part, batchShape). */
  logProb(value: TensorInput): Tensor {
    const fn = `${this.name}.logProb`;
    return t.tidy(() => {
      const x = t.toFloatTensor(value, fn, 'value');
      if (this.validateArgs) this.validateSample(fn, x);
      return this.logProbImpl(x);
    });
  }

  protected abstract logProbImpl(value: Tensor): Tensor;

  /** Checks that `x` has the event shape, broadcasts with the batch shape, and lies in the support. */
  protected validateSample(fn: string, x: Tensor): void {
    this.validateValueShape(fn, x);
    checkConstraint(fn, 'value', x, this.support);
  }

  /** Checks that `x` ends with the event shape and its batch part broadcasts with the batch shape. */
  protected validateValueShape(fn: string, x: Tensor): void {
    const er = this.eventShape.length;
    const eventPart = x.shape.slice(x.rank - er);
    if (x.rank < er || !shapesEqual(eventPart, this.eventShape)) {
      throw new RangeError(`${fn}: argument 'value' must end with the event shape ${formatShape(this.eventShape)}, got shape ${formatShape(x.shape)}`);
    }
    if (tryBroadcastShapes(x.shape.slice(0, x.rank - er), this.batchShape) === null) {
      throw new RangeError(
        `${fn}: argument 'value' of shape ${formatShape(x.shape)} does not broadcast with batchShape ++ eventShape ${formatShape(this.extendedShape())}`,
      );
    }
  }

  /** The mean, shape batchShape ++ eventShape. */
  get mean(): Tensor {
    throw new Error(`${this.name}: the mean has no closed form`);
  }

  /** The variance, shape batchShape ++ eventShape. */
  get variance(): Tensor {
    throw new Error(`${this.name}: the variance has no closed form`);
  }

  /** sqrt(variance). */
  get stddev(): Tensor {
    return t.tidy(() => t.sqrt(this.variance));
  }

  /** The (differential) entropy, shape batchShape. */
  entropy(): Tensor {
    throw new Error(`${this.name}.entropy: no closed form`);
  }

  /** P(X <= value), where the family defines it. */
  cdf(_value: TensorInput): Tensor {
    throw new Error(`${this.name}.cdf: not implemented`);
  }

  /**
   * The same distribution with parameters broadcast to `batchShape` (torch's expand): each
   * existing batch axis must be 1 or equal to the new one.
   */
  abstract expand(batchShape: readonly number[]): Distribution;

  /** Validates `batchShape` for `expand`. */
  protected checkExpandShape(batchShape: unknown): number[] {
    t.assertShape(batchShape, `${this.name}.expand`, 'batchShape');
    const b = tryBroadcastShapes(this.batchShape, batchShape);
    if (b === null || !shapesEqual(b, batchShape)) {
      throw new RangeError(`${this.name}.expand: cannot expand batch shape ${formatShape(this.batchShape)} to ${formatShape(batchShape)}`);
    }
    return [...batchShape];
  }

  /** Frees the tensors this distribution created. Safe to call more than once. */
  dispose(): void {
    for (const x of this.owned) x.dispose();
    this.owned.length = 0;
  }

  toString(): string {
    return `${this.name}(batchShape=${formatShape(this.batchShape)}, eventShape=${formatShape(this.eventShape)})`;
  }
}

/**
 * Hands `tensors` (made by the caller for `d`, e.g. expanded parameters) to `d`, which frees
 * them in `dispose()`. Internal to the package.
 */
export function handOver<D extends Distribution>(d: D, tensors: Array<Tensor | Distribution>): D {
  (d as unknown as { owned: Array<Tensor | Distribution> }).owned.push(...tensors);
  return d;
}

/** Broadcasts `x` (shape batch ++ tail) to `batchShape` ++ tail. */
export function expandTo(x: Tensor, batchShape: readonly number[], tailRank = 0): Tensor {
  const target = [...batchShape, ...x.shape.slice(x.rank - tailRank)];
  return shapesEqual(x.shape, target) ? t.clone(x) : t.broadcastTo(x, target);
}
