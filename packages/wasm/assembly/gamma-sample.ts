// Gamma(α, 1) draws, the loop of @vitae/tensor's randomGamma (src/random/ops.ts,
// standardGammaScalar) on the same xoshiro128** stream (src/random/prng.ts): Marsaglia & Tsang
// (2000) with Marsaglia's polar method for the normals, α < 1 by G(α + 1) · exp(log(U) / α). Every
// operation is the f64 operation the JavaScript performs, in its order, so the float32 draws are
// the JavaScript ones bit for bit (src/gamma-sample.test.ts checks it), given that log and exp
// return what V8's Math.log and Math.exp return: both are fdlibm's (e_log.c, e_exp.c), ported
// below in V8's operation order (V8's src/base/ieee754.cc carries the same fdlibm code); the
// test compares them with Math.log / Math.exp on millions of arguments of the sampler's ranges.
// sqrt and the integer steps are exact.
//
// Built as its own module (build/gamma-sample.wasm) that imports only its memory and has no data
// segments (src/gamma-sample-module.ts gives it a memory of its own).

import { LG1, LG2, LG3, LG4, LG5, LG6, LG7, LN2_HI, LN2_LO } from "./fdlibm-log-constants";

// fdlibm e_log.c: log(1+f) = f - hfsq + s·(hfsq + R) with s = f/(2+f), R a minimax polynomial in s².
const TWO54: f64 = 1.80143985094819840000e16;

/** Natural log, fdlibm's __ieee754_log (the same bits as V8's Math.log). */
export function log64(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity; // log(±0)
    if (hx < 0) return NaN; // log(-#)
    k -= 54;
    x *= TWO54; // subnormal: scale up
    bits = reinterpret<u64>(x);
    hx = <i32>(bits >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  // normalize x or x/2
  x = reinterpret<f64>((<u64>(<u32>(hx | (i ^ 0x3ff00000))) << 32) | (reinterpret<u64>(x) & 0xffffffff));
  k += i >> 20;
  const f = x - 1.0;
  let dk: f64;
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - r;
    dk = <f64>k;
    return dk * LN2_HI - ((r - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const r = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
}

// fdlibm e_exp.c as V8 carries it (ieee754::exp, behind Math.exp): x = k ln2 + r, |r| <= ln2/2,
// e^r by a minimax rational form in r, then scaled by 2^k.
const HUGE: f64 = 1.0e300;
const IVLN2: f64 = 1.44269504088896338700e+00;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;

@inline function highWord(d: f64): i32 {
  return <i32>(reinterpret<u64>(d) >> 32);
}
@inline function lowWord(d: f64): u32 {
  return <u32>reinterpret<u64>(d);
}

const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const U_THRESHOLD: f64 = -7.45133219101941108420e+02;
const TWOM1000: f64 = 9.33263618503218878990e-302;
const TWO1023: f64 = 8.988465674311579539e307;
const E: f64 = 2.718281828459045;

/** e^x, fdlibm's __ieee754_exp in V8's version (the same bits as V8's Math.exp). */
export function exp64(x: f64): f64 {
  let hx = <u32>highWord(x);
  const xsb = <i32>((hx >> 31) & 1);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| >= 709.78...
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) != 0) return x + x; // NaN
      return xsb == 0 ? x : 0.0; // exp(±inf) = inf, 0
    }
    if (x > O_THRESHOLD) return HUGE * HUGE;
    if (x < U_THRESHOLD) return TWOM1000 * TWOM1000;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5 ln2 (V8 returns E itself for x = 1)
      if (x == 1.0) return E;
      hi = x - (xsb == 0 ? LN2_HI : -LN2_HI);
      lo = xsb == 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(IVLN2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI; // exact
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28
    if (HUGE + x > 1.0) return 1.0 + x;
  } else {
    k = 0;
  }
  const t = x * x;
  const twopk = k >= -1021
    ? reinterpret<f64>(<u64>(<u32>(0x3ff00000 + (k << 20))) << 32)
    : reinterpret<f64>(<u64>(<u32>(0x3ff00000 + ((k + 1000) << 20))) << 32);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;
let hasSpare: bool = false;
let spare: f64 = 0;

@inline function nextUint32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** Uniform in (0, 1) with 53 random bits (Prng.nextDouble). */
@inline function nextDouble(): f64 {
  const hi = <f64>(nextUint32() >>> 5);
  const lo = <f64>(nextUint32() >>> 6);
  return (hi * 67108864.0 + lo + 0.5) / 9007199254740992.0;
}

/** A standard normal draw (Prng.nextNormal: the polar method, the second value cached). */
function nextNormal(): f64 {
  if (hasSpare) {
    hasSpare = false;
    return spare;
  }
  let u: f64;
  let v: f64;
  let s: f64;
  do {
    u = 2.0 * nextDouble() - 1.0;
    v = 2.0 * nextDouble() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const scale = Math.sqrt((-2.0 * log64(s)) / s);
  spare = v * scale;
  hasSpare = true;
  return u * scale;
}

/** Marsaglia–Tsang for α >= 1. */
function gammaAtLeastOne(alpha: f64): f64 {
  const d = alpha - 1.0 / 3.0;
  const c = 1.0 / Math.sqrt(9.0 * d);
  for (;;) {
    const x = nextNormal();
    const t = 1.0 + c * x;
    if (t <= 0.0) continue;
    const v = t * t * t;
    const u = nextDouble();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (log64(u) < 0.5 * x * x + d * (1.0 - v + log64(v))) return d * v;
  }
  return unreachable();
}

/** Starts the stream at the xoshiro128** state (w0, w1, w2, w3) with no cached normal (Prng.state()). */
export function gammaSeed(w0: u32, w1: u32, w2: u32, w3: u32): void {
  s0 = w0;
  s1 = w1;
  s2 = w2;
  s3 = w3;
  hasSpare = false;
  spare = 0;
}

/**
 * n draws into out (f32) for the concentrations at alphas (f32, each finite and > 0: the caller
 * checks), continuing the stream (gammaSeed starts it), so consecutive calls on consecutive
 * chunks give the draws of one call. Pointers are byte offsets into the imported memory.
 */
export function gammaDraws(n: i32, alphas: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const alpha = <f64>load<f32>(alphas + (<usize>i << 2));
    let draw: f64;
    if (alpha < 1.0) {
      // U^(1/α) as exp(log(U) / α), as the JavaScript sampler takes it
      const boost = exp64(log64(nextDouble()) / alpha);
      draw = gammaAtLeastOne(alpha + 1.0) * boost;
    } else {
      draw = gammaAtLeastOne(alpha);
    }
    // at least the smallest normal float32, as torch clamps, so log(draw) stays finite
    draw = Math.max(draw, 1.1754943508222875e-38);
    store<f32>(out + (<usize>i << 2), <f32>draw);
  }
}
