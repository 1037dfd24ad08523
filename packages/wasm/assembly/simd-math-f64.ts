// f64x2 building blocks (log B needs f64: its pieces cancel far beyond f32 precision).
// Constants are broadcast from data segments for the same reason as in simd-math.ts.

/** Broadcast the f64 (or i64) constant stored at `addr` to both lanes. */
@inline export function kd(addr: usize): v128 {
  return v128.load64_splat(addr);
}

export const D_ONE = memory.data<f64>([1.0]);
export const D_HALF = memory.data<f64>([0.5]);
export const D_TWO = memory.data<f64>([2.0]);

/**
 * atanh(s)/s = 1 + w·P(w), w = s² in [0, 1/9] (|s| <= 1/3); P degree 6, near-minimax,
 * absolute error 7.2e-14 (Taylor: P = 1/3 + w/5 + w²/7 + …).
 */
export const ATANH_P64 = memory.data<f64>([
  0.10008194968650035, 0.07046509895025774, 0.09153101338490582, 0.11107869408617048,
  0.14285803993380153, 0.19999998827547572, 0.33333333338506305,
]);

/** P(w) of ATANH_P64 (Estrin). */
@inline export function atanhP(w: v128): v128 {
  const t = ATANH_P64;
  const w2 = f64x2.mul(w, w);
  const p01 = f64x2.add(f64x2.mul(v128.load64_splat(t, 40), w), v128.load64_splat(t, 48));
  const p23 = f64x2.add(f64x2.mul(v128.load64_splat(t, 24), w), v128.load64_splat(t, 32));
  const p45 = f64x2.add(f64x2.mul(v128.load64_splat(t, 8), w), v128.load64_splat(t, 16));
  const lo = f64x2.add(p01, f64x2.mul(w2, p23));
  const hi = f64x2.add(p45, f64x2.mul(w2, v128.load64_splat(t)));
  return f64x2.add(lo, f64x2.mul(f64x2.mul(w2, w2), hi));
}

const SQRT_HALF_BITS = memory.data<i64>([0x3fe6a09e667f3bcd]); // bits of √½
const EXP_BIAS_1024 = memory.data<i64>([0x4000000000000000]); // 1024 << 52
const D_1024 = memory.data<f64>([1024.0]);
const D_LN2 = memory.data<f64>([0.6931471805599453]);

/**
 * log(x) for positive, finite, normal f64 lanes, relative error ~1e-15.
 * x = m·2^k with m in [√½, √2): d = bits(x) − bits(√½) + (1024 << 52) is non-negative, its top bits
 * are k + 1024 (logical shift, no 64-bit arithmetic shift needed), bits(m) = bits(x) − (k << 52).
 * log m = 2·atanh(s), s = (m−1)/(m+1) = f/(2+f) with f = m − 1, |s| <= 0.1716.
 */
@inline export function logD(x: v128): v128 {
  const kb = i64x2.shr_u(i64x2.add(i64x2.sub(x, kd(SQRT_HALF_BITS)), kd(EXP_BIAS_1024)), 52);
  const m = i64x2.add(i64x2.sub(x, i64x2.shl(kb, 52)), kd(EXP_BIAS_1024));
  const kf = f64x2.sub(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(kb, kb, 0, 2, 0, 2)), kd(D_1024));
  const f = f64x2.sub(m, kd(D_ONE));
  const s = f64x2.div(f, f64x2.add(f, kd(D_TWO)));
  const s2 = f64x2.add(s, s);
  const w = f64x2.mul(s, s);
  const lm = f64x2.add(s2, f64x2.mul(f64x2.mul(s2, w), atanhP(w)));
  return f64x2.add(f64x2.mul(kf, kd(D_LN2)), lm);
}
