// Closed-form KL(p || q) between two members of the same continuous family, written for float32
// stability (log-ratios taken as differences of logs, log B via logBeta).
import type { Beta, Dirichlet, Exponential, Gamma, Laplace, LogNormal, Uniform } from '@vitae/distributions';
import * as t from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

/**
 * KL(N(μp, σp²) || N(μq, σq²)) = ½ (r + d² - 1 - log r), r = (σp/σq)², d = (μp - μq)/σq.
 * With q = N(0, 1) this is the VAE term -½ Σ (1 + log σ² - μ² - σ²).
 */
export function klNormalNormal(p: { loc: Tensor; scale: Tensor }, q: { loc: Tensor; scale: Tensor }): Tensor {
  const logRatio = t.mul(t.sub(t.log(p.scale), t.log(q.scale)), 2);
  const ratio = t.exp(logRatio);
  const d = t.div(t.sub(p.loc, q.loc), q.scale);
  return t.mul(t.sub(t.sub(t.add(ratio, t.square(d)), 1), logRatio), 0.5);
}

/** LogNormal is exp of a Normal, and KL is invariant under the bijection. */
export function klLogNormalLogNormal(p: LogNormal, q: LogNormal): Tensor {
  return klNormalNormal(p, q);
}

/** log(σq/σp) + |μp - μq| / σq + (σp/σq) exp(-|μp - μq| / σp) - 1. */
export function klLaplaceLaplace(p: Laplace, q: Laplace): Tensor {
  const diff = t.abs(t.sub(p.loc, q.loc));
  const logRatio = t.sub(t.log(p.scale), t.log(q.scale));
  const t3 = t.exp(t.sub(logRatio, t.div(diff, p.scale)));
  return t.sub(t.add(t.add(t.neg(logRatio), t.div(diff, q.scale)), t3), 1);
}

/** log((hq - lq) / (hp - lp)) when [lp, hp] ⊆ [lq, hq], else +∞. */
export function klUniformUniform(p: Uniform, q: Uniform): Tensor {
  const value = t.sub(t.log(t.sub(q.high, q.low)), t.log(t.sub(p.high, p.low)));
  const outside = t.logicalOr(t.less(p.low, q.low), t.greater(p.high, q.high));
  return t.where(outside, t.fill(value.shape, Infinity), value);
}

/** r - 1 - log r with r = λq / λp. */
export function klExponentialExponential(p: Exponential, q: Exponential): Tensor {
  const logRatio = t.sub(t.log(q.rate), t.log(p.rate));
  return t.sub(t.sub(t.exp(logRatio), 1), logRatio);
}

/** αq log(βp/βq) + lgamma(αq) - lgamma(αp) + (αp - αq) ψ(αp) + (βq - βp) αp / βp. */
export function klGammaGamma(p: Gamma, q: Gamma): Tensor {
  const t1 = t.mul(q.concentration, t.sub(t.log(p.rate), t.log(q.rate)));
  const t2 = t.sub(t.lgamma(q.concentration), t.lgamma(p.concentration));
  const t3 = t.mul(t.sub(p.concentration, q.concentration), t.digamma(p.concentration));
  const t4 = t.mul(t.sub(q.rate, p.rate), t.div(p.concentration, p.rate));
  return t.add(t.add(t1, t2), t.add(t3, t4));
}

/** log B(aq, bq) - log B(ap, bp) + (ap - aq) ψ(ap) + (bp - bq) ψ(bp) + (aq - ap + bq - bp) ψ(ap + bp). */
export function klBetaBeta(p: Beta, q: Beta): Tensor {
  const ap = p.concentration1;
  const bp = p.concentration0;
  const aq = q.concentration1;
  const bq = q.concentration0;
  const t1 = t.sub(t.logBeta(aq, bq), t.logBeta(ap, bp));
  const t2 = t.add(t.mul(t.sub(ap, aq), t.digamma(ap)), t.mul(t.sub(bp, bq), t.digamma(bp)));
  const t3 = t.mul(t.add(t.sub(aq, ap), t.sub(bq, bp)), t.digamma(t.add(ap, bp)));
  return t.add(t.add(t1, t2), t3);
}

/**
 * lgamma(Σαp) - lgamma(Σαq) - Σ [lgamma(αp) - lgamma(αq)] + Σ (αp - αq)(ψ(αp) - ψ(Σαp)),
 * the per-gene term of veloVI's KL(q(π) || Dirichlet(0.25, …)): @vitae/tensor's dirichletKl, fused
 * kernels with the gradients written out (tfjs' would chain a dozen kernels through lgamma and
 * digamma on [..., K]); ∂/∂αq is computed only when the prior's concentration is learned.
 */
export function klDirichletDirichlet(p: Dirichlet, q: Dirichlet): Tensor {
  return t.dirichletKl(p.concentration, q.concentration);
}
