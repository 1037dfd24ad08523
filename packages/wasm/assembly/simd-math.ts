// Vectorised f32x4 log / exp / log1p building blocks shared by the kernels.
//
// Polynomial coefficients are near-minimax fits (iteratively reweighted least squares on Chebyshev
// nodes, rounded to f32) made for this code; each table quotes its fit error. Evaluation is in f32
// with Estrin's scheme (wasm SIMD has no fused multiply-add).
//
// Lane constants live in data segments and are broadcast where used with `v128.load32_splat`
// (one vbroadcastss). Written as `v128.const`, V8's x64 backend (Node 20) rebuilds each constant
// inside the loop on every iteration with three instructions and spills them under register
// pressure, which cost lgamma a third of its throughput.

/** Broadcast the f32 (or i32) constant stored at `addr` to all four lanes. */
@inline export function k(addr: usize): v128 {
  return v128.load32_splat(addr);
}

/** Coefficient of x^i of a degree-`deg` polynomial stored highest degree first at t, broadcast. */
@inline function coef(t: usize, deg: i32, i: i32): v128 {
  return v128.load32_splat(t + (<usize>(deg - i) << 2));
}

/** a_i + a_(i+1)·x (just a_i when i = deg). */
@inline function pair(x: v128, t: usize, deg: i32, i: i32): v128 {
  return i < deg ? f32x4.add(f32x4.mul(coef(t, deg, i + 1), x), coef(t, deg, i)) : coef(t, deg, i);
}

/**
 * Polynomial a_deg·x^deg + … + a_0 with coefficients stored highest degree first at table t,
 * deg <= 7 (a compile-time constant at every call site, so the untaken branches fold away).
 * Estrin's scheme: (a0 + a1·x) + x²·(a2 + a3·x) + x⁴·((a4 + a5·x) + x²·(a6 + a7·x)); same work as
 * Horner but a dependency chain of ~log2(deg) multiply-add steps instead of deg.
 */
@inline export function poly(x: v128, t: usize, deg: i32): v128 {
  if (deg < 2) return pair(x, t, deg, 0);
  const x2 = f32x4.mul(x, x);
  const lo = f32x4.add(pair(x, t, deg, 0), f32x4.mul(x2, pair(x, t, deg, 2)));
  if (deg < 4) return lo;
  const x4 = f32x4.mul(x2, x2);
  const hi = deg < 6 ? pair(x, t, deg, 4) : f32x4.add(pair(x, t, deg, 4), f32x4.mul(x2, pair(x, t, deg, 6)));
  return f32x4.add(lo, f32x4.mul(x4, hi));
}

export const INF: f32 = Infinity;

// shared lane constants
export const ZERO = f32x4.splat(0.0); // v128.const 0 is a single vpxor in V8, no table needed
export const C_ONE = memory.data<f32>([1.0]);
export const C_HALF = memory.data<f32>([0.5]);
export const C_TWO = memory.data<f32>([2.0]);
export const C_INF = memory.data<f32>([Infinity]);
export const C_NEG_INF = memory.data<f32>([-Infinity]);
export const C_NAN = memory.data<i32>([0x7fc00000]);

// ---- natural logarithm -----------------------------------------------------------------------------

const C_MIN_NORMAL = memory.data<f32>([1.17549435e-38]); // 2^-126
const C_TWO_24 = memory.data<f32>([16777216.0]);
const C_I24 = memory.data<i32>([24]);
const C_SQRT_HALF_BITS = memory.data<i32>([0x3f3504f3]); // bits of √½
const C_LN2_HI = memory.data<f32>([0.693145751953125]); // ln 2 with 9 trailing zero bits
const C_LN2_LO = memory.data<f32>([1.4286068e-6]); // ln 2 − LN2_HI
/** log1p(f) = f − f²/2 + f³·P(f) on [√½−1, √2−1]; P degree 6, relative error 3.1e-8. */
const LOG_P = memory.data<f32>([
  0.08700435, -0.14267486, 0.14914769, -0.16577585, 0.19963063, -0.25001338, 0.3333391,
]);

/**
 * log(x) for x > 0, finite (subnormals included). Other inputs give some finite value (+inf gives
 * 128·ln2, +0 gives −151·ln2): callers that can see 0, negatives, inf or NaN use `logFull`.
 *
 * Reduction: x = m·2^k with m in [√½, √2). Subtracting bits(√½) = 0x3f3504f3 from bits(x) makes the
 * exponent field equal floor(log2(x/√½)), so k = (bits − 0x3f3504f3) >> 23 (arithmetic shift) and
 * bits(m) = bits(x) − (k << 23). Subnormal x is first scaled by 2^24 (exact).
 * log(m) = log1p(f), f = m − 1 in [−0.2929, 0.4142] (exact by Sterbenz), then
 * log(x) = k·ln2_hi + (log1p(f) + k·ln2_lo), where k·ln2_hi is exact.
 */
