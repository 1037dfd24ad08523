// f32x4 log Γ, ψ (digamma) and ψ' (trigamma) for x > 0.
//
// Each function is branch-free over the four lanes: the small-x and the large-x formula are both
// evaluated and merged with masks, and they share a single division (and a single log).
// Domain: x > 0. x <= 0 (−0 included) and NaN give NaN; x = +inf gives the limit.
// The *LargeV variants are the same arithmetic for vectors whose lanes are all in the large-x
// range (bit-identical results), without the small-x work.

import { k, poly, logPos, ZERO, C_ONE, C_HALF, C_TWO, C_INF, C_NEG_INF, C_NAN } from "./simd-math";

// ---- log Γ -----------------------------------------------------------------------------------------

const C_THREE = memory.data<f32>([3.0]);
const C_HALF_LOG_2PI_M_HALF = memory.data<f32>([0.4189385332]); // ½·log(2π) − ½
/** 1/Γ(1+f) = 1 + f·H(f) on [0, 1]; H degree 6, relative error 3.4e-8. */
const RGAMMA1P_H = memory.data<f32>([
  0.0022543701, -0.0018419296, -0.04850022, 0.16935225, -0.04267524, -0.65580195, 0.57721275,
]);
/**
 * Stirling remainder log Γ(z) − [(z−½)·log z − z + ½·log 2π] = Σ_j B_2j/(2j(2j−1)·z^(2j−1))
 * = 1/(12z) − 1/(360z³) + … written as q·S(q²), q = 1/z; S is a degree-2 fit of the series on
 * q² in (0, 1/9] (z >= 3), absolute error 3.2e-9.
 */
const LGAMMA_S = memory.data<f32>([0.00069671404, -0.002772727, 0.08333327]);

/**
 * Stirling for x >= 3 given q = 1/x and lq = log q = −log x:
 *   log Γ(x) = (½·log 2π − ½) + q·S(q²) − (x − ½)·(lq + 1).
 */
@inline function lgammaStirling(x: v128, q: v128, lq: v128): v128 {
  const s = f32x4.mul(q, poly(f32x4.mul(q, q), LGAMMA_S, 2));
  const t = f32x4.mul(f32x4.sub(x, k(C_HALF)), f32x4.add(lq, k(C_ONE)));
  return f32x4.sub(f32x4.add(s, k(C_HALF_LOG_2PI_M_HALF)), t);
}

/**
 * log Γ(x).
 *   x >= 3: Stirling (above).
 *   x < 3, with f = x − floor(x) and G(f) = 1/Γ(1+f):
 *     x in (0,1): 1/Γ(x) = x·G(x)            (Γ(x+1) = x·Γ(x))
 *     x in [1,2): 1/Γ(x) = G(x − 1)
 *     x in [2,3): 1/Γ(x) = G(x − 2)/(x − 1)
 *   i.e. 1/Γ(x) = G(f)·min(x, 1) / max(x − 1, 1), and log Γ(x) = −log(1/Γ(x)).
 *   Working with 1/Γ keeps the argument of the log near 1 around the zeros at x = 1 and x = 2
 *   (no cancellation) and keeps it finite down to the smallest subnormal x.
 * Large lanes get f = 0 (so G = 1) and denominator x, so the same division yields q = 1/x there and
 * the same log yields −log x. +inf needs no special case: q = 0, logPos(0) = −151·ln2, and
 * −(inf − ½)·(−151·ln2 + 1) = +inf.
 */
@inline export function lgammaV(x: v128): v128 {
  const one = k(C_ONE);
  const big = f32x4.ge(x, k(C_THREE));
  const f = v128.andnot(f32x4.sub(x, f32x4.floor(x)), big);
  const g = f32x4.add(f32x4.mul(f, poly(f, RGAMMA1P_H, 6)), one);
  const num = f32x4.mul(g, f32x4.pmin(x, one));
  const den = f32x4.pmax(f32x4.sub(x, v128.andnot(one, big)), one);
  const q = f32x4.div(num, den);
  const lq = logPos(q);
  const r = v128.bitselect(lgammaStirling(x, q, lq), f32x4.sub(ZERO, lq), big);
  return v128.bitselect(r, k(C_NAN), f32x4.gt(x, ZERO));
}

/** log Γ(x) for a vector whose lanes are all >= 3. */
@inline export function lgammaLargeV(x: v128): v128 {
  const q = f32x4.div(k(C_ONE), x);
  return lgammaStirling(x, q, logPos(q));
}

