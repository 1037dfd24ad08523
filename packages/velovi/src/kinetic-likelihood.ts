// veloVI's likelihood of a minibatch in two kernels: @vitae/tensor's KineticMixture computes
// log p(u | z) + log p(s | z) per cell and gene from ρ, τ, π and the per-gene rates, switch
// times and likelihood scales (the closed-form kinetics of kinetics.ts, torch's
// Categorical(probs = π) weights and the mixture of mixture.ts, in one pass), and
// KineticMixtureGrad every partial derivative in one more. Composed of tensor ops the same
// computation is ~150 kernels on [B, G] forward and as many backward. Constant α only (veloVI's
// default); the time-dependent transcription rate takes the composed path (module.ts).
import { customGrad, tidy, unstack } from '@vitae/tensor';
import { KINETIC_GENE_INPUTS, LikelihoodKernel, runArrayKernel } from '@vitae/tensor/kernels';
import { KINETICS_EPS } from './kinetics.js';
import { STEADY_SCALE } from './mixture.js';

import type { Tensor } from '@vitae/tensor';
import type { KineticMixtureAttrs } from '@vitae/tensor/kernels';

/** torch's Categorical(probs) clamps the probabilities to [eps, 1 − eps] (float32 eps) before the log. */
export const PROBS_EPS = 1.1920928955078125e-7;

/** Per gene, [G] each: the constant-α rates, the clamped switch times t_s, (u₀, s₀) = induction at t_s, σ of u and s. */
export interface KineticGeneInputs {
  alpha: Tensor;
  beta: Tensor;
  gamma: Tensor;
  switchTime: Tensor;
  u0: Tensor;
  s0: Tensor;
  sdU: Tensor;
  sdS: Tensor;
}

/**
 * log p(u | z) + log p(s | z) per cell and gene, [B, G]: ρ, τ, u, s [B, G], π [B, G, 4] (rows
 * on the simplex), the gene inputs [G]. Differentiable in ρ, τ, π and the gene inputs (not in
 * the data u, s).
 */
export function kineticMixtureLogProb(rho: Tensor, tau: Tensor, pi: Tensor, u: Tensor, s: Tensor, genes: KineticGeneInputs, tMax: number): Tensor {
  const attrs: KineticMixtureAttrs = { tMax, eps: KINETICS_EPS, lastScale: STEADY_SCALE, probsEps: PROBS_EPS };
  const named = (args: readonly Tensor[]): Record<string, Tensor> => {
    const [r, ta, p, ...perGene] = args as [Tensor, Tensor, Tensor, ...Tensor[]];
    return { rho: r, tau: ta, pi: p, u, s, ...Object.fromEntries(KINETIC_GENE_INPUTS.map((name, k) => [name, perGene[k] as Tensor])) };
  };
  const fused = customGrad(((...args: unknown[]) => {
    const tensors = args.slice(0, 3 + KINETIC_GENE_INPUTS.length) as Tensor[];
    const save = args[tensors.length] as (ts: Tensor[]) => void;
    save(tensors);
    return {
      value: runArrayKernel<KineticMixtureAttrs>(LikelihoodKernel.KineticMixture, named(tensors), attrs) as Tensor,
      gradFunc: (dy: Tensor, saved: Tensor[]) => tidy(() => {
        const [dRho, dTau, dPi, dGenes] = runArrayKernel<KineticMixtureAttrs>(LikelihoodKernel.KineticMixtureGrad, { ...named(saved), dy }, attrs) as [Tensor, Tensor, Tensor, Tensor];
        return [dRho, dTau, dPi, ...unstack(dGenes, 0)];
      }),
    };
  }) as unknown as Parameters<typeof customGrad>[0]);
  const perGene = KINETIC_GENE_INPUTS.map((name) => genes[name]);
  return (fused as unknown as (...ts: Tensor[]) => Tensor)(rho, tau, pi, ...perGene);
}