@inline export function logPos(x: v128): v128 {
  const sub = f32x4.lt(x, k(C_MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, k(C_TWO_24)), x, sub);
  const kraw = i32x4.shr_s(i32x4.sub(xs, k(C_SQRT_HALF_BITS)), 23);
  const ki = i32x4.sub(kraw, v128.and(sub, k(C_I24)));
  const f = f32x4.sub(i32x4.sub(xs, i32x4.shl(kraw, 23)), k(C_ONE));
  const kf = f32x4.convert_i32x4_s(ki);
  const f2 = f32x4.mul(f, f);
  // f³·P − f²/2 + k·ln2_lo, then + f, then + k·ln2_hi (smallest terms first)
  let r = f32x4.sub(f32x4.mul(f32x4.mul(f2, f), poly(f, LOG_P, 6)), f32x4.mul(f2, k(C_HALF)));
  r = f32x4.add(r, f32x4.mul(kf, k(C_LN2_LO)));
  r = f32x4.add(r, f);
  return f32x4.add(r, f32x4.mul(kf, k(C_LN2_HI)));
}

/** IEEE log: log(±0) = −inf, log(x<0) = NaN, log(+inf) = +inf, log(NaN) = NaN. */
@inline export function logFull(x: v128): v128 {
  const l = logPos(x);
  const inf = k(C_INF);
  const ok = v128.and(f32x4.gt(x, ZERO), f32x4.lt(x, inf));
  // not ok: 0 → −inf, +inf → +inf, negative or NaN → NaN
  const special = v128.bitselect(
    k(C_NEG_INF),
    v128.bitselect(inf, k(C_NAN), f32x4.eq(x, inf)),
    f32x4.eq(x, ZERO),
  );
  return v128.bitselect(l, special, ok);
}

// ---- exponential -----------------------------------------------------------------------------------

const C_EXP_LO = memory.data<f32>([-104.0]);
const C_EXP_HI = memory.data<f32>([89.0]);
const C_LOG2E = memory.data<f32>([1.44269504]);
const C_MAGIC = memory.data<f32>([12582912.0]); // 1.5·2^23
const C_MAGIC_BITS = memory.data<i32>([0x4b400000]);
const C_I127 = memory.data<i32>([127]);
/** exp(r) = 1 + r + r²·Q(r) on |r| <= ln2/2; Q degree 4, relative error 3.1e-9. */
const EXP_Q = memory.data<f32>([0.0013814539, 0.008368745, 0.04166839, 0.16666521, 0.49999994]);

/**
 * exp(x), IEEE-correct at the edges: overflow → +inf, subnormal results kept, −inf → 0, NaN → NaN.
 *
 * n = round(x/ln2) via the 1.5·2^23 "magic add" (the integer lands in the low mantissa bits),
 * r = x − n·ln2 in [−ln2/2, ln2/2] (two-part ln2), exp(r) = 1 + r + r²·Q(r). The scale 2^n is
 * applied as two factors 2^(n>>1)·2^(n − n>>1) built from exponent bits, so it stays representable
 * from n = −150 to 128 and the final product rounds once (correct subnormals, overflow to inf).
 * x is clamped to [−104, 89] first; pmax/pmin return their first operand on NaN, so NaN passes.
 */
@inline export function expV(x0: v128): v128 {
  let x = f32x4.pmax(x0, k(C_EXP_LO));
  x = f32x4.pmin(x, k(C_EXP_HI));
  const magic = k(C_MAGIC);
  const t = f32x4.add(f32x4.mul(x, k(C_LOG2E)), magic);
  const nf = f32x4.sub(t, magic);
  const ni = i32x4.sub(t, k(C_MAGIC_BITS));
  let r = f32x4.sub(x, f32x4.mul(nf, k(C_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(nf, k(C_LN2_LO)));
  const p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(r, r), poly(r, EXP_Q, 4)), r), k(C_ONE));
  const n1 = i32x4.shr_s(ni, 1);
  const bias = k(C_I127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

// ---- log1p on [0, 1] -------------------------------------------------------------------------------

/** 2·atanh(s) = 2s·(1 + w·P(w)), w = s² in [0, 1/9]; P degree 3, error 4.6e-9. */
const ATANH_P = memory.data<f32>([0.1401257, 0.13999507, 0.20010853, 0.33333206]);
const C_QUARTER = memory.data<f32>([0.25]);

/**
 * log1p(t) for t in [0, 1] (also exact for t = +0 and subnormal t), relative error ~1 ulp.
 *
 * log1p(t) = 2·atanh(s), s = t/(2+t) in [0, 1/3]. 2s is computed as (t+t)/(2+t), which is exactly
 * t for tiny t, so log1p(e^x) ≈ e^x keeps full relative accuracy down to the smallest subnormal.
 */
@inline export function log1pUnit(t: v128): v128 {
  const s2 = f32x4.div(f32x4.add(t, t), f32x4.add(t, k(C_TWO)));
  const w = f32x4.mul(f32x4.mul(s2, s2), k(C_QUARTER));
  return f32x4.add(s2, f32x4.mul(f32x4.mul(s2, w), poly(w, ATANH_P, 3)));
}
