// Row-wise log-sum-exp over a row-major f32 matrix whose rows need not be 16-byte aligned.

import { k, expV, INF, C_NEG_INF } from "./simd-math";

/** The last cols % 4 entries of a row as one vector, padded with −inf (exp(−inf) = 0, max-neutral). */
@inline function tail(p: usize, rem: i32): v128 {
  let t = k(C_NEG_INF);
  if (rem > 0) t = f32x4.replace_lane(t, 0, load<f32>(p));
  if (rem > 1) t = f32x4.replace_lane(t, 1, load<f32>(p, 4));
  if (rem > 2) t = f32x4.replace_lane(t, 2, load<f32>(p, 8));
  return t;
}

/**
 * log Σ_c exp(x[c]) for one row of `cols` floats at byte address p, computed as
 *   m + log Σ_c exp(x[c] − m), m = max_c x[c]
 * (every exponent <= 0, the largest term is 1, so nothing overflows). The sum is accumulated in
 * f64 so long rows lose nothing to rounding. Special cases: cols = 0 or all −inf → −inf; any NaN →
 * NaN; otherwise any +inf → +inf.
 */
export function logSumExpRow(p: usize, cols: i32): f32 {
  if (cols <= 0) return -INF;
  const end = p + (<usize>(cols >> 2) << 4);
  const rem = cols & 3;

  // pass 1: maximum (pmax skips NaN, which is tracked separately)
  let mx = tail(end, rem);
  let nan = f32x4.ne(mx, mx);
  for (let a = p; a < end; a += 16) {
    const v = v128.load(a, 0, 1); // rows are not 16-byte aligned
    mx = f32x4.pmax(mx, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  if (v128.any_true(nan)) return NaN;
  const m = Mathf.max(
    Mathf.max(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)),
    Mathf.max(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)),
  );
  if (m == INF || m == -INF) return m;

  // pass 2: Σ exp(x − m) in two f64x2 accumulators
  const mv = f32x4.splat(m);
  let e = expV(f32x4.sub(tail(end, rem), mv));
  let acc0 = f64x2.promote_low_f32x4(e);
  let acc1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3));
  for (let a = p; a < end; a += 16) {
    e = expV(f32x4.sub(v128.load(a, 0, 1), mv));
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(e));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
  }
  const s = f64x2.add(acc0, acc1);
  const sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  return <f32>(<f64>m + Math.log(sum));
}
