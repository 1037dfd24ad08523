// The Module base: a tree of named parameters (trainable Variables), buffers (non-trainable
// state such as batch-norm running statistics) and submodules, with PyTorch's naming: a tensor's
// name is the dotted path from the root, e.g. `encoder.layers.0.linear.weight`.
//
// Ownership: a module owns its variables; `dispose()` frees them (and those of its submodules).
// `stateDict()` returns copies the caller owns; `loadStateDict()` copies values in.
import { Tensor, cast, clone, describeValue, tidy, variable } from '@vitae/tensor';
import { received } from './validate.js';

import type { NamedTensorMap , Variable} from '@vitae/tensor';

const NAME = /^[A-Za-z0-9_]+$/;

export interface LoadStateDictOptions {
  /**
   * true (default): every name of the module must be in the dict and every name in the dict
   * must belong to the module. false: load the names both have, ignore the rest.
   */
  strict?: boolean;
}

/** What `loadStateDict` did: the names it could not match (always empty when strict). */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export abstract class Module {
  private readonly ownParameters = new Map<string, Variable>();
  private readonly ownBuffers = new Map<string, Variable>();
  private readonly submodules = new Map<string, Module>();
  private trainingMode = true;
  private disposed = false;

  /** The class name, used in error messages. */
  get name(): string {
    return this.constructor.name;
  }

  /** true in training mode (dropout on, batch norm on batch statistics), false in eval mode. */
  get training(): boolean {
    return this.trainingMode;
  }

  private checkNewName(name: string): void {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new TypeError(`${this.name}: a parameter, buffer or submodule name must match ${NAME}, got ${received(name)}`);
    }
    if (this.ownParameters.has(name) || this.ownBuffers.has(name) || this.submodules.has(name)) {
      throw new Error(`${this.name}: the name '${name}' is already registered`);
    }
  }

  /** Registers a trainable parameter initialised with `value` (the module takes `value` over). */
  protected addParameter(name: string, value: Tensor): Variable {
    this.checkNewName(name);
    const v = variable(value, true);
    value.dispose();
    this.ownParameters.set(name, v);
    return v;
  }

  /** Registers non-trainable state saved in the state dict (the module takes `value` over). */
  protected addBuffer(name: string, value: Tensor): Variable {
    this.checkNewName(name);
    const v = variable(value, false);
    value.dispose();
    this.ownBuffers.set(name, v);
    return v;
  }

  /** Registers a submodule; its tensors are named `${name}.…`. */
  protected addModule<M extends Module>(name: string, module: M): M {
    this.checkNewName(name);
    if (!(module instanceof Module)) throw new TypeError(`${this.name}: submodule '${name}' must be a Module, got ${describeValue(module)}`);
    module.train(this.trainingMode);
    this.submodules.set(name, module);
    return module;
  }

  /** The direct submodules, by name. */
  children(): Array<[string, Module]> {
    return [...this.submodules];
  }

  /** Every trainable parameter with its dotted name, depth first in registration order. */
  namedParameters(prefix = ''): Array<[string, Variable]> {
    const out: Array<[string, Variable]> = [...this.ownParameters].map(([n, v]) => [prefix + n, v]);
    for (const [n, m] of this.submodules) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** Every buffer with its dotted name. */
  namedBuffers(prefix = ''): Array<[string, Variable]> {
    const out: Array<[string, Variable]> = [...this.ownBuffers].map(([n, v]) => [prefix + n, v]);
    for (const [n, m] of this.submodules) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** The trainable parameters (what an optimizer updates). */
  parameters(): Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** The number of trainable scalars. */
  parameterCount(): number {
    return this.parameters().reduce((n, v) => n + v.size, 0);
  }

  /** Sets training mode (true) or eval mode (false) on this module and every submodule. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`${this.name}.train: argument 'mode' must be a boolean, got ${received(mode)}`);
    this.trainingMode = mode;
    for (const m of this.submodules.values()) m.train(mode);
    return this;
  }

  /** Eval mode: dropout off, batch norm on its running statistics. */
  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by dotted name, as copies the caller owns (dispose them). */
  stateDict(): NamedTensorMap {
    this.checkAlive('stateDict');
    const entries = [...this.namedParameters(), ...this.namedBuffers()];
    return tidy(() => Object.fromEntries(entries.map(([n, v]) => [n, clone(v)])));
  }

  /** Copies values from `dict` (name -> tensor of the same shape); the dict stays the caller's. */
  loadStateDict(dict: NamedTensorMap, options: LoadStateDictOptions = {}): LoadStateDictResult {
    this.checkAlive('loadStateDict');
    const fn = `${this.name}.loadStateDict`;
    if (typeof dict !== 'object' || dict === null) throw new TypeError(`${fn}: argument 'dict' must be an object of name -> Tensor, got ${describeValue(dict)}`);
    const strict = options.strict ?? true;
    const targets = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    const missingKeys = [...targets.keys()].filter((n) => !(n in dict));
    const unexpectedKeys = Object.keys(dict).filter((n) => !targets.has(n));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [];
      if (missingKeys.length > 0) parts.push(`missing ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length > 0) parts.push(`unexpected ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
      throw new Error(`${fn}: the state dict does not match the module (${parts.join('; ')})`);
    }
    // Check every shape before assigning anything, so a failed load leaves the module unchanged.
    const pairs: Array<[Variable, Tensor]> = [];
    for (const [n, target] of targets) {
      const value = dict[n];
      if (value === undefined) continue;
      if (!(value instanceof Tensor) || value.isDisposed) throw new TypeError(`${fn}: entry '${n}' must be a live Tensor, got ${describeValue(value)}`);
      const same = value.shape.length === target.shape.length && value.shape.every((d, i) => d === target.shape[i]);
      if (!same) throw new RangeError(`${fn}: entry '${n}' must have shape [${target.shape.join(', ')}], got [${value.shape.join(', ')}]`);
      pairs.push([target, value]);
    }
    tidy(() => {
      for (const [target, value] of pairs) target.assign(value.dtype === target.dtype ? clone(value) : cast(value, target.dtype));
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Frees every parameter and buffer of this module and its submodules. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.ownParameters.values()) v.dispose();
    for (const v of this.ownBuffers.values()) v.dispose();
    for (const m of this.submodules.values()) m.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  protected checkAlive(method: string): void {
    if (this.disposed) throw new Error(`${this.name}.${method}: the module has been disposed`);
  }

  /** One line per parameter: name, shape, and the total (like torch's module repr, flattened). */
  summary(): string {
    const lines = this.namedParameters().map(([n, v]) => `${n} [${v.shape.join(', ')}]`);
    lines.push(`${this.parameterCount()} trainable parameters`);
    return lines.join('\n');
  }
}
