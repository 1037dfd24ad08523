// veloVI's likelihood of one modality (u or s) as one fused kernel: the log density of a mixture
// of four Normals per cell and gene,
//
//   log p(x) = log Σ_k exp(l_k),  l_k = w_k − ½ z_k² − log σ_k − ½ log 2π,  z_k = (x − m_k)/σ_k,
//
// σ_k = σ (per gene) for the first three states and 0.1 σ for the repression steady state, w_k the
// log mixture weights. Composed of tfjs ops this is ~50 kernels on [B, G] forward and about twice
// that backward; the kernel computes the value and every partial derivative in one pass (float64
// inside), with r_k = exp(l_k − log p) the responsibilities:
//
//   ∂/∂w_k = r_k,   ∂/∂m_k = r_k z_k / σ_k,   ∂/∂σ = (Σ_k r_k z_k² − 1) / σ,   ∂/∂x = −Σ_k ∂/∂m_k.
import { addN, customGrad, mul, neg, sum, tidy } from '@vitae/tensor';
import { defineArrayKernel, listArrayKernels, runArrayKernel } from '@vitae/tensor/kernels';

import type { Tensor } from '@vitae/tensor';
import type { ArrayKernelCall, KernelShape } from '@vitae/tensor/kernels';

export const NORMAL_MIXTURE_KERNEL = 'VitaeVeloviNormalMixture';
/** σ of the repression steady state relative to the others (velovi: 0.1). */
export const STEADY_SCALE = 0.1;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

interface MixtureAttrs {
  /** Also the partial derivatives (outputs 1..9: ∂/∂w_0..3, ∂/∂m_0..3, ∂/∂σ per element). */
  grad: boolean;
}

/**
 * Inputs x, m0..m3, w0..w3 (each [B, G]) and sd ([G], read as sd[i mod G]); outputs the log
 * density [B, G] and, with attrs.grad, the nine partials [B, G] each.
 */
export function normalMixtureJs({ inputs, outputs, attrs }: ArrayKernelCall<MixtureAttrs>): void {
  const [x, m0, m1, m2, m3, w0, w1, w2, w3, sd] = inputs as [Float32Array, ...Float32Array[]] as Float32Array[];
  const value = outputs[0] as Float32Array;
  const n = value.length;
  const g = (sd as Float32Array).length;
  const grad = attrs.grad;
  const [r0, r1, r2, r3, q0, q1, q2, q3, qs] = (grad ? outputs.slice(1) : []) as Float32Array[];
  // per gene: 1/σ and log σ (the steady state's are 10/σ and log σ + log 0.1)
  const inv = new Float64Array(g);
  const logSd = new Float64Array(g);
  for (let j = 0; j < g; j++) {
    const s = (sd as Float32Array)[j] as number;
    inv[j] = 1 / s;
    logSd[j] = Math.log(s);
  }
  const logSteady = Math.log(STEADY_SCALE);
  for (let i = 0, j = 0; i < n; i++, j = j + 1 === g ? 0 : j + 1) {
    const xi = (x as Float32Array)[i] as number;
    const iv = inv[j] as number;
    const ivSteady = iv / STEADY_SCALE;
    const c = (logSd[j] as number) + HALF_LOG_2PI;
    const z0 = (xi - ((m0 as Float32Array)[i] as number)) * iv;
    const z1 = (xi - ((m1 as Float32Array)[i] as number)) * iv;
    const z2 = (xi - ((m2 as Float32Array)[i] as number)) * iv;
    const z3 = (xi - ((m3 as Float32Array)[i] as number)) * ivSteady;
    const l0 = ((w0 as Float32Array)[i] as number) - 0.5 * z0 * z0 - c;
    const l1 = ((w1 as Float32Array)[i] as number) - 0.5 * z1 * z1 - c;
    const l2 = ((w2 as Float32Array)[i] as number) - 0.5 * z2 * z2 - c;
    const l3 = ((w3 as Float32Array)[i] as number) - 0.5 * z3 * z3 - c - logSteady;
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
      (q3 as Float32Array)[i] = p3 * z3 * ivSteady;
      (qs as Float32Array)[i] = (p0 * z0 * z0 + p1 * z1 * z1 + p2 * z2 * z2 + p3 * z3 * z3 - 1) * iv;
    }
  }
}

function ensureKernel(): void {
  if (listArrayKernels().some((k) => k.kernelName === NORMAL_MIXTURE_KERNEL)) return;
  defineArrayKernel<MixtureAttrs>(
    {
      kernelName: NORMAL_MIXTURE_KERNEL,
      inputNames: ['x', 'm0', 'm1', 'm2', 'm3', 'w0', 'w1', 'w2', 'w3', 'sd'],
      outputs: (shapes: readonly KernelShape[], attrs: MixtureAttrs) => {
        const shape = [...(shapes[0] as KernelShape)];
        return Array.from({ length: attrs.grad ? 10 : 1 }, () => ({ shape, dtype: 'float32' as const }));
      },
    },
    normalMixtureJs,
  );
}

type Four = readonly [Tensor, Tensor, Tensor, Tensor];

/**
 * log Σ_k exp(w_k) N(x; m_k, σ_k) per cell and gene: x, means m_k and log weights w_k [B, G]
 * float32, σ [G] (0.1 σ for k = 3). One kernel forward, one multiplication per input backward
 * (a sum over cells for σ). Differentiable in every argument (first order).
 */
export function normalMixtureLogProb(x: Tensor, means: Four, logWeights: Four, sd: Tensor): Tensor {
  ensureKernel();
  const inputs = (args: Tensor[]) => ({
    x: args[0] as Tensor, m0: args[1] as Tensor, m1: args[2] as Tensor, m2: args[3] as Tensor, m3: args[4] as Tensor,
    w0: args[5] as Tensor, w1: args[6] as Tensor, w2: args[7] as Tensor, w3: args[8] as Tensor, sd: args[9] as Tensor,
  });
  const fused = customGrad(((...args: unknown[]) => {
    const tensors = args.slice(0, 10) as Tensor[];
    const save = args[10] as (ts: Tensor[]) => void;
    const [value, ...partials] = runArrayKernel<MixtureAttrs>(NORMAL_MIXTURE_KERNEL, inputs(tensors), { grad: true }) as Tensor[];
    save(partials);
    return {
      value: value as Tensor,
      gradFunc: (dy: Tensor, saved: Tensor[]) => tidy(() => {
        const [r0, r1, r2, r3, q0, q1, q2, q3, qs] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
        const dm = [q0, q1, q2, q3].map((q) => mul(dy, q));
        return [
          neg(addN(dm)), ...dm,
          mul(dy, r0), mul(dy, r1), mul(dy, r2), mul(dy, r3),
          sum(mul(dy, qs), 0),
        ];
      }),
    };
  }) as unknown as Parameters<typeof customGrad>[0]);
  return (fused as unknown as (...ts: Tensor[]) => Tensor)(x, ...means, ...logWeights, sd);
}
