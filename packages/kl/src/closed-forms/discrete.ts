// Closed-form KL(p || q) between two members of the same discrete family. Zero-probability
// outcomes follow the conventions 0 · log(0/q) = 0 and p · log(p/0) = +∞ (as torch).
import { broadcastShapeOf } from '@vitae/distributions';
import * as t from '@vitae/tensor';

import type { Bernoulli, Categorical, OneHotCategorical, Poisson } from '@vitae/distributions';
import type { Tensor } from '@vitae/tensor';

/** λp log(λp/λq) - λp + λq (xlogy: λp = 0 gives λq; λq = 0 < λp gives +∞). */
export function klPoissonPoisson(p: Poisson, q: Poisson): Tensor {
  return t.add(t.sub(t.sub(t.xlogy(p.rate, p.rate), t.xlogy(p.rate, q.rate)), p.rate), q.rate);
}

/**
 * p (log p - log q) + (1-p)(log(1-p) - log(1-q)) with log p = -softplus(-l), log(1-p) = -softplus(l)
 * (exact for |logits| up to the float32 range).
 */
export function klBernoulliBernoulli(p: Bernoulli, q: Bernoulli): Tensor {
  const t1 = t.mul(p.probs, t.sub(t.softplus(t.neg(q.logits)), t.softplus(t.neg(p.logits))));
  const t2 = t.mul(t.sub(1, p.probs), t.sub(t.softplus(q.logits), t.softplus(p.logits)));
  const shape = broadcastShapeOf(t1, t2);
  // Exact 0 and 1 are logits ∓∞ (probs saturate to 0 or 1 in float32 long before, at |logits| ~ 17,
  // so the tests are on the logits): p = 0 removes the first term, p = 1 the second; q at 0 or 1
  // against p inside makes the KL infinite.
  const pZero = t.broadcastTo(t.equal(p.logits, -Infinity), shape);
  const pOne = t.broadcastTo(t.equal(p.logits, Infinity), shape);
  const inf = t.fill(shape, Infinity);
  const zero = t.zeros(shape);
  const first = t.where(pZero, zero, t.where(t.broadcastTo(t.equal(q.logits, -Infinity), shape), inf, t.broadcastTo(t1, shape)));
  const second = t.where(pOne, zero, t.where(t.broadcastTo(t.equal(q.logits, Infinity), shape), inf, t.broadcastTo(t2, shape)));
  return t.add(first, second);
}

/** Σ_k p_k (log p_k - log q_k) over the last axis of the normalised logits. */
export function klCategoricalCategorical(p: Categorical | OneHotCategorical, q: Categorical | OneHotCategorical): Tensor {
  const terms = t.mul(p.probs, t.sub(p.logits, q.logits));
  const shape = terms.shape;
  const pZero = t.broadcastTo(t.equal(p.probs, 0), shape);
  const qZero = t.broadcastTo(t.equal(q.probs, 0), shape);
  const safe = t.where(pZero, t.zerosLike(terms), t.where(qZero, t.fill(shape, Infinity), terms));
  return t.sum(safe, -1);
}
