// Closed-form KL(p || q) across families: every pair torch 1.13 registers among Normal, Laplace,
// Uniform, Exponential, Gamma and Beta. All use KL(p || q) = -H(p) - E_p[log q(x)] with the
// expectation in closed form, and +∞ where p puts mass outside q's support.
import { Beta, broadcastShapeOf, Exponential, Gamma, Laplace, Normal, tryBroadcastShapes, Uniform } from '@vitae/distributions';
import * as t from '@vitae/tensor';

import type { Distribution } from '@vitae/distributions';
import type { Tensor } from '@vitae/tensor';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const EULER_GAMMA = 0.5772156649015329;

/** +∞ where `outside` holds, `value` elsewhere (shapes broadcast). */
function infWhere(outside: Tensor, value: Tensor): Tensor {
  const shape = broadcastShapeOf(outside, value);
  return t.where(t.broadcastTo(outside, shape), t.fill(shape, Infinity), t.broadcastTo(value, shape));
}

/** KL(p || q) = +∞: p has mass where q has none, for every parameter value. */
function infinite(p: Distribution, q: Distribution): Tensor {
  return t.fill(tryBroadcastShapes(p.batchShape, q.batchShape) as number[], Infinity);
}

/** E_p[log x] for the families on (0, ∞) or [0, 1] (Uniform: requires low >= 0). */
function meanLog(p: Distribution): Tensor {
  if (p instanceof Beta) return t.sub(t.digamma(p.concentration1), t.digamma(t.add(p.concentration1, p.concentration0)));
  if (p instanceof Gamma) return t.sub(t.digamma(p.concentration), t.log(p.rate));
  if (p instanceof Exponential) return t.sub(-EULER_GAMMA, t.log(p.rate));
  if (p instanceof Uniform) {
    // (h log h - l log l) / (h - l) - 1, with 0 log 0 = 0
    return t.sub(t.div(t.sub(t.xlogy(p.high, p.high), t.xlogy(p.low, p.low)), t.sub(p.high, p.low)), 1);
  }
  throw new Error(`meanLog: not available for ${p.name}`);
}

/** KL(p || Normal(μ, σ)) = -H(p) + log σ + ½ log 2π + (Var_p + (E_p - μ)²) / (2σ²). */
function againstNormal(p: Distribution, q: Normal): Tensor {
  const meanSq = t.add(p.variance, t.square(t.sub(p.mean, q.loc)));
  return t.add(t.add(t.neg(p.entropy()), t.log(q.scale)), t.add(t.div(meanSq, t.mul(t.square(q.scale), 2)), HALF_LOG_2PI));
}

/** KL(p || Exponential(λ)) = -H(p) - log λ + λ E_p[x], for p on [0, ∞). */
function againstExponential(p: Distribution, q: Exponential): Tensor {
  return t.add(t.sub(t.neg(p.entropy()), t.log(q.rate)), t.mul(q.rate, p.mean));
}

/** KL(p || Gamma(α, β)) = -H(p) - α log β + lgamma(α) - (α - 1) E_p[log x] + β E_p[x], for p on [0, ∞). */
function againstGamma(p: Distribution, q: Gamma): Tensor {
  const a = q.concentration;
  const b = q.rate;
  const logQ = t.sub(t.add(t.sub(t.mul(a, t.log(b)), t.lgamma(a)), t.mul(t.sub(a, 1), meanLog(p))), t.mul(b, p.mean));
  return t.sub(t.neg(p.entropy()), logQ);
}

export function klBetaNormal(p: Beta, q: Normal): Tensor {
  return againstNormal(p, q);
}
export function klExponentialNormal(p: Exponential, q: Normal): Tensor {
  return againstNormal(p, q);
}
export function klGammaNormal(p: Gamma, q: Normal): Tensor {
  return againstNormal(p, q);
}
export function klLaplaceNormal(p: Laplace, q: Normal): Tensor {
  return againstNormal(p, q);
}
export function klUniformNormal(p: Uniform, q: Normal): Tensor {
  return againstNormal(p, q);
}

