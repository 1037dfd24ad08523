// Adam and AdamW with exactly torch.optim's update (torch 1.13, single-tensor path), which
// differs from tfjs' train.adam: torch adds eps to the bias-corrected sqrt(v), applies weight
// decay (Adam: L2 added to the gradient; AdamW: decoupled shrinkage), and supports amsgrad.
//
// For a parameter p with gradient g at step t (counted from 1):
//   Adam:  g <- g + weightDecay * p                      (only if weightDecay != 0)
//   AdamW: p <- p * (1 - lr * weightDecay)               (before the Adam step)
//   m <- beta1 m + (1 - beta1) g
//   v <- beta2 v + (1 - beta2) g^2
//   vmax <- max(vmax, v)                                 (amsgrad; then vmax replaces v below)
//   p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// The update itself is @vitae/tensor's adamUpdate (one fused kernel per parameter).
import { adamUpdate } from '@vitae/tensor';
import { boolean, checkNumber, nonNegative, optionsObject, received } from '../validate.js';
import { Optimizer } from './optimizer.js';

import type { Tensor, Variable } from '@vitae/tensor';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment averages, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the bias-corrected sqrt(v) in the denominator (default 1e-8; scvi-tools uses 0.01). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Normalise by the running maximum of v (Reddi et al. 2018) (default false). */
  amsgrad?: boolean;
}

interface AdamHyper {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

function checkBetas(value: unknown, fn: string, arg: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new TypeError(`${fn}: argument '${arg}' must be an array of two numbers in [0, 1), got ${received(value)}`);
  return value.map((b, i) => checkNumber(b, fn, `${arg}[${i}]`, 'in [0, 1)', (x) => x >= 0 && x < 1)) as [number, number];
}

function checkAdamHyper(h: Record<string, unknown>, fn: string, prefix: string): Omit<AdamHyper, 'amsgrad'> {
  return {
    betas: checkBetas(h.betas, fn, `${prefix}betas`),
    eps: nonNegative(h.eps, fn, `${prefix}eps`),
    weightDecay: nonNegative(h.weightDecay, fn, `${prefix}weightDecay`),
  };
}

/** The update shared by Adam and AdamW; `decoupled` picks the weight-decay form. */
abstract class AdamCore extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  private readonly decoupled: boolean;

  protected constructor(kind: string, params: Variable[], options: AdamOptions | undefined, defaultWeightDecay: number, decoupled: boolean) {
    const o = optionsObject(options, kind);
    const amsgrad = boolean(o.amsgrad ?? false, kind, 'amsgrad');
    super(kind, params, o.lr ?? 1e-3, amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq']);
    const h = checkAdamHyper({ betas: o.betas ?? [0.9, 0.999], eps: o.eps ?? 1e-8, weightDecay: o.weightDecay ?? defaultWeightDecay }, kind, '');
    this.betas = h.betas;
    this.eps = h.eps;
    this.weightDecay = h.weightDecay;
    this.amsgrad = amsgrad;
    this.decoupled = decoupled;
  }

  protected update(param: Variable, grad: Tensor, buffers: Record<string, Variable>, step: number): void {
    const [beta1, beta2] = this.betas;
    const { lr, eps, weightDecay, decoupled } = this;
    const expAvg = buffers.expAvg as Variable;
    const expAvgSq = buffers.expAvgSq as Variable;
    const maxExpAvgSq = buffers.maxExpAvgSq;
    // One fused kernel where a fast one is installed (@vitae/wasm), else the composed ops: the
    // same float32 bits either way. Bias corrections in float64, as torch computes them in Python.
    const out = adamUpdate({ param, grad, expAvg, expAvgSq, maxExpAvgSq }, { lr, beta1, beta2, eps, weightDecay, decoupled, step });
    expAvg.assign(out.expAvg);
    expAvgSq.assign(out.expAvgSq);
    if (maxExpAvgSq !== undefined) maxExpAvgSq.assign(out.maxExpAvgSq as Tensor);
    param.assign(out.param);
  }

  protected hyperparameters(): Record<string, number | boolean | number[]> {
    return { betas: [...this.betas], eps: this.eps, weightDecay: this.weightDecay, amsgrad: this.amsgrad };
  }

  protected checkHyperparameters(h: Record<string, unknown>, fn: string): () => void {
    const checked = checkAdamHyper(h, fn, 'hyperparameters.');
    if (h.amsgrad !== this.amsgrad) throw new Error(`${fn}: the state dict has amsgrad ${String(h.amsgrad)}, this optimizer has amsgrad ${this.amsgrad}`);
    return () => Object.assign(this, checked);
  }
}

/**
 * torch.optim.Adam: weight decay is an L2 penalty added to the gradient.
 * scvi-tools trains with `new Adam(params, { lr: 1e-3, eps: 0.01, weightDecay: 1e-6 })`.
 */
export class Adam extends AdamCore {
  constructor(params: Variable[], options?: AdamOptions) {
    super('Adam', params, options, 0, false);
  }
}

/**
 * torch.optim.AdamW: decoupled weight decay (Loshchilov & Hutter), p <- p (1 - lr wd) before
 * the Adam step; default weightDecay 1e-2. veloVI trains with `{ lr: 1e-2, weightDecay: 1e-2 }`.
 */
export class AdamW extends AdamCore {
  constructor(params: Variable[], options?: AdamOptions) {
    super('AdamW', params, options, 1e-2, true);
  }
}
