// veloVI's whole likelihood of one minibatch as two kernels, KineticMixture (the value) and
// KineticMixtureGrad (every partial derivative, the value recomputed): per cell and gene,
//
//   induction    t₁ = t_s ρ        u₁ = A (1 − e^{−βt₁}),  s₁ = C (1 − e^{−γt₁}) + D (e^{−γt₁} − e^{−βt₁})
//   steady       u₂ = A,  s₂ = C
//   repression   t₃ = (t_max − t_s) τ   u₃ = u₀ e^{−βt₃},  s₃ = s₀ e^{−γt₃} − E (e^{−γt₃} − e^{−βt₃})
//   off          u₄ = s₄ = 0
//   A = α/β, C = α/γ, h = 1/(γ − β + ε), D = α h, E = β u₀ h   (veloVI's closed-form kinetics)
//
//   weights      p_k = π_k / Σπ, c_k = clamp(p_k, ε_p, 1 − ε_p), w_k = log c_k − log Σ c
//                (torch's Categorical(probs = π) inside MixtureSameFamily)
//   value        log Σ_k e^{w_k} N(u; u_k, σ_u,k) + log Σ_k e^{w_k} N(s; s_k, σ_s,k)
//                (σ_·,k = σ for the first three states, lastScale · σ for the fourth)
//
// Inputs: ρ, τ, u, s [B, G], π [B, G, 4], and per gene [G]: α, β, γ, t_s, u₀, s₀, σ_u, σ_s. The
// gradient kernel also takes dy [B, G] and returns ∂/∂ρ, ∂/∂τ [B, G], ∂/∂π [B, G, 4] and the
// per-gene partials summed over cells, [8, G] (rows in the input order α, β, γ, t_s, u₀, s₀,
// σ_u, σ_s). The chain rule, with a_k = ∂L/∂u_k, b_k = ∂L/∂s_k from the mixtures
// (∂ log p/∂m_k = r_k z_k / σ_k, r_k the responsibilities) and g_k = ∂L/∂w_k = dy (r_k^u + r_k^s):
//
//   ∂/∂t₁ = a₁ α e^{−βt₁} + b₁ (α e^{−γt₁} + D (β e^{−βt₁} − γ e^{−γt₁}))
//   ∂/∂t₃ = −a₃ β u₀ e^{−βt₃} + b₃ (−γ s₀ e^{−γt₃} + E (γ e^{−γt₃} − β e^{−βt₃}))
//   ∂/∂ρ = t_s ∂/∂t₁,  ∂/∂τ = (t_max − t_s) ∂/∂t₃,  ∂/∂t_s = Σ_cells ρ ∂/∂t₁ − τ ∂/∂t₃
//   ∂/∂c_k = g_k / c_k − Σg / Σc,  ∂/∂p_k = ∂/∂c_k where ε_p <= p_k <= 1 − ε_p (else 0),
//   ∂/∂π_k = (∂/∂p_k − Σ_j p_j ∂/∂p_j) / Σπ
//   and the rates' partials written out in `geneTerms` below.
//
// The portable implementation here computes in float64; @vitae/wasm's in float32 SIMD.
import { defineArrayKernel } from '../kernels/array-kernel.js';
import { LikelihoodKernel } from './kernel-names.js';

import type { ArrayKernelCall, KernelShape } from '../kernels/array-kernel.js';
import type { KineticMixtureAttrs } from './kernel-names.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The per-gene inputs, in the order of the kernels' inputs and of the gradient's rows. */
export const KINETIC_GENE_INPUTS = ['alpha', 'beta', 'gamma', 'switchTime', 'u0', 's0', 'sdU', 'sdS'] as const;
const CELL_INPUTS = ['rho', 'tau', 'pi', 'u', 's'] as const;