// ---- shared shift for ψ and ψ' ---------------------------------------------------------------------
//
// Lanes with x < 4 move to z = x + 4 using
//   ψ(x) = ψ(x+4) − Σ_{i=0..3} 1/(x+i),   ψ'(x) = ψ'(x+4) + Σ_{i=0..3} 1/(x+i)².
// With u = x(x+3) and u + 2 = (x+1)(x+2):
//   Σ 1/(x+i)  = N/D,  D = u(u+2),  N = D' = 2(2x+3)(u+1) = 4(x + 3/2)(u+1)
//   Σ 1/(x+i)² = (2u+9)/u² + (2u+5)/(u+2)²   (pairing 1/x² + 1/(x+3)² and 1/(x+1)² + 1/(x+2)²,
//                                              using (2x+3)² = 4u + 9)
// All terms are positive, so neither sum suffers cancellation. A single division r = 1/(z·D)
// (resp. 1/(z·D²)) yields both 1/z = D·r and the sum N·z·r. Large lanes use D = 1.

const C_FOUR = memory.data<f32>([4.0]);
const C_THREE_HALVES = memory.data<f32>([1.5]);
const C_FIVE = memory.data<f32>([5.0]);
const C_NINE = memory.data<f32>([9.0]);
const C_TWO_M64 = memory.data<f32>([5.42101086e-20]); // 2^-64
// smallest f32 x with ψ(x) > −f32max (≈ 1/f32max = 2.938737e-39, subnormal)
const C_DIGAMMA_OVERFLOW = memory.data<i32>([0x00200001]);

// ---- ψ ---------------------------------------------------------------------------------------------

/**
 * ψ(z) = log z − 1/(2z) − Σ_j B_2j/(2j·z^(2j)) = log z − q/2 − q²·T(q²) for z >= 4, q = 1/z;
 * T = 1/12 − q²/120 + … as a degree-2 fit of the series on q² in (0, 1/16], error 4.5e-10.
 */
const DIGAMMA_T = memory.data<f32>([0.0035341461, -0.008318379, 0.08333319]);

@inline function digammaTail(q: v128): v128 {
  const w = f32x4.mul(q, q);
  return f32x4.add(f32x4.mul(q, k(C_HALF)), f32x4.mul(w, poly(w, DIGAMMA_T, 2)));
}

/**
 * ψ(x) = ψ(z) − N/D (x < 4, z = x + 4) or ψ(x) (x >= 4, z = x); see the shift notes above.
 * Below 2.938737e-39, ψ(x) ≈ −1/x is beyond −f32max: −inf directly (1/(z·D) would overflow).
 */
@inline export function digammaV(x: v128): v128 {
  const big = f32x4.ge(x, k(C_FOUR));
  const one = k(C_ONE);
  const u = f32x4.mul(x, f32x4.add(x, k(C_THREE)));
  const z = f32x4.add(x, v128.andnot(k(C_FOUR), big));
  const d = v128.bitselect(one, f32x4.mul(u, f32x4.add(u, k(C_TWO))), big);
  const r = f32x4.div(one, f32x4.mul(z, d));
  const q = f32x4.mul(d, r);
  const n = f32x4.mul(f32x4.add(x, k(C_THREE_HALVES)), f32x4.add(u, one));
  const shift = v128.andnot(f32x4.mul(f32x4.mul(n, k(C_FOUR)), f32x4.mul(z, r)), big);
  let res = f32x4.sub(f32x4.sub(logPos(z), shift), digammaTail(q));
  const inf = k(C_INF);
  res = v128.bitselect(inf, res, f32x4.eq(x, inf));
  res = v128.bitselect(k(C_NEG_INF), res, f32x4.lt(x, k(C_DIGAMMA_OVERFLOW)));
  return v128.bitselect(res, k(C_NAN), f32x4.gt(x, ZERO));
}

/** ψ(x) for a vector whose lanes are all >= 4 (+inf included). */
@inline export function digammaLargeV(x: v128): v128 {
  const q = f32x4.div(k(C_ONE), x);
  const res = f32x4.sub(logPos(x), digammaTail(q));
  const inf = k(C_INF);
  return v128.bitselect(inf, res, f32x4.eq(x, inf));
}

// ---- ψ' --------------------------------------------------------------------------------------------

