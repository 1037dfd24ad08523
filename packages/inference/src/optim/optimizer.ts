// The common base of vitae's torch-semantics optimizers: it owns the parameter list, one step
// counter and a set of state buffers (moments, momentum) per parameter, the mutable learning
// rate, and the state dict used to resume training. Subclasses implement one parameter update.
import { Variable, describeValue, dispose, tensor, tidy, variable, zerosLike } from '@vitae/tensor';
import { nonNegative } from '../validate.js';
import { gradientsFor } from './gradients.js';

import type { Tensor } from '@vitae/tensor';
import type { GradientMap } from './gradients.js';

/** Plain-data optimizer state (numbers and typed arrays): what `loadStateDict` needs to resume. */
export interface OptimizerStateDict {
  /** The optimizer class, e.g. 'Adam'. Loading into another class is an error. */
  kind: string;
  /** lr and the other hyperparameters; loading restores them (as torch's load_state_dict does). */
  hyperparameters: Record<string, number | boolean | number[]>;
  /** One entry per parameter, in the order the optimizer was given them. */
  state: Array<{ step: number; buffers: Record<string, Float32Array | number[]> }>;
}

export abstract class Optimizer {
  /** The parameters this optimizer updates, in order. */
  readonly params: readonly Variable[];
  /** The class name used in errors and state dicts. */
  readonly kind: string;
  /** Per parameter: how many updates it has received (torch's state['step']). */
  protected readonly steps: number[];
  /** Per parameter: its state buffers by name, zero-initialised, shaped like the parameter. */
  protected readonly buffers: Array<Record<string, Variable>>;
  private currentLr: number;
  private disposed = false;

  protected constructor(kind: string, params: unknown, lr: unknown, bufferNames: readonly string[]) {
    this.kind = kind;
    this.params = checkParams(params, kind);
    this.currentLr = nonNegative(lr, kind, 'lr');
    this.steps = this.params.map(() => 0);
    this.buffers = this.params.map((p) => Object.fromEntries(bufferNames.map((name) => [name, tidy(() => variable(zerosLike(p), false))])));
  }

  /** The learning rate; assign to change it between steps (schedules, `onEpoch`). */
  get lr(): number {
    return this.currentLr;
  }

  set lr(value: number) {
    this.currentLr = nonNegative(value, this.kind, 'lr');
  }

  /**
   * Updates every parameter that has a gradient in `grads` (keyed by variable name, as
   * `variableGrads` returns them, or a Map<Variable, Tensor>); parameters without one are left
   * alone and their step counters do not advance, as torch skips params whose grad is None.
   * Gradients of other variables are ignored. The caller still owns (and disposes) `grads`.
   */
  step(grads: GradientMap): void {
    this.assertLive('step');
    const list = gradientsFor(this.params, grads, `${this.kind}.step`);
    tidy(() => {
      list.forEach((g, i) => {
        if (g === undefined) return;
        const step = (this.steps[i] as number) + 1;
        this.steps[i] = step;
        this.update(this.params[i] as Variable, g, this.buffers[i] as Record<string, Variable>, step);
      });
    });
  }

  /** The state as plain numbers and Float32Arrays (copies), for saving and resuming. */
  stateDict(): OptimizerStateDict {
    this.assertLive('stateDict');
    return {
      kind: this.kind,
      hyperparameters: { ...this.hyperparameters(), lr: this.lr },
      state: this.params.map((_, i) => ({
        step: this.steps[i] as number,
        buffers: Object.fromEntries(Object.entries(this.buffers[i] as Record<string, Variable>).map(([name, v]) => [name, Float32Array.from(v.dataSync())])),
      })),
    };
  }