/** One mixture's log density and, when wanted, r_k z_k / σ_k (into dm) and (Σ r_k z_k² − 1)/σ. */
function mixture(x: number, m: readonly number[], w: readonly number[], iv: number, c: number, ivLast: number, logLast: number, dm: number[] | null, r: number[] | null): { value: number; dSd: number } {
  const z = [(x - (m[0] as number)) * iv, (x - (m[1] as number)) * iv, (x - (m[2] as number)) * iv, (x - (m[3] as number)) * ivLast];
  const l = z.map((zk, k) => (w[k] as number) - 0.5 * zk * zk - c - (k === 3 ? logLast : 0));
  const top = Math.max(...l);
  const e = l.map((lk) => Math.exp(lk - top));
  const total = (e[0] as number) + (e[1] as number) + (e[2] as number) + (e[3] as number);
  const value = top + Math.log(total);
  if (dm === null || r === null) return { value, dSd: 0 };
  let zz = 0;
  for (let k = 0; k < 4; k++) {
    const rk = (e[k] as number) / total;
    const zk = z[k] as number;
    r[k] = rk;
    dm[k] = rk * zk * (k === 3 ? ivLast : iv);
    zz += rk * zk * zk;
  }
  return { value, dSd: (zz - 1) * iv };
}

/** Both kernels' portable implementation (float64 inside): the gradient when the call has dy. */
export function kineticMixtureJs({ inputs, outputs, attrs }: ArrayKernelCall<KineticMixtureAttrs>): void {
  const [rho, tau, pi, xu, xs, alpha, beta, gamma, ts, u0, s0, sdU, sdS] = inputs as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const grad = inputs.length === 14;
  const dy = (grad ? inputs[13] : rho) as Float32Array;
  const g = alpha.length;
  const n = rho.length;
  const { tMax, eps, lastScale, probsEps } = attrs;
  const logLast = Math.log(lastScale);
  const [value, dRho, dTau, dPi, dGenes] = grad ? [null, ...outputs] : [outputs[0], null, null, null, null];
  if (dGenes) (dGenes as Float32Array).fill(0);
  // per-gene accumulators in float64, copied into dGenes at the end
  const acc = grad ? Array.from({ length: 8 }, () => new Float64Array(g)) : [];
  const means = [0, 0, 0, 0];
  const meansS = [0, 0, 0, 0];
  const w = [0, 0, 0, 0];
  const c = [0, 0, 0, 0];
  const p = [0, 0, 0, 0];
  const dmU = [0, 0, 0, 0];
  const dmS = [0, 0, 0, 0];
  const rU = [0, 0, 0, 0];
  const rS = [0, 0, 0, 0];
  for (let i = 0, j = 0; i < n; i++, j = j + 1 === g ? 0 : j + 1) {
    const a = alpha[j] as number;
    const b = beta[j] as number;
    const ga = gamma[j] as number;
    const tsj = ts[j] as number;
    const u0j = u0[j] as number;
    const s0j = s0[j] as number;
    const A = a / b;
    const C = a / ga;
    const h = 1 / (ga - b + eps);
    const D = a * h;
    const E = b * u0j * h;
    const t1 = tsj * (rho[i] as number);
    const t3 = (tMax - tsj) * (tau[i] as number);
    const eB1 = Math.exp(-b * t1);
    const eG1 = Math.exp(-ga * t1);
    const eB3 = Math.exp(-b * t3);
    const eG3 = Math.exp(-ga * t3);
    means[0] = A * (1 - eB1);
    meansS[0] = C * (1 - eG1) + D * (eG1 - eB1);
    means[1] = A;
    meansS[1] = C;
    means[2] = u0j * eB3;
    meansS[2] = s0j * eG3 - E * (eG3 - eB3);
    means[3] = 0;
    meansS[3] = 0;
    let total = 0;
    for (let k = 0; k < 4; k++) total += pi[4 * i + k] as number;
    let cTotal = 0;
    for (let k = 0; k < 4; k++) {
      p[k] = (pi[4 * i + k] as number) / total;
      c[k] = Math.min(Math.max(p[k] as number, probsEps), 1 - probsEps);
      cTotal += c[k] as number;
    }
    const logCTotal = Math.log(cTotal);
    for (let k = 0; k < 4; k++) w[k] = Math.log(c[k] as number) - logCTotal;
    const ivU = 1 / (sdU[j] as number);
    const ivS = 1 / (sdS[j] as number);
    const cU = Math.log(sdU[j] as number) + HALF_LOG_2PI;
    const cS = Math.log(sdS[j] as number) + HALF_LOG_2PI;
    const mu = mixture(xu[i] as number, means, w, ivU, cU, ivU / lastScale, logLast, grad ? dmU : null, grad ? rU : null);
    const ms = mixture(xs[i] as number, meansS, w, ivS, cS, ivS / lastScale, logLast, grad ? dmS : null, grad ? rS : null);
    if (!grad) {
      (value as Float32Array)[i] = mu.value + ms.value;
      continue;
    }
    const d = dy[i] as number;
    // mixture weights → π
    let gSum = 0;
    let pDot = 0;
    const dP = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) gSum += d * ((rU[k] as number) + (rS[k] as number));
    for (let k = 0; k < 4; k++) {
      const pk = p[k] as number;
      const inside = pk >= probsEps && pk <= 1 - probsEps;
      dP[k] = inside ? (d * ((rU[k] as number) + (rS[k] as number))) / (c[k] as number) - gSum / cTotal : 0;
      pDot += pk * (dP[k] as number);
    }
    for (let k = 0; k < 4; k++) (dPi as Float32Array)[4 * i + k] = ((dP[k] as number) - pDot) / total;
    // means → kinetics; state k's mean partials are dy · ∂ log p/∂m_k
    const a1 = d * (dmU[0] as number);
    const b1 = d * (dmS[0] as number);
    const a2 = d * (dmU[1] as number);
    const b2 = d * (dmS[1] as number);
    const a3 = d * (dmU[2] as number);
    const b3 = d * (dmS[2] as number);
    const dT1 = a1 * a * eB1 + b1 * (a * eG1 + D * (b * eB1 - ga * eG1));
    const dT3 = -a3 * b * u0j * eB3 + b3 * (-ga * s0j * eG3 + E * (ga * eG3 - b * eB3));
    (dRho as Float32Array)[i] = tsj * dT1;
    (dTau as Float32Array)[i] = (tMax - tsj) * dT3;
    geneTerms(acc, j, { b, ga, A, C, h, D, E, u0j, s0j, t1, t3, eB1, eG1, eB3, eG3, a1, b1, a2, b2, a3, b3 });
    addTo(acc, 3, j, (rho[i] as number) * dT1 - (tau[i] as number) * dT3);
    addTo(acc, 6, j, d * mu.dSd);
    addTo(acc, 7, j, d * ms.dSd);
  }
  if (dGenes) for (let r = 0; r < 8; r++) (dGenes as Float32Array).set(acc[r] as Float64Array, r * g);
}