/**
 * ψ'(z) = 1/z + 1/(2z²) + Σ_j B_2j/z^(2j+1) = q + q²/2 + q³·V(q²) for z >= 4;
 * V = 1/6 − q²/30 + … as a degree-2 fit of the series on q² in (0, 1/16], error 5.4e-10.
 */
const TRIGAMMA_V = memory.data<f32>([0.020246992, -0.03320023, 0.16666512]);

@inline function trigammaTail(q: v128): v128 {
  const w = f32x4.mul(q, q);
  const v = f32x4.mul(f32x4.mul(q, w), poly(w, TRIGAMMA_V, 2));
  return f32x4.add(f32x4.add(v, f32x4.mul(w, k(C_HALF))), q);
}

/**
 * ψ'(x) = ψ'(z) + M/D² (x < 4, z = x + 4), M = (2u+9)(u+2)² + (2u+5)u²; ψ'(x) for x >= 4.
 * x < 2^-64 returns +inf directly (ψ'(x) > 1/x² > f32 max there, and D² would underflow).
 */
@inline export function trigammaV(x: v128): v128 {
  const big = f32x4.ge(x, k(C_FOUR));
  const one = k(C_ONE);
  const u = f32x4.mul(x, f32x4.add(x, k(C_THREE)));
  const u2 = f32x4.add(u, k(C_TWO));
  const z = f32x4.add(x, v128.andnot(k(C_FOUR), big));
  const d = f32x4.mul(u, u2);
  const d2 = v128.bitselect(one, f32x4.mul(d, d), big);
  const uu = f32x4.add(u, u);
  const m = f32x4.add(
    f32x4.mul(f32x4.add(uu, k(C_NINE)), f32x4.mul(u2, u2)),
    f32x4.mul(f32x4.add(uu, k(C_FIVE)), f32x4.mul(u, u)),
  );
  const r = f32x4.div(one, f32x4.mul(z, d2));
  const q = f32x4.mul(d2, r);
  const shift = v128.andnot(f32x4.mul(m, f32x4.mul(z, r)), big);
  let res = f32x4.add(trigammaTail(q), shift);
  res = v128.bitselect(k(C_INF), res, f32x4.lt(x, k(C_TWO_M64)));
  return v128.bitselect(res, k(C_NAN), f32x4.gt(x, ZERO));
}

/** ψ'(x) for a vector whose lanes are all >= 4 (+inf gives 1/inf = 0). */
@inline export function trigammaLargeV(x: v128): v128 {
  return trigammaTail(f32x4.div(k(C_ONE), x));
}

// ---- kernel loop -----------------------------------------------------------------------------------

export const LGAMMA = 0;
export const DIGAMMA = 1;
export const TRIGAMMA = 2;

// `fn` is a compile-time constant at every call site, so these select one formula statically.
@inline function general(fn: i32, x: v128): v128 {
  return fn == LGAMMA ? lgammaV(x) : fn == DIGAMMA ? digammaV(x) : trigammaV(x);
}

@inline function large(fn: i32, x: v128): v128 {
  return fn == LGAMMA ? lgammaLargeV(x) : fn == DIGAMMA ? digammaLargeV(x) : trigammaLargeV(x);
}

/** Start of the large-x range: 3 for log Γ, 4 for ψ and ψ'. */
@inline function largeFrom(fn: i32): v128 {
  return fn == LGAMMA ? k(C_THREE) : k(C_FOUR);
}

/**
 * out = fn(x) over `bytes` bytes (a multiple of 16). Two vectors per step give the out-of-order
 * core two independent dependency chains; when all eight lanes are in the large-x range the small-x
 * work is skipped (bit-identical results). Both vectors are loaded before either is stored, so
 * out may equal x.
 */
@inline export function gammaFamily(fn: i32, x: usize, out: usize, bytes: usize): void {
  const end = x + bytes;
  const t = largeFrom(fn);
  for (; x + 16 < end; x += 32, out += 32) {
    const a = v128.load(x);
    const b = v128.load(x, 16);
    if (i32x4.all_true(v128.and(f32x4.ge(a, t), f32x4.ge(b, t)))) {
      v128.store(out, large(fn, a));
      v128.store(out, large(fn, b), 16);
    } else {
      const ra = general(fn, a);
      const rb = general(fn, b);
      v128.store(out, ra);
      v128.store(out, rb, 16);
    }
  }
  if (x < end) {
    const a = v128.load(x);
    v128.store(out, i32x4.all_true(f32x4.ge(a, t)) ? large(fn, a) : general(fn, a));
  }
}
