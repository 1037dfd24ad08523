// The NB / ZINB log-likelihoods of scvi-tools (log_nb_positive, log_zinb_positive) and their
// partial derivatives in float64: the portable implementation behind the JS kernels and the
// reference for the SIMD kernels of @vitae/wasm.
//
// With A = θ + ε, M = μ + ε, R = θ + μ + ε, and the differences of logs written as log1p of a
// ratio (log(θ + ε) − log(θ + μ + ε) = −log1p(μ/A), log(μ + ε) − log(θ + μ + ε) = −log1p(θ/M)):
//   NB     = −θ·log1p(μ/A) − x·log1p(θ/M) + log Γ(x + θ) − log Γ(θ) − log Γ(x + 1)
//   ∂/∂μ   = x/M − (θ + x)/R = θ·(x − M)/(M·R)
//   ∂/∂θ   = −log1p(μ/A) + θ/A − (θ + x)/R + ψ(x + θ) − ψ(θ)
//          = −log1p(μ/A) + (θ·μ/A − x)/R + ψ(x + θ) − ψ(θ)
//   ∂/∂x   = −log1p(θ/M) + ψ(x + θ) − ψ(x + 1)   (not computed here: see ops.ts)
// ZINB with zero-inflation logits π (scvi-tools' case split at x < ε):
//   x ≥ ε: NB(x) − softplus(π)                     ∂/∂π = −σ(π), ∂/∂μ and ∂/∂θ as NB
//   x < ε: softplus(u) − softplus(−π), u = −π + NB(0) = −π − θ·log1p(μ/A)
//          ∂/∂π = σ(−π) − σ(u), ∂/∂μ = σ(u)·(−θ/R), ∂/∂θ = σ(u)·(θ·μ/(A·R) − log1p(μ/A))
// (the nonzero case uses −softplus(−π) − π = −softplus(π); for the zero case see softplusDifference).
import { digammaScalar, lgammaScalar, log1pExpScalar } from '../special/scalar.js';

/** Index of each quantity in the array `countLikelihoodScalar` fills. */
export const VALUE = 0;
export const D_MU = 1;
export const D_THETA = 2;
export const D_PI = 3;

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * softplus(u) − softplus(v) for u = v + d, as [max(u, 0) − max(v, 0)] + [log1p(e^−|u|) − log1p(e^−|v|)]
 * with the first bracket = d when u, v ≥ 0 (exact for π = −∞, where u = v = ∞).
 */
function softplusDifference(u: number, v: number, d: number): number {
  const hi = u >= 0 && v >= 0 ? d : Math.max(u, 0) - Math.max(v, 0);
  return hi + (Math.log1p(Math.exp(-Math.abs(u))) - Math.log1p(Math.exp(-Math.abs(v))));
}

/**
 * Fills out[VALUE] with log NB(x; μ, θ) (`pi` null) or log ZINB(x; μ, θ, π), and, when `grad`,
 * out[D_MU], out[D_THETA] (and out[D_PI] for ZINB) with its partial derivatives.
 */
export function countLikelihoodScalar(out: Float64Array, grad: boolean, x: number, mu: number, theta: number, pi: number | null, eps: number): void {
  const zero = pi !== null && x < eps;
  const xc = zero ? 0 : x; // the zero case of ZINB is NB at x = 0 underneath
  const a = theta + eps;
  const m = mu + eps;
  const r = theta + mu + eps;
  const la = Math.log1p(mu / a);
  const counts = xc !== 0; // at x = 0 the log Γ and ψ differences vanish exactly
  const nb = -theta * la - (counts ? xc * Math.log1p(theta / m) + lgammaScalar(xc + 1) - lgammaScalar(xc + theta) + lgammaScalar(theta) : 0);
  let dMu = 0;
  let dTheta = 0;
  if (grad) {
    dMu = (theta * (xc - m)) / (m * r);
    dTheta = -la + ((theta * mu) / a - xc) / r + (counts ? digammaScalar(xc + theta) - digammaScalar(theta) : 0);
  }
  if (pi === null) {
    out[VALUE] = nb;
    out[D_MU] = dMu;
    out[D_THETA] = dTheta;
    return;
  }
  if (!zero) {
    out[VALUE] = nb - log1pExpScalar(pi);
    out[D_MU] = dMu;
    out[D_THETA] = dTheta;
    out[D_PI] = grad ? -sigmoid(pi) : 0;
    return;
  }
  out[VALUE] = softplusDifference(-pi + nb, -pi, nb);
  const s = sigmoid(-pi + nb);
  out[D_MU] = s * dMu;
  out[D_THETA] = s * dTheta;
  out[D_PI] = grad ? sigmoid(-pi) - s : 0;
}

/** log NB(x; mean μ, inverse dispersion θ) in float64 (scvi-tools' log_nb_positive). */
export function logNbScalar(x: number, mu: number, theta: number, eps = 1e-8): number {
  const out = new Float64Array(4);
  countLikelihoodScalar(out, false, x, mu, theta, null, eps);
  return out[VALUE] as number;
}

/** log ZINB(x; μ, θ, zero-inflation logits π) in float64 (scvi-tools' log_zinb_positive). */
export function logZinbScalar(x: number, mu: number, theta: number, pi: number, eps = 1e-8): number {
  const out = new Float64Array(4);
  countLikelihoodScalar(out, false, x, mu, theta, pi, eps);
  return out[VALUE] as number;
}
