// What VELOVI's model methods compute from one forward pass (velovi/_model.py), as functions of
// the module and its generative outputs. velovi uses the *unclamped* switch time softplus(·)
// here (the likelihood clamps it at t_max); so do these.
//
//   velocity, 'spliced':    induction  β u(t_s ρ) − γ s(t_s ρ);  repression  β u_rep − γ s_rep;
//                           the steady states 0
//             'unspliced':  induction  α(t_s ρ) − β u(t_s ρ);    repression  −β u_rep
//   statistic 'mean':       Σ_k π_k v_k;  'max': v of the most probable state(s)
//   latent time:            induction t_s ρ;  induction steady t_s;  repression
//                           t_s + τ (t_max − t_s);  repression steady 0 ('mean': π-weighted)
//   expression fit:         the mixture means Σ_k π̂_k mean_k (π̂ = π / Σ π, as torch's mixture mean), for s and u
import * as t from '@vitae/tensor';
import { induction, repression } from './kinetics.js';

import type { Tensor } from '@vitae/tensor';
import type { GenerativeOutputs, PerState, VELOVIModule } from './module.js';

export const VELOCITY_MODES = ['spliced', 'unspliced'] as const;
/** ds/dt ('spliced', velovi's default) or du/dt ('unspliced'). */
export type VelocityMode = (typeof VELOCITY_MODES)[number];

export const STATISTICS = ['mean', 'max'] as const;
/** 'mean': the expectation over the states; 'max': the value of the most probable state. */
export type Statistic = (typeof STATISTICS)[number];

function checkChoice(fn: string, arg: string, value: unknown, choices: readonly string[]): void {
  if (!choices.includes(value as string)) throw new TypeError(`${fn}: argument '${arg}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${t.describeValue(value)}`);
}

type Pass = Pick<GenerativeOutputs, 'piStates' | 'rho' | 'tau' | 'rates'>;

/**
 * Combines per-state values [B, G] (states in STATES order) by π: the expectation, or the value of
 * the most probable state ('max'; ties add up, as velovi's (v * pi.ge(max)).sum(-1)).
 */
function combine(pi: PerState, values: PerState, statistic: Statistic): Tensor {
  const [p0, p1, p2, p3] = pi;
  if (statistic === 'mean') {
    // velovi's sum leaves the repression-steady term out (its value is 0 in every output here).
    return t.add(t.add(t.mul(p0, values[0]), t.mul(p2, values[2])), t.mul(p1, values[1]));
  }
  const top = t.maximum(t.maximum(p0, p1), t.maximum(p2, p3));
  return t.addN(pi.map((p, k) => t.mul(values[k] as Tensor, t.cast(t.greaterEqual(p, top), 'float32'))));
}

/** Velocity per cell and gene [B, G] from one pass (not yet clipped at −s). */
export function velocityOf(module: VELOVIModule, gen: Pass, mode: VelocityMode, statistic: Statistic): Tensor {
  checkChoice('velocityOf', 'mode', mode, VELOCITY_MODES);
  checkChoice('velocityOf', 'statistic', statistic, STATISTICS);
  return t.tidy(() => {
    const { gamma, beta, alpha } = gen.rates;
    const timeDep = module.timeDependence(gen.rates);
    const ts = module.switchTime({ clamp: false });
    const indTime = t.mul(ts, gen.rho);
    const at = induction(alpha, beta, gamma, ts, timeDep);
    const rep = repression(at.u, at.s, beta, gamma, t.mul(t.sub(module.options.tMax, ts), gen.tau));
    const ind = induction(alpha, beta, gamma, indTime, timeDep);
    let vInd: Tensor;
    let vRep: Tensor;
    if (mode === 'spliced') {
      vInd = t.sub(t.mul(beta, ind.u), t.mul(gamma, ind.s));
      vRep = t.sub(t.mul(beta, rep.u), t.mul(gamma, rep.s));
    } else {
      // velovi: α₁ − (α₁ − α) e^{−λ t} − β u, which is α − β u for the constant rate (α₁ = λ = 0 there).
      const { alpha1, lambdaAlpha } = gen.rates;
      const rate = t.sub(alpha1, t.mul(t.sub(alpha1, alpha), t.exp(t.mul(t.neg(lambdaAlpha), indTime))));
      vInd = t.sub(rate, t.mul(beta, ind.u));
      vRep = t.neg(t.mul(beta, rep.u));
    }
    const zeros = t.zerosLike(vInd);
    return combine(gen.piStates, [vInd, zeros, vRep, zeros], statistic);
  });
}

/** Latent time per cell and gene [B, G] from one pass. */
export function latentTimeOf(module: VELOVIModule, gen: Pass, statistic: Statistic): Tensor {
  checkChoice('latentTimeOf', 'statistic', statistic, STATISTICS);
  return t.tidy(() => {
    const ts = module.switchTime({ clamp: false });
    const indTime = t.mul(ts, gen.rho);
    const repTime = t.add(ts, t.mul(gen.tau, t.sub(module.options.tMax, ts)));
    const steady = t.broadcastTo(ts, indTime.shape);
    return combine(gen.piStates, [indTime, steady, repTime, t.zerosLike(indTime)], statistic);
  });
}

/** The fitted s(t) and u(t) per cell and gene [B, G]: the means of p(s | z) and p(u | z). */
export function expressionFitOf(gen: Pick<GenerativeOutputs, 'piStates' | 'meansS' | 'meansU'>): { s: Tensor; u: Tensor } {
  return t.tidy(() => {
    const total = t.addN(gen.piStates);
    const w = gen.piStates.map((p) => t.div(p, total));
    const fit = (means: PerState) => t.addN(means.map((m, k) => t.mul(w[k] as Tensor, m)));
    return { s: fit(gen.meansS), u: fit(gen.meansU) };
  });
}

/**
 * velovi's get_loadings for a linear decoder: per gene the weights of the latent dimensions in ρ's
 * linear layer with its batch norm folded in, diag(w / √(running_var + eps)) W, genes × nLatent
 * row-major.
 */
export function linearLoadings(module: VELOVIModule): Float32Array {
  const fn = 'linearLoadings';
  if (!module.options.linearDecoder) throw new Error(`${fn}: the module was not built with linearDecoder: true, so its decoder has no loadings`);
  const block = module.decoder.rhoFirstDecoder.blocks[0];
  if (block === undefined) throw new Error(`${fn}: the decoder has no layer`);
  const nLatent = module.options.nLatent;
  const g = module.options.nInput;
  const w = block.linear.weight.dataSync(); // [nLatent, G] (vitae's [in, out])
  const bn = block.batchNorm;
  const factor = new Float64Array(g).fill(1);
  if (bn !== null) {
    const scale = bn.weight?.dataSync();
    const runningVar = bn.runningVar.dataSync();
    for (let j = 0; j < g; j++) factor[j] = (scale === undefined ? 1 : (scale[j] as number)) / Math.sqrt((runningVar[j] as number) + bn.eps);
  }
  const out = new Float32Array(g * nLatent);
  for (let j = 0; j < g; j++) for (let d = 0; d < nLatent; d++) out[j * nLatent + d] = (factor[j] as number) * (w[d * g + j] as number);
  return out;
}
