// The continuous Bernoulli's closed forms as functions of the logits l, in float32 without the
// cancellations of the textbook formulas (Loaiza-Ganem & Cunningham 2019).
//
// With λ = sigmoid(l) and a = l / 2:
//   density        p(x) = C(λ) λ^x (1 − λ)^(1−x) on [0, 1]
//   normalizer     C = 2 artanh(1 − 2λ) / (1 − 2λ) = l / tanh(a),  log C = log 2 + log(a / tanh a)
//   mean           E[x] = 1/2 + (coth a − 1/a) / 2                (half the Langevin function)
//   variance       Var[x] = (1/a² − 1/sinh² a) / 4
//   cdf            F(x) = expm1(l x) / expm1(l)
//   quantile       F⁻¹(u) = log1p(u expm1(l)) / l
// Each of these is 0/0 or a difference of nearly equal terms near l = 0, where torch switches to
// a Taylor series on probs ∈ (0.499, 0.501] (and there returns u itself as the quantile). Here
// the small-|a| side uses the Maclaurin series below, the rest the closed form rearranged so
// nothing overflows. Every branch is fed inputs clamped into its own range (the "double where"),
// so the unused branch cannot put NaN into the gradient.
import * as t from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

/** a where `isSmall` (|a| < the switch), else `fill`: keeps the series branch's input small. */
function inside(a: Tensor, isSmall: Tensor, fill: number): Tensor {
  return t.where(isSmall, a, t.fill(a.shape, fill));
}

/** |a| where not `isSmall`, else `limit` (the switch): keeps the closed form's input away from 0. */
function outside(absA: Tensor, isSmall: Tensor, limit: number): Tensor {
  return t.where(isSmall, t.fill(absA.shape, limit), absA);
}

/** Horner: c0 + c1 y + c2 y² + … */
function poly(y: Tensor, coefficients: readonly number[]): Tensor {
  let acc: Tensor = t.scalar(coefficients[coefficients.length - 1] as number);
  for (let i = coefficients.length - 2; i >= 0; i--) acc = t.add(t.mul(acc, y), coefficients[i] as number);
  return acc;
}

// log(a / tanh a) = a²/3 − 7a⁴/90 + 62a⁶/2835 − 127a⁸/18900 + …; the first omitted term is
// 2e-3 a¹⁰ (2e-8 at |a| = 0.3, the switch point).
const LOG_A_COTH_A = [0, 1 / 3, -7 / 90, 62 / 2835, -127 / 18900];
const LOG_NORM_SWITCH = 0.3;

/** log C(l) = log 2 + log(a / tanh a). */
export function logNormalizer(logits: Tensor): Tensor {
  return t.tidy(() => {
    const a = t.mul(logits, 0.5);
    const absA = t.abs(a);
    const isSmall = t.less(absA, LOG_NORM_SWITCH);
    const series = poly(t.square(inside(a, isSmall, 0)), LOG_A_COTH_A);
    // log |a| − log tanh |a|, with log tanh b = log1p(−e^(−2b)) − log1p(e^(−2b))
    const b = outside(absA, isSmall, LOG_NORM_SWITCH);
    const q = t.exp(t.mul(b, -2));
    const closed = t.sub(t.log(b), t.sub(t.log1p(t.neg(q)), t.log1p(q)));
    return t.add(t.where(isSmall, series, closed), Math.LN2);
  });
}

// coth a − 1/a = a/3 − a³/45 + 2a⁵/945 − a⁷/4725 + 2a⁹/93555 − …; omitted term < 2e-9 at 0.5.
const LANGEVIN_OVER_A = [1 / 3, -1 / 45, 2 / 945, -1 / 4725, 2 / 93555];
const MEAN_SWITCH = 0.5;

/** E[x] = 1/2 + (coth a − 1/a) / 2. */
export function mean(logits: Tensor): Tensor {
  return t.tidy(() => {
    const a = t.mul(logits, 0.5);
    const absA = t.abs(a);
    const isSmall = t.less(absA, MEAN_SWITCH);
    const small = inside(a, isSmall, 0);
    const series = t.mul(small, poly(t.square(small), LANGEVIN_OVER_A));
    // coth b = (1 + e^(−2b)) / (1 − e^(−2b)) = (2 + m) / (−m) with m = expm1(−2b), b = |a|;
    // the Langevin function is odd.
    const b = outside(absA, isSmall, MEAN_SWITCH);
    const m = t.expm1(t.mul(b, -2));
    const closed = t.mul(t.sign(a), t.sub(t.div(t.add(m, 2), t.neg(m)), t.reciprocal(b)));
    return t.add(t.mul(t.where(isSmall, series, closed), 0.5), 0.5);
  });
}