/** acc[row][j] += v. */
function addTo(acc: Float64Array[], row: number, j: number, v: number): void {
  const a = acc[row] as Float64Array;
  a[j] = (a[j] as number) + v;
}

interface Terms {
  b: number; ga: number; A: number; C: number; h: number; D: number; E: number; u0j: number; s0j: number;
  t1: number; t3: number; eB1: number; eG1: number; eB3: number; eG3: number;
  a1: number; b1: number; a2: number; b2: number; a3: number; b3: number;
}

/**
 * The partials of one cell's means with respect to α, β, γ, u₀, s₀ (rows 0, 1, 2, 4, 5 of acc):
 *   ∂u₁/∂α = (1 − e^{−βt₁})/β            ∂u₁/∂β = −A/β (1 − e^{−βt₁}) + A t₁ e^{−βt₁}
 *   ∂s₁/∂α = (1 − e^{−γt₁})/γ + h (e^{−γt₁} − e^{−βt₁})
 *   ∂s₁/∂β = D h (e^{−γt₁} − e^{−βt₁}) + D t₁ e^{−βt₁}
 *   ∂s₁/∂γ = −C/γ (1 − e^{−γt₁}) + C t₁ e^{−γt₁} − D h (e^{−γt₁} − e^{−βt₁}) − D t₁ e^{−γt₁}
 *   ∂u₂/∂α = 1/β, ∂u₂/∂β = −A/β, ∂s₂/∂α = 1/γ, ∂s₂/∂γ = −C/γ
 *   ∂u₃/∂u₀ = e^{−βt₃}, ∂u₃/∂β = −u₀ t₃ e^{−βt₃}
 *   ∂s₃/∂s₀ = e^{−γt₃}, ∂s₃/∂u₀ = −β h (e^{−γt₃} − e^{−βt₃})
 *   ∂s₃/∂β = −u₀ h (1 + β h)(e^{−γt₃} − e^{−βt₃}) − E t₃ e^{−βt₃}
 *   ∂s₃/∂γ = −s₀ t₃ e^{−γt₃} + E h (e^{−γt₃} − e^{−βt₃}) + E t₃ e^{−γt₃}
 */
