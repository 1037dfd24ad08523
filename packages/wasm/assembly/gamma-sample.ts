// Gamma(α, 1) draws, the loop of @vitae/tensor's randomGamma (src/random/ops.ts,
// standardGammaScalar) on the same xoshiro128** stream (src/random/prng.ts): Marsaglia & Tsang
// (2000) with Marsaglia's polar method for the normals, α < 1 by G(α + 1) · U^(1/α). Every
// operation is the f64 operation the JavaScript performs, in its order, so the float32 draws are
// the JavaScript ones bit for bit (src/gamma-sample.test.ts checks it), given that log and pow
// return what V8's Math.log and Math.pow return: both are fdlibm's (e_log.c, e_pow.c), ported
// below in V8's operation order (V8's src/base/ieee754.cc carries the same fdlibm code); the
// test compares them with Math.log / Math.pow on millions of arguments of the sampler's ranges. sqrt and the integer steps
// are exact.
//
// Built as its own module (build/gamma-sample.wasm) that imports only its memory and has no data
// segments (src/gamma-sample-module.ts gives it a memory of its own).

// fdlibm e_log.c: log(1+f) = f - hfsq + s·(hfsq + R) with s = f/(2+f), R a minimax polynomial in s².
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const TWO54: f64 = 1.80143985094819840000e16;
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;

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

// fdlibm e_pow.c as V8 carries it (ieee754::legacy::pow, behind Math.pow), for x >= 0:
// log2(x) in extra precision (t1 + t2), times y split as y1 + y2, then 2^z.
const BP1: f64 = 1.5;
const DP_H1: f64 = 5.84962487220764160156e-01;
const DP_L1: f64 = 1.35003920212974897128e-08;
const TWO53: f64 = 9007199254740992.0;
const HUGE: f64 = 1.0e300;
const TINY_P: f64 = 1.0e-300;
const L1: f64 = 5.99999999999994648725e-01;
const L2: f64 = 4.28571428578550184252e-01;
const L3: f64 = 3.33333329818377432918e-01;
const L4: f64 = 2.72728123808534006489e-01;
const L5: f64 = 2.30660745775561754067e-01;
const L6: f64 = 2.06975017800338417784e-01;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const LN2: f64 = 6.93147180559945286227e-01;
const LG2_H: f64 = 6.93147182464599609375e-01;
const LG2_L: f64 = -1.90465429995776804525e-09;
const OVT: f64 = 8.0085662595372944372e-17;
const CP: f64 = 9.61796693925975554329e-01;
const CP_H: f64 = 9.61796700954437255859e-01;
const CP_L: f64 = -7.02846165095275826516e-09;
const IVLN2: f64 = 1.44269504088896338700e+00;
const IVLN2_H: f64 = 1.44269502162933349609e+00;
const IVLN2_L: f64 = 1.92596299112661746887e-08;

@inline function highWord(d: f64): i32 {
  return <i32>(reinterpret<u64>(d) >> 32);
}
@inline function lowWord(d: f64): u32 {
  return <u32>reinterpret<u64>(d);
}
@inline function withHighWord(d: f64, v: i32): f64 {
  return reinterpret<f64>((reinterpret<u64>(d) & 0xffffffff) | (<u64>(<u32>v) << 32));
}
@inline function withLowWordZero(d: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(d) & 0xffffffff00000000);
}

