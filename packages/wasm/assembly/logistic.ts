// Softplus-type f32x4 kernels and xlogy.

import { k, expV, log1pUnit, logFull, ZERO } from "./simd-math";

/**
 * log(1 + e^x) = max(x, 0) + log1p(e^−|x|). e^−|x| is in [0, 1], so nothing overflows, and for
 * x ≪ 0 the result is log1p(e^x) ≈ e^x with full relative accuracy (down to subnormals);
 * for x ≫ 0 it is x. +inf → +inf, −inf → 0, NaN → NaN (pmax keeps its first operand on NaN).
 */
@inline export function log1pExpV(x: v128): v128 {
  const l = log1pUnit(expV(f32x4.neg(f32x4.abs(x))));
  return f32x4.add(f32x4.pmax(x, ZERO), l);
}

/** log σ(x) = −log(1 + e^−x) = min(x, 0) − log1p(e^−|x|). */
@inline export function logSigmoidV(x: v128): v128 {
  const l = log1pUnit(expV(f32x4.neg(f32x4.abs(x))));
  return f32x4.sub(f32x4.pmin(x, ZERO), l);
}

/**
 * x·log(y) with the convention 0·log(y) = 0 for every non-NaN y (0, +inf and negatives included);
 * NaN if y is NaN; otherwise x·log(y) (negative y → NaN, y = 0 → ∓inf, as IEEE).
 */
@inline export function xlogyV(x: v128, y: v128): v128 {
  const r = f32x4.mul(x, logFull(y));
  const zero = v128.and(f32x4.eq(x, ZERO), f32x4.eq(y, y));
  return v128.andnot(r, zero);
}