function geneTerms(acc: Float64Array[], j: number, v: Terms): void {
  const { b, ga, A, C, h, D, E, u0j, s0j, t1, t3, eB1, eG1, eB3, eG3, a1, b1, a2, b2, a3, b3 } = v;
  const diff1 = eG1 - eB1;
  const diff3 = eG3 - eB3;
  addTo(acc, 0, j, a1 * (1 - eB1) / b + b1 * ((1 - eG1) / ga + h * diff1) + a2 / b + b2 / ga);
  addTo(acc, 1, j, a1 * (-A / b * (1 - eB1) + A * t1 * eB1) + b1 * (D * h * diff1 + D * t1 * eB1) - a2 * A / b
    - a3 * u0j * t3 * eB3 + b3 * (-u0j * h * (1 + b * h) * diff3 - E * t3 * eB3));
  addTo(acc, 2, j, b1 * (-C / ga * (1 - eG1) + C * t1 * eG1 - D * h * diff1 - D * t1 * eG1) - b2 * C / ga
    + b3 * (-s0j * t3 * eG3 + E * h * diff3 + E * t3 * eG3));
  addTo(acc, 4, j, a3 * eB3 - b3 * b * h * diff3);
  addTo(acc, 5, j, b3 * eG3);
}

/** Shapes: ρ, τ, u, s (and dy) [B, G], π [B, G, 4], the per-gene inputs [G]; attributes finite. */
function checkShapes(name: string, shapes: readonly KernelShape[], attrs: KineticMixtureAttrs, grad: boolean): [number, number] {
  const rho = shapes[0] as KernelShape;
  if (rho.length !== 2) throw new RangeError(`${name}: input 'rho' must have shape [cells, genes], got [${rho.join(', ')}]`);
  const [b, g] = rho as [number, number];
  const cellNames = grad ? [...CELL_INPUTS, 'dy'] : CELL_INPUTS;
  const cellAt = grad ? [0, 1, 2, 3, 4, 13] : [0, 1, 2, 3, 4];
  cellNames.forEach((input, k) => {
    const s = shapes[cellAt[k] as number] as KernelShape;
    const want = input === 'pi' ? [b, g, 4] : [b, g];
    if (s.length !== want.length || s.some((d, a) => d !== want[a])) throw new RangeError(`${name}: input '${input}' must have shape [${want.join(', ')}], got [${s.join(', ')}]`);
  });
  KINETIC_GENE_INPUTS.forEach((input, k) => {
    const s = shapes[5 + k] as KernelShape;
    if (s.length !== 1 || s[0] !== g) throw new RangeError(`${name}: input '${input}' must have shape [${g}] (one value per gene), got [${s.join(', ')}]`);
  });
  for (const key of ['tMax', 'eps', 'lastScale', 'probsEps'] as const) {
    const v = attrs[key];
    const ok = Number.isFinite(v) && (key === 'eps' || key === 'tMax' ? v >= 0 : v > 0) && (key !== 'probsEps' || v < 0.5);
    if (!ok) throw new RangeError(`${name}: attribute '${key}' must be finite and ${key === 'probsEps' ? 'in (0, 0.5)' : key === 'lastScale' ? '> 0' : '>= 0'}, got ${v}`);
  }
  return [b, g];
}

export function defineKineticMixtureKernels(): void {
  defineArrayKernel<KineticMixtureAttrs>(
    {
      kernelName: LikelihoodKernel.KineticMixture,
      inputNames: [...CELL_INPUTS, ...KINETIC_GENE_INPUTS],
      outputs: (shapes, attrs) => {
        const [b, g] = checkShapes(LikelihoodKernel.KineticMixture, shapes, attrs, false);
        return [{ shape: [b, g], dtype: 'float32' }];
      },
    },
    kineticMixtureJs,
  );
  defineArrayKernel<KineticMixtureAttrs>(
    {
      kernelName: LikelihoodKernel.KineticMixtureGrad,
      inputNames: [...CELL_INPUTS, ...KINETIC_GENE_INPUTS, 'dy'],
      outputs: (shapes, attrs) => {
        const [b, g] = checkShapes(LikelihoodKernel.KineticMixtureGrad, shapes, attrs, true);
        return [{ shape: [b, g], dtype: 'float32' }, { shape: [b, g], dtype: 'float32' }, { shape: [b, g, 4], dtype: 'float32' }, { shape: [8, g], dtype: 'float32' }];
      },
    },
    kineticMixtureJs,
  );
}
