// A mixture of four Normals per element (veloVI's likelihood of u or s given z) as one kernel,
// NormalMixture: the log density
//
//   log p(x) = log Σ_k exp(l_k),  l_k = w_k − ½ z_k² − log σ_k − ½ log 2π,  z_k = (x − m_k)/σ_k,
//
// σ_k = σ (per column) for k = 0, 1, 2 and lastScale·σ for k = 3, w_k the log mixture weights,
// and every partial derivative in the same pass, with r_k = exp(l_k − log p) the responsibilities:
//
//   ∂/∂w_k = r_k,   ∂/∂m_k = r_k z_k / σ_k,   ∂/∂σ = (Σ_k r_k z_k² − 1) / σ,   ∂/∂x = −Σ_k ∂/∂m_k.
//
// The portable implementation here computes in float64; @vitae/wasm's in float32 SIMD.
import { defineArrayKernel } from '../kernels/array-kernel.js';
import { LikelihoodKernel } from './kernel-names.js';

import type { ArrayKernelCall, KernelShape } from '../kernels/array-kernel.js';
import type { NormalMixtureAttrs } from './kernel-names.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The NormalMixture kernel's portable implementation (float64 inside). */
export function normalMixtureJs({ inputs, outputs, attrs }: ArrayKernelCall<NormalMixtureAttrs>): void {
  const [x, m0, m1, m2, m3, w0, w1, w2, w3, sd] = inputs as Float32Array[] as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const value = outputs[0] as Float32Array;
  const n = value.length;
  const g = sd.length;
  const grad = attrs.grad;
  const [r0, r1, r2, r3, q0, q1, q2, q3, qs] = (grad ? outputs.slice(1) : []) as Float32Array[];
  // per column: 1/σ and log σ (the last component's are 1/(lastScale σ) and log σ + log lastScale)
  const inv = new Float64Array(g);
  const logSd = new Float64Array(g);
  for (let j = 0; j < g; j++) {
    const s = sd[j] as number;
    inv[j] = 1 / s;
    logSd[j] = Math.log(s);
  }
  const logLast = Math.log(attrs.lastScale);
  for (let i = 0, j = 0; i < n; i++, j = j + 1 === g ? 0 : j + 1) {
    const xi = x[i] as number;
    const iv = inv[j] as number;
    const ivLast = iv / attrs.lastScale;
    const c = (logSd[j] as number) + HALF_LOG_2PI;
    const z0 = (xi - (m0[i] as number)) * iv;
    const z1 = (xi - (m1[i] as number)) * iv;
    const z2 = (xi - (m2[i] as number)) * iv;
    const z3 = (xi - (m3[i] as number)) * ivLast;
    const l0 = (w0[i] as number) - 0.5 * z0 * z0 - c;
    const l1 = (w1[i] as number) - 0.5 * z1 * z1 - c;
    const l2 = (w2[i] as number) - 0.5 * z2 * z2 - c;
    const l3 = (w3[i] as number) - 0.5 * z3 * z3 - c - logLast;
    const top = Math.max(Math.max(l0, l1), Math.max(l2, l3));
    const e0 = Math.exp(l0 - top);
    const e1 = Math.exp(l1 - top);
    const e2 = Math.exp(l2 - top);
    const e3 = Math.exp(l3 - top);
    const total = e0 + e1 + e2 + e3;
    value[i] = top + Math.log(total);
    if (grad) {
      const k = 1 / total;
      const p0 = e0 * k;
      const p1 = e1 * k;
      const p2 = e2 * k;
      const p3 = e3 * k;
      (r0 as Float32Array)[i] = p0;
      (r1 as Float32Array)[i] = p1;
      (r2 as Float32Array)[i] = p2;
      (r3 as Float32Array)[i] = p3;
      (q0 as Float32Array)[i] = p0 * z0 * iv;
      (q1 as Float32Array)[i] = p1 * z1 * iv;
      (q2 as Float32Array)[i] = p2 * z2 * iv;
      (q3 as Float32Array)[i] = p3 * z3 * ivLast;
      (qs as Float32Array)[i] = (p0 * z0 * z0 + p1 * z1 * z1 + p2 * z2 * z2 + p3 * z3 * z3 - 1) * iv;
    }
  }
}

/** The NormalMixture kernel's argument checks (shapes; lastScale > 0), with errors naming the argument. */
function normalMixtureOutputs(shapes: readonly KernelShape[], attrs: NormalMixtureAttrs) {
  const name = LikelihoodKernel.NormalMixture;
  const shape = shapes[0] as KernelShape;
  const names = ['x', 'm0', 'm1', 'm2', 'm3', 'w0', 'w1', 'w2', 'w3'];
  shapes.slice(0, 9).forEach((s, i) => {
    if (s.length !== shape.length || s.some((d, a) => d !== shape[a])) {
      throw new RangeError(`${name}: input '${names[i]}' must have the shape of 'x' [${shape.join(', ')}], got [${s.join(', ')}]`);
    }
  });
  const sd = shapes[9] as KernelShape;
  const g = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
  if (sd.length !== 1 || sd[0] !== g) throw new RangeError(`${name}: input 'sd' must have shape [${g}] (the last axis of 'x'), got [${sd.join(', ')}]`);
  if (!(attrs.lastScale > 0) || attrs.lastScale === Infinity) throw new RangeError(`${name}: attribute 'lastScale' must be finite and > 0, got ${attrs.lastScale}`);
  return Array.from({ length: attrs.grad ? 10 : 1 }, () => ({ shape: [...shape], dtype: 'float32' as const }));
}

export function defineNormalMixtureKernel(): void {
  defineArrayKernel<NormalMixtureAttrs>(
    {
      kernelName: LikelihoodKernel.NormalMixture,
      inputNames: ['x', 'm0', 'm1', 'm2', 'm3', 'w0', 'w1', 'w2', 'w3', 'sd'],
      outputs: normalMixtureOutputs,
    },
    normalMixtureJs,
  );
}
