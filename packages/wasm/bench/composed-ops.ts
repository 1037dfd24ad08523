// lgamma, digamma and the NB / ZINB log-likelihoods written with stock tfjs ops only (through
// @vitae/tensor's re-exports): what a user without custom kernels would write. They are the
// baseline of `pnpm bench`.
import * as vt from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

// Lanczos approximation, g = 7, n = 9 (the coefficients of Numerical Recipes / Godfrey).
const G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0: log Γ(x) = log Γ(x + 1) - log x, then Lanczos at x + 1 >= 1. */
export function lgammaComposed(x: Tensor): Tensor {
  return vt.tidy(() => {
    const z = x; // Γ(x + 1) = z Γ(z) with z = x: Lanczos gives log Γ(z + 1) from z
    let sum = vt.scalar(LANCZOS[0] as number) as Tensor;
    for (let i = 1; i < LANCZOS.length; i++) sum = vt.add(sum, vt.div(LANCZOS[i] as number, vt.add(z, i)));
    const t = vt.add(z, G + 0.5);
    const logGammaZPlus1 = vt.add(vt.add(0.5 * Math.log(2 * Math.PI), vt.sub(vt.mul(vt.add(z, 0.5), vt.log(t)), t)), vt.log(sum));
    return vt.sub(logGammaZPlus1, vt.log(x));
  });
}

/** ψ(x) for x > 0: ψ(x) = ψ(x + 6) - Σ_{k<6} 1/(x + k), then the asymptotic series at x + 6. */
export function digammaComposed(x: Tensor): Tensor {
  return vt.tidy(() => {
    let shift = vt.zerosLike(x);
    for (let k = 0; k < 6; k++) shift = vt.add(shift, vt.reciprocal(vt.add(x, k)));
    const z = vt.add(x, 6);
    const r2 = vt.reciprocal(vt.square(z));
    // 1/12 - r2 (1/120 - r2 (1/252 - r2 / 240))
    const series = vt.mul(r2, vt.sub(1 / 12, vt.mul(r2, vt.sub(1 / 120, vt.mul(r2, vt.sub(1 / 252, vt.div(r2, 240)))))));
    return vt.sub(vt.sub(vt.sub(vt.log(z), vt.div(0.5, z)), series), shift);
  });
}

/**
 * scvi-tools' log_nb_positive written with ops, as @vitae/distributions computed it before the
 * fused kernel: the baseline of the count-likelihood bench and the reference of its tests.
 */
export function logNbComposed(x: Tensor, mu: Tensor, theta: Tensor, eps = 1e-8): Tensor {
  return vt.tidy(() => {
    const logThetaMuEps = vt.log(vt.add(vt.add(theta, mu), eps));
    return vt.add(
      vt.add(vt.mul(theta, vt.sub(vt.log(vt.add(theta, eps)), logThetaMuEps)), vt.mul(x, vt.sub(vt.log(vt.add(mu, eps)), logThetaMuEps))),
      vt.sub(vt.sub(vt.lgamma(vt.add(x, theta)), vt.lgamma(theta)), vt.lgamma(vt.add(x, 1))),
    );
  });
}

/** scvi-tools' log_zinb_positive written with ops (see logNbComposed). */
export function logZinbComposed(x: Tensor, mu: Tensor, theta: Tensor, pi: Tensor, eps = 1e-8): Tensor {
  return vt.tidy(() => {
    const softplusPi = vt.softplus(vt.neg(pi));
    const logThetaMuEps = vt.log(vt.add(vt.add(theta, mu), eps));
    const piThetaLog = vt.add(vt.neg(pi), vt.mul(theta, vt.sub(vt.log(vt.add(theta, eps)), logThetaMuEps)));
    const caseZero = vt.sub(vt.softplus(piThetaLog), softplusPi);
    const caseNonZero = vt.add(
      vt.add(vt.sub(piThetaLog, softplusPi), vt.mul(x, vt.sub(vt.log(vt.add(mu, eps)), logThetaMuEps))),
      vt.sub(vt.sub(vt.lgamma(vt.add(x, theta)), vt.lgamma(theta)), vt.lgamma(vt.add(x, 1))),
    );
    const shape = caseNonZero.shape;
    return vt.where(vt.broadcastTo(vt.less(x, eps), shape), vt.broadcastTo(caseZero, shape), caseNonZero);
  });
}
