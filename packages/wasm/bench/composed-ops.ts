// lgamma and digamma written with stock tfjs ops only (through
// @vitae/tensor's re-exports): what a user without custom kernels would write. They are the
// baseline of `pnpm bench`. (The NB / ZINB log-likelihoods composed of ops are @vitae/tensor's:
// composedLogNb / composedLogZinb of '@vitae/tensor/kernels'.)
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