// sinh b − b = b³/3! + b⁵/5! + … + b¹⁵/15! for b < 2 (the next term is 4e-9 of the sum at b = 2),
// written as b³ (1/3! + b²/5! + …).
const SINH_MINUS_X_OVER_X3 = [1 / 6, 1 / 120, 1 / 5040, 1 / 362880, 1 / 39916800, 1 / 6227020800, 1 / 1307674368000];
const VARIANCE_SWITCH = 2;
// 1/a² − 1/sinh² a = 1/3 − a²/15 + …: only where a² itself would underflow the products below.
const VARIANCE_TINY = 1e-4;

/**
 * Var[x] = (1/a² − 1/sinh² a) / 4, as (sinh b − b)(sinh b + b) / (4 b² sinh² b) for b = |a| < 2
 * (sinh b − b from its series: no cancellation) and (1 − (b / sinh b)²) / (4 b²) above, with
 * b / sinh b = 2b e^(−b) / (1 − e^(−2b)) so that nothing overflows.
 */
export function variance(logits: Tensor): Tensor {
  return t.tidy(() => {
    const absA = t.abs(t.mul(logits, 0.5));
    const isTiny = t.less(absA, VARIANCE_TINY);
    const isSmall = t.less(absA, VARIANCE_SWITCH);
    const tiny = t.square(inside(absA, isTiny, 0));
    const taylor = t.sub(1 / 12, t.div(tiny, 60));
    const mid = t.where(isTiny, t.fill(absA.shape, VARIANCE_TINY), inside(absA, isSmall, 1));
    const b2 = t.square(mid);
    const sinhMinus = t.mul(t.mul(b2, mid), poly(b2, SINH_MINUS_X_OVER_X3));
    const sinhB = t.add(sinhMinus, mid);
    const series = t.div(t.mul(sinhMinus, t.add(sinhB, mid)), t.mul(t.mul(b2, t.square(sinhB)), 4));
    const big = outside(absA, isSmall, VARIANCE_SWITCH);
    const ratio = t.div(t.mul(t.mul(big, 2), t.exp(t.neg(big))), t.neg(t.expm1(t.mul(big, -2))));
    const closed = t.div(t.sub(1, t.square(ratio)), t.mul(t.square(big), 4));
    return t.where(isTiny, taylor, t.where(isSmall, series, closed));
  });
}

// Below this |l| the cdf and the quantile are their first-order expansions in l,
// x − l x (1 − x) / 2 and u + l u (1 − u) / 2 (the next terms are O(l²) = 1e-14), which also
// carry the gradient with respect to l through l = 0.
const LINEAR_SWITCH = 1e-7;

/**
 * F(x) = expm1(l x) / expm1(l) for l < 0, and for l > 0 the same with x → 1 − x mirrored,
 * F(x) = 1 − expm1(−l (1 − x)) / expm1(−l), so that only expm1 of non-positive numbers appears.
 */
export function cdf(logits: Tensor, x: Tensor): Tensor {
  return t.tidy(() => {
    const absL = t.abs(logits);
    const isLinear = t.less(absL, LINEAR_SWITCH);
    const negL = t.neg(outside(absL, isLinear, LINEAR_SWITCH));
    const xc = t.clipByValue(x, 0, 1);
    const positive = t.greater(logits, 0);
    const y = t.where(positive, t.sub(1, xc), xc); // the mirrored argument when l > 0
    const ratio = t.div(t.expm1(t.mul(negL, y)), t.expm1(negL));
    const curved = t.where(positive, t.sub(1, ratio), ratio);
    const linear = t.sub(xc, t.mul(t.mul(logits, 0.5), t.mul(xc, t.sub(1, xc))));
    return t.where(isLinear, t.broadcastTo(linear, curved.shape), curved);
  });
}

/**
 * F⁻¹(u) = log1p(u expm1(l)) / l for l < 0 and 1 + log1p((1 − u) expm1(−l)) / l for l > 0: the
 * same mirror, so expm1 never overflows and log1p's argument stays in (−1, 0].
 */
export function quantile(logits: Tensor, u: Tensor): Tensor {
  return t.tidy(() => {
    const isLinear = t.less(t.abs(logits), LINEAR_SWITCH);
    const safeL = t.where(isLinear, t.fill(logits.shape, -LINEAR_SWITCH), logits);
    const negAbs = t.neg(t.abs(safeL));
    const positive = t.greater(safeL, 0);
    const v = t.where(positive, t.sub(1, u), u);
    const logTerm = t.div(t.log1p(t.mul(v, t.expm1(negAbs))), safeL);
    const curved = t.where(positive, t.add(logTerm, 1), logTerm);
    const linear = t.add(u, t.mul(t.mul(logits, 0.5), t.mul(u, t.sub(1, u))));
    return t.where(isLinear, t.broadcastTo(linear, curved.shape), curved);
  });
}