  /** Restores a `stateDict()` of an optimizer of the same class over parameters of the same shapes. */
  loadStateDict(dict: OptimizerStateDict): void {
    this.assertLive('loadStateDict');
    const fn = `${this.kind}.loadStateDict`;
    if (typeof dict !== 'object' || dict === null) throw new TypeError(`${fn}: argument 'dict' must be an object from stateDict(), got ${describeValue(dict)}`);
    if (dict.kind !== this.kind) throw new Error(`${fn}: the state dict is from a ${String(dict.kind)} optimizer, not ${this.kind}`);
    if (!Array.isArray(dict.state) || dict.state.length !== this.params.length) {
      throw new Error(`${fn}: the state dict has ${Array.isArray(dict.state) ? dict.state.length : 'no'} parameter entries, this optimizer has ${this.params.length} parameters`);
    }
    // Check everything before changing anything, so a bad dict leaves the optimizer untouched.
    const { lr, ...rest } = dict.hyperparameters ?? {};
    const newLr = nonNegative(lr, fn, 'hyperparameters.lr');
    const applyHyper = this.checkHyperparameters(rest, fn);
    dict.state.forEach((entry, i) => {
      const p = this.params[i] as Variable;
      const names = Object.keys(this.buffers[i] as Record<string, Variable>);
      if (!Number.isSafeInteger(entry?.step) || entry.step < 0) throw new Error(`${fn}: state[${i}].step must be an integer >= 0, got ${describeValue(entry?.step)}`);
      const given = Object.keys(entry.buffers ?? {});
      if (given.length !== names.length || !names.every((n) => given.includes(n))) {
        throw new Error(`${fn}: state[${i}] has buffers [${given.join(', ')}], expected [${names.join(', ')}]`);
      }
      for (const n of names) {
        const values = entry.buffers[n] as Float32Array | number[];
        if (values?.length !== p.size) throw new Error(`${fn}: state[${i}].buffers.${n} has ${values?.length} values, expected ${p.size} (parameter '${p.name}' of shape [${p.shape.join(', ')}])`);
      }
    });
    this.currentLr = newLr;
    applyHyper();
    dict.state.forEach((entry, i) => {
      this.steps[i] = entry.step;
      const p = this.params[i] as Variable;
      for (const [n, v] of Object.entries(this.buffers[i] as Record<string, Variable>)) {
        tidy(() => v.assign(tensor(Float32Array.from(entry.buffers[n] as ArrayLike<number>), p.shape, 'float32')));
      }
    });
  }

  /** Frees the state buffers; the optimizer cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers) dispose(Object.values(b));
  }

  /** One parameter update, run inside tidy; `step` counts this update (1 for the first). */
  protected abstract update(param: Variable, grad: Tensor, buffers: Record<string, Variable>, step: number): void;

  /** The hyperparameters other than lr, for the state dict. */
  protected abstract hyperparameters(): Record<string, number | boolean | number[]>;

  /** Validates hyperparameters from a state dict and returns a function that applies them. */
  protected abstract checkHyperparameters(h: Record<string, unknown>, fn: string): () => void;

  private assertLive(method: string): void {
    if (this.disposed) throw new Error(`${this.kind}.${method}: the optimizer has been disposed`);
  }
}

function checkParams(params: unknown, fn: string): Variable[] {
  if (!Array.isArray(params) || params.length === 0) {
    throw new TypeError(`${fn}: argument 'params' must be a non-empty array of Variables, got ${describeValue(params)}`);
  }
  const seen = new Set<string>();
  params.forEach((p: unknown, i) => {
    if (!(p instanceof Variable)) throw new TypeError(`${fn}: argument 'params[${i}]' must be a Variable, got ${describeValue(p)}`);
    if (p.isDisposed) throw new Error(`${fn}: argument 'params[${i}]' ('${p.name}') is a disposed Variable`);
    if (p.dtype !== 'float32') throw new TypeError(`${fn}: argument 'params[${i}]' ('${p.name}') must have dtype float32, got ${p.dtype}`);
    if (seen.has(p.name)) throw new Error(`${fn}: argument 'params' lists the variable '${p.name}' twice`);
    seen.add(p.name);
  });
  return [...params] as Variable[];
}