/** x^y for x >= 0 (NaN for x < 0): fdlibm's e_pow.c, the same bits as V8's Math.pow there. */
export function pow64(x: f64, y: f64): f64 {
  const hx = highWord(x);
  const lx = lowWord(x);
  const hy = highWord(y);
  const ly = lowWord(y);
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  if ((<u32>iy | ly) == 0) return 1.0; // x^0 = 1
  if (ix > 0x7ff00000 || (ix == 0x7ff00000 && lx != 0) || iy > 0x7ff00000 || (iy == 0x7ff00000 && ly != 0)) return x + y;
  if (hx < 0) return NaN; // not needed by the sampler
  if (ly == 0) {
    if (iy == 0x7ff00000) {
      // y = ±inf
      if (((ix - 0x3ff00000) | <i32>lx) == 0) return y - y;
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0.0;
      return hy < 0 ? -y : 0.0;
    }
    if (iy == 0x3ff00000) return hy < 0 ? 1.0 / x : x;
    if (hy == 0x40000000) return x * x;
    if (hy == 0x3fe00000) return Math.sqrt(x);
  }
  let ax = Math.abs(x);
  if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000)) {
    let z = ax; // x = +0, +inf, +1
    if (hy < 0) z = 1.0 / z;
    return z;
  }
  let t1: f64;
  let t2: f64;
  if (iy > 0x41e00000) {
    // |y| > 2^31
    if (iy > 0x43f00000) {
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY_P * TINY_P;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY_P * TINY_P;
    }
    if (ix < 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY_P * TINY_P;
    if (ix > 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY_P * TINY_P;
    const t = ax - 1.0;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = withLowWordZero(u + v);
    t2 = v - (t1 - u);
  } else {
    let n: i32 = 0;
    if (ix < 0x00100000) {
      ax *= TWO53;
      n -= 53;
      ix = highWord(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000;
    let k: i32;
    if (j <= 0x3988e) k = 0;
    else if (j < 0xbb67a) k = 1;
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = withHighWord(ax, ix);
    const bp = k == 0 ? 1.0 : BP1;
    const dpH = k == 0 ? 0.0 : DP_H1;
    const dpL = k == 0 ? 0.0 : DP_L1;
    let u = ax - bp;
    let v = 1.0 / (ax + bp);
    const ss = u * v;
    const sH = withLowWordZero(ss);
    let tH = reinterpret<f64>(<u64>(<u32>(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18))) << 32);
    let tL = ax - (tH - bp);
    const sL = v * ((u - sH * tH) - sH * tL);
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = withLowWordZero(3.0 + s2 + r);
    tL = r - ((tH - 3.0) - s2);
    u = sH * tH;
    v = sL * tH + tL * ss;
    const pH = withLowWordZero(u + v);
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + dpL;
    const t = <f64>n;
    t1 = withLowWordZero(((zH + zL) + dpH) + t);
    t2 = zL - (((t1 - t) - dpH) - zH);
  }
  // (y1 + y2)·(t1 + t2)
  const y1 = withLowWordZero(y);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  let j = highWord(z);
  const i = <i32>lowWord(z);
  if (j >= 0x40900000) {
    if (((j - 0x40900000) | i) != 0) return HUGE * HUGE;
    if (pL + OVT > z - pH) return HUGE * HUGE;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    if (((j - <i32>0xc090cc00) | i) != 0) return TINY_P * TINY_P;
    if (pL <= z - pH) return TINY_P * TINY_P;
  }
  // 2^(pH + pL)
  const ia = j & 0x7fffffff;
  let k = (ia >> 20) - 0x3ff;
  let n: i32 = 0;
  if (ia > 0x3fe00000) {
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = reinterpret<f64>(<u64>(<u32>(n & ~(0x000fffff >> k))) << 32);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = withLowWordZero(pL + pH);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LN2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const tp = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * tp) / ((tp - 2.0) - (w + z * w));
  z = 1.0 - (r - z);
  j = highWord(z) + <i32>(<u32>n << 20);
  if (j >> 20 <= 0) return NativeMath.scalbn(z, n); // subnormal result
  return withHighWord(z, highWord(z) + <i32>(<u32>n << 20));
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
      const boost = pow64(nextDouble(), 1.0 / alpha);
      // the smallest normal float32, as torch clamps, so log(sample) stays finite
      draw = Math.max(gammaAtLeastOne(alpha + 1.0) * boost, 1.1754943508222875e-38);
    } else {
      draw = gammaAtLeastOne(alpha);
    }
    store<f32>(out + (<usize>i << 2), <f32>draw);
  }
}
