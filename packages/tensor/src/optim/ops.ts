// adamUpdate: one torch.optim.Adam / AdamW step of one parameter, as one fused kernel where a
// fast implementation runs it, else as the composed ops (composed.ts). Both give the same float32
// bits. Measured on scVI's parameters (~0.78M floats; @vitae/wasm's bench/adam.bench.ts): the
// SIMD kernel takes 1/6–1/9 of the composed ops' time on the wasm backend; the portable JS kernel
// (adam-js.ts) is ~2x slower than the composed ops on the wasm backend, 7–9x faster on cpu.
import * as tf from '#tfjs';
import { describe } from '../backend.js';
import { arrayKernelProvider, runArrayKernel } from '../kernels/array-kernel.js';
import { composedAdamUpdate } from './composed.js';
import { OptimizerKernel } from './kernel-names.js';

import type { Tensor } from '#tfjs';
import type { AdamUpdateAttrs } from './kernel-names.js';

/** A parameter, its gradient and its Adam state (maxExpAvgSq with amsgrad), all float32 of one shape. */
export interface AdamUpdateInputs {
  param: Tensor;
  grad: Tensor;
  expAvg: Tensor;
  expAvgSq: Tensor;
  maxExpAvgSq?: Tensor;
}

/** The updated parameter and state: new tensors the caller owns (maxExpAvgSq with amsgrad). */
export interface AdamUpdateOutputs {
  param: Tensor;
  expAvg: Tensor;
  expAvgSq: Tensor;
  maxExpAvgSq?: Tensor;
}

const FN = 'adamUpdate';

function checkInputs(inputs: AdamUpdateInputs): Tensor[] {
  if (typeof inputs !== 'object' || inputs === null) throw new TypeError(`${FN}: argument 'inputs' must be an object of tensors, got ${describe(inputs)}`);
  const names: (keyof AdamUpdateInputs)[] = ['param', 'grad', 'expAvg', 'expAvgSq', ...(inputs.maxExpAvgSq === undefined ? [] : (['maxExpAvgSq'] as const))];
  const tensors = names.map((name) => {
    const t: unknown = inputs[name];
    if (!(t instanceof tf.Tensor)) throw new TypeError(`${FN}: argument '${name}' must be a Tensor, got ${describe(t)}`);
    if (t.isDisposed) throw new Error(`${FN}: argument '${name}' is a disposed Tensor`);
    if (t.dtype !== 'float32') throw new TypeError(`${FN}: argument '${name}' must have dtype float32, got ${describe(t)}`);
    return t;
  });
  const shape = (tensors[0] as Tensor).shape;
  tensors.forEach((t, i) => {
    if (!tf.util.arraysEqual(t.shape, shape)) {
      throw new RangeError(`${FN}: argument '${names[i]}' must have the shape of 'param', [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
    }
  });
  return tensors;
}

function checkAttrs(attrs: AdamUpdateAttrs): AdamUpdateAttrs {
  if (typeof attrs !== 'object' || attrs === null) throw new TypeError(`${FN}: argument 'attrs' must be an object, got ${describe(attrs)}`);
  const number = (name: keyof AdamUpdateAttrs, constraint: string, ok: (x: number) => boolean) => {
    const x: unknown = attrs[name];
    if (typeof x !== 'number' || !ok(x)) throw new RangeError(`${FN}: argument 'attrs.${name}' must be ${constraint}, got ${describe(x)}`);
    return x;
  };
  const finiteNonNegative = (x: number) => Number.isFinite(x) && x >= 0;
  const unit = (x: number) => x >= 0 && x < 1;
  if (typeof attrs.decoupled !== 'boolean') throw new TypeError(`${FN}: argument 'attrs.decoupled' must be a boolean, got ${describe(attrs.decoupled)}`);
  return {
    lr: number('lr', 'a finite number >= 0', finiteNonNegative),
    beta1: number('beta1', 'in [0, 1)', unit),
    beta2: number('beta2', 'in [0, 1)', unit),
    eps: number('eps', 'a finite number >= 0', finiteNonNegative),
    weightDecay: number('weightDecay', 'a finite number >= 0', finiteNonNegative),
    decoupled: attrs.decoupled,
    step: number('step', 'an integer >= 1', (x) => Number.isSafeInteger(x) && x >= 1),
  };
}

/** The fused kernel where it is fast: a native implementation installed, or the cpu backend. */
function useKernel(): boolean {
  return arrayKernelProvider(OptimizerKernel.AdamUpdate) !== 'js' || tf.getBackend() === 'cpu';
}

/**
 * One Adam (decoupled: false) or AdamW (decoupled: true) update with torch.optim's algorithm
 * (torch 1.13, single-tensor path), for the parameter's `step`-th update (t from 1):
 *
 *     Adam:  g ← g + wd·p            AdamW: p ← p·(1 − lr·wd)      (only if wd != 0)
 *     m ← β1·m + (1 − β1)·g
 *     v ← β2·v + (1 − β2)·g²
 *     vmax ← max(vmax, v)                                          (amsgrad: maxExpAvgSq given;
 *                                                                    vmax replaces v below)
 *     p ← p − (m / (√v / √(1 − β2ᵗ) + eps))·lr / (1 − β1ᵗ)
 *
 * Every operation is rounded to float32 in this order, with the scalars computed in float64
 * first (adam-scalars.ts). Returns new tensors; the inputs are left as they are. Not
 * differentiable.
 */
export function adamUpdate(inputs: AdamUpdateInputs, attrs: AdamUpdateAttrs): AdamUpdateOutputs {
  const [param, grad, expAvg, expAvgSq, maxExpAvgSq] = checkInputs(inputs) as [Tensor, Tensor, Tensor, Tensor, Tensor?];
  const checked = checkAttrs(attrs);
  let out: Tensor[];
  if (useKernel()) {
    const named: Record<string, Tensor> = { param, grad, expAvg, expAvgSq };
    if (maxExpAvgSq !== undefined) named.maxExpAvgSq = maxExpAvgSq;
    const kernelName = maxExpAvgSq === undefined ? OptimizerKernel.AdamUpdate : OptimizerKernel.AmsgradUpdate;
    out = runArrayKernel<AdamUpdateAttrs>(kernelName, named, checked) as Tensor[];
  } else {
    out = composedAdamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, checked);
  }
  const [p, m, v, vmax] = out as [Tensor, Tensor, Tensor, Tensor?];
  return vmax === undefined ? { param: p, expAvg: m, expAvgSq: v } : { param: p, expAvg: m, expAvgSq: v, maxExpAvgSq: vmax };
}