export function klBetaExponential(p: Beta, q: Exponential): Tensor {
  return againstExponential(p, q);
}
export function klGammaExponential(p: Gamma, q: Exponential): Tensor {
  return againstExponential(p, q);
}
export function klUniformExponential(p: Uniform, q: Exponential): Tensor {
  return infWhere(t.less(p.low, 0), againstExponential(p, q));
}

export function klBetaGamma(p: Beta, q: Gamma): Tensor {
  return againstGamma(p, q);
}
export function klExponentialGamma(p: Exponential, q: Gamma): Tensor {
  return againstGamma(p, q);
}
export function klUniformGamma(p: Uniform, q: Gamma): Tensor {
  return infWhere(t.less(p.low, 0), againstGamma(p, q));
}

/** KL(Beta || Uniform(l, h)) = -H(p) + log(h - l) when [0, 1] ⊆ [l, h], else +∞. */
export function klBetaUniform(p: Beta, q: Uniform): Tensor {
  const value = t.add(t.neg(p.entropy()), t.log(t.sub(q.high, q.low)));
  return infWhere(t.logicalOr(t.greater(q.low, 0), t.less(q.high, 1)), value);
}

/**
 * KL(Uniform(l, h) || Beta(α, β)) = -log(h - l) - (α-1) E[log x] - (β-1) E[log(1-x)] + log B(α, β),
 * finite when [l, h] ⊆ [0, 1]; E[log(1-x)] = ((1-l) log(1-l) - (1-h) log(1-h)) / (h - l) - 1.
 */
export function klUniformBeta(p: Uniform, q: Beta): Tensor {
  const width = t.sub(p.high, p.low);
  const oneMinusLow = t.sub(1, p.low);
  const oneMinusHigh = t.sub(1, p.high);
  const meanLog1m = t.sub(t.div(t.sub(t.xlogy(oneMinusLow, oneMinusLow), t.xlogy(oneMinusHigh, oneMinusHigh)), width), 1);
  const logQ = t.sub(
    t.add(t.mul(t.sub(q.concentration1, 1), meanLog(p)), t.mul(t.sub(q.concentration0, 1), meanLog1m)),
    t.logBeta(q.concentration1, q.concentration0),
  );
  const value = t.sub(t.neg(t.log(width)), logQ);
  return infWhere(t.logicalOr(t.less(p.low, 0), t.greater(p.high, 1)), value);
}

/**
 * KL(Normal(μp, σp) || Laplace(μq, b)) = -H(p) + log 2b + E|x - μq| / b, with
 * E|x - μq| = σp √(2/π) exp(-d² / (2σp²)) + d erf(d / (σp √2)), d = μp - μq.
 */
export function klNormalLaplace(p: Normal, q: Laplace): Tensor {
  const d = t.sub(p.loc, q.loc);
  const z = t.div(d, p.scale);
  const meanAbs = t.add(t.mul(t.mul(p.scale, Math.sqrt(2 / Math.PI)), t.exp(t.mul(t.square(z), -0.5))), t.mul(d, t.erf(t.div(z, Math.SQRT2))));
  return t.add(t.add(t.neg(p.entropy()), t.log(t.mul(q.scale, 2))), t.div(meanAbs, q.scale));
}

/** KL(p || q) = +∞ for every parameter value: p's support is not inside q's. */
export const infiniteKL = infinite;

/** The pairs `infiniteKL` is registered for. */
export const INFINITE_CROSS = [
  [Exponential, Beta],
  [Gamma, Beta],
  [Laplace, Beta],
  [Normal, Beta],
  [Laplace, Exponential],
  [Normal, Exponential],
  [Laplace, Gamma],
  [Normal, Gamma],
  [Exponential, Uniform],
  [Gamma, Uniform],
  [Laplace, Uniform],
  [Normal, Uniform],
] as const;
