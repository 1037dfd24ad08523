// dx/dα of a draw x ~ Gamma(α, 1) with its uniform held fixed (the implicit reparameterization
// gradient of Figurnov, Mohamed & Mnih 2018): the f64 algorithm of @vitae/tensor's
// standardGammaGradScalar (src/random/gamma-grad.ts, where the math is derived) with fewer
// divisions and logs (one division per series term, two per continued-fraction step, two digamma
// shift steps per division, ψ(α + 1) − log x as one log of z'/x where α + 1 < 10), and the series
// and the continued fraction two draws at a time in f64x2 lanes. The f64 results differ from the JS kernel's by a few units
// in the last place, so the float32 results are the same or one float32 ulp apart (the tests hold
// them to 1e-6 relative).
//
//   x < α + 1:  Σ_n r_n (ψ(α+n+1) − log x), r_0 = x/α, r_n = r_(n−1)·x/(α+n)   (P's series)
//   x >= α + 1: x·K·((log x − ψ(α)) − ∂log g/∂α), K = 1/g, Lentz's continued fraction of Q
//   except α < 8 and x < α + 4, also the series: the fraction takes ~40 steps of two divisions
//   near x ≈ α + 1, the series ~15–30 terms of one (the first term is then negative, the rest
//   positive, a mild cancellation: on 400k points of that band the float32 results are the
//   fraction's but for one, one ulp apart); ~1.3x faster on veloVI's draws
//   α >= 1e3 and |x − α| <= 0.1 α: the uniform expansion D_0 + D_1/α + D_2/α² + D_3/α³

import { LG1, LG2, LG3, LG4, LG5, LG6, LG7, LN2_HI, LN2_LO } from "./fdlibm-log-constants";

// the series and fraction stop at 1e-9 relative: 50 times below a float32 ulp (the results are
// float32), fewer steps than at 1e-12
const EPS: f64 = 1e-9;
// COUNTERS: the loops count their index in an f64 beside the i32 rather than converting it
// (f64.convert_i32_s) each step. V8's AVX code for that conversion (vcvtsi2sd) merges into its
// scratch register, which the loop's other operations also write: the conversion, and with it
// the next step's division, then waits for the previous step to finish. That chain made these
// loops ~2x slower (measured: the fraction alone 121 -> 289 ns per draw when the function also
// held f64x2 code). Adding 1.0 is exact for these counts, so the terms are the same.
const MAX_ITERATIONS: i32 = 100000;
const SHIFT: f64 = 10.0;
const ASYMPTOTIC_ALPHA: f64 = 1e3;
const ASYMPTOTIC_Y: f64 = 0.1;
// the series also for α < SERIES_REACH_ALPHA and α + 1 <= x < α + SERIES_REACH (header)
const SERIES_REACH_ALPHA: f64 = 8.0;
const SERIES_REACH: f64 = 4.0;

/** ψ(x) for x > 0 (@vitae/tensor's digammaScalar: shift to z >= 10, then the asymptotic series). */
function digamma64(x: f64): f64 {
  let z = x;
  let shift = 0.0;
  // two steps per division: 1/z + 1/(z + 1) = (2z + 1)/(z(z + 1))
  while (z < SHIFT - 1.0) {
    shift += (2.0 * z + 1.0) / (z * (z + 1.0));
    z += 2.0;
  }
  if (z < SHIFT) {
    shift += 1.0 / z;
    z += 1.0;
  }
  const r2 = 1.0 / (z * z);
  const series = r2 * (1.0 / 12.0 + r2 * (-1.0 / 120.0 + r2 * (1.0 / 252.0 + r2 * (-1.0 / 240.0 + r2 * (1.0 / 132.0 + r2 * (-691.0 / 32760.0))))));
  return Math.log(z) - 0.5 / z - series - shift;
}

/** ψ(z) − log z, accurate in relative terms also for large z. */
function digammaMinusLog(z: f64): f64 {
  if (z < 10.0) return digamma64(z) - Math.log(z);
  const r2 = 1.0 / (z * z);
  const series = r2 * (1.0 / 12.0 + r2 * (-1.0 / 120.0 + r2 * (1.0 / 252.0 + r2 * (-1.0 / 240.0 + r2 * (1.0 / 132.0 + r2 * (-691.0 / 32760.0))))));
  return -0.5 / z - series;
}

// Taylor coefficients of D_1, D_2, D_3 (gamma-grad.ts: D1 = [1/6, ±2/((i+2)(i+3)(i+4))], …).
const D1: StaticArray<f64> = [
  1.0 / 6.0, 2.0 / 24.0, -2.0 / 60.0, 2.0 / 120.0, -2.0 / 210.0, 2.0 / 336.0, -2.0 / 504.0,
  2.0 / 720.0, -2.0 / 990.0, 2.0 / 1320.0, -2.0 / 1716.0, 2.0 / 2184.0, -2.0 / 2730.0,
];
const D2: StaticArray<f64> = [1.0 / 60.0, 1.0 / 60.0, -1.0 / 210.0, 1.0 / 840.0, 0.0, -1.0 / 2520.0, 1.0 / 1980.0, -1.0 / 1980.0, 1.0 / 2145.0];
const D3: StaticArray<f64> = [-1.0 / 105.0, -1.0 / 840.0, 1.0 / 420.0, -1.0 / 504.0, 1.0 / 693.0, -1.0 / 990.0, 1.0 / 1430.0];

function horner(c: StaticArray<f64>, y: f64): f64 {
  let v = 0.0;
  for (let j = c.length - 1; j >= 0; j--) v = v * y + unchecked(c[j]);
  return v;
}

function largeAlphaGrad(x: f64, alpha: f64): f64 {
  const y = (x - alpha) / alpha;
  const d0 = y == 0.0 ? 1.0 : ((1.0 + y) * Math.log1p(y)) / y;
  const r = 1.0 / alpha;
  return d0 + r * (horner(D1, y) + r * (horner(D2, y) + r * horner(D3, y)));
}

// ---- two draws at once (f64x2) ----
// The series (and likewise the fraction) runs its loop for two draws side by side, each lane doing the scalar loop's
// operations in its order; a lane that has converged keeps its result (bitselect) while the other
// goes on. Two lanes halve the loop iterations and the divisions (one f64x2 division costs about
// one scalar division). A draw without a partner runs in both lanes, so every result is the same
// whichever draws are paired (and so on any number of threads).

@inline function lanes(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

// fdlibm's log (e_log.c) in f64x2 lanes for positive normal finite x: x = 2^k m with
// m in [√2/2, √2), f = m − 1, s = f/(2 + f), log(1 + f) = f − hfsq + s (hfsq + R(s²)), R fdlibm's
// minimax polynomial; one form for every f (fdlibm branches between two for the last half ulp).
function log64x2(x: v128): v128 {
  const one = f64x2.splat(1.0);
  // m = the mantissa with exponent 0 (in [1, 2)); e = the biased exponent as an f64, exactly,
  // by placing it in the low bits of 2^52 (0x4330…) and subtracting 2^52
  let m = v128.or(v128.and(x, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const e = f64x2.sub(v128.or(i64x2.shr_u(x, 52), i64x2.splat(0x4330000000000000)), f64x2.splat(4503599627370496.0));
  const above = f64x2.gt(m, f64x2.splat(1.4142135623730951));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, above);
  const k = f64x2.add(f64x2.sub(e, f64x2.splat(1023.0)), v128.and(above, one));
  const f = f64x2.sub(m, one);
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LG2), f64x2.mul(w, f64x2.add(f64x2.splat(LG4), f64x2.mul(w, f64x2.splat(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LG1), f64x2.mul(w, f64x2.add(f64x2.splat(LG3), f64x2.mul(w, f64x2.add(f64x2.splat(LG5), f64x2.mul(w, f64x2.splat(LG7))))))));
  const r = f64x2.add(t2, t1);
  // k ln2_hi − ((hfsq − (s (hfsq + R) + k ln2_lo)) − f)
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), f64x2.mul(k, f64x2.splat(LN2_LO)));
  return f64x2.sub(f64x2.mul(k, f64x2.splat(LN2_HI)), f64x2.sub(f64x2.sub(hfsq, inner), f));
}

/**
 * ψ(α + 1) − log x for lanes with α + 1 < SHIFT, x positive normal: digamma64's shift (at most four
 * two-step divisions from z >= 1 to z >= SHIFT − 1, masked per lane, then one more step), then
 * log(z'/x) − 1/(2z') − series − shift at the shifted z': one log for ψ's log z' and log x.
 */
function seriesStart2(x: v128, alpha: v128): v128 {
  const one = f64x2.splat(1.0);
  const two = f64x2.splat(2.0);
  const last = f64x2.splat(SHIFT - 1.0);
  let z = f64x2.add(alpha, one);
  let shift = f64x2.splat(0.0);
  for (let i = 0; i < 4; i++) {
    const active = f64x2.lt(z, last);
    const step = f64x2.div(f64x2.add(f64x2.mul(two, z), one), f64x2.mul(z, f64x2.add(z, one)));
    shift = v128.bitselect(f64x2.add(shift, step), shift, active);
    z = v128.bitselect(f64x2.add(z, two), z, active);
  }
  const active = f64x2.lt(z, f64x2.splat(SHIFT));
  shift = v128.bitselect(f64x2.add(shift, f64x2.div(one, z)), shift, active);
  z = v128.bitselect(f64x2.add(z, one), z, active);
  const r2 = f64x2.div(one, f64x2.mul(z, z));
  let series = f64x2.add(f64x2.splat(1.0 / 132.0), f64x2.mul(r2, f64x2.splat(-691.0 / 32760.0)));
  series = f64x2.add(f64x2.splat(-1.0 / 240.0), f64x2.mul(r2, series));
  series = f64x2.add(f64x2.splat(1.0 / 252.0), f64x2.mul(r2, series));
  series = f64x2.add(f64x2.splat(-1.0 / 120.0), f64x2.mul(r2, series));
  series = f64x2.add(f64x2.splat(1.0 / 12.0), f64x2.mul(r2, series));
  series = f64x2.mul(r2, series);
  const logRatio = log64x2(f64x2.div(z, x));
  return f64x2.sub(f64x2.sub(f64x2.sub(logRatio, f64x2.div(f64x2.splat(0.5), z)), series), shift);
}

/** seriesGrad's ψ(α + 1) − log x for α + 1 >= 10 (its first lines). */
function seriesStartLarge(x: f64, alpha: f64): f64 {
  const z = alpha + 1.0;
  return digammaMinusLog(z) - (x > 0.5 * z ? Math.log1p((x - z) / z) : Math.log(x) - Math.log(z));
}

/** seriesGrad for lanes (x, α); the lanes' ψ(α + 1) − log x by seriesStart2 where α + 1 < 10. */
function seriesGrad2(x: v128, alpha: v128): v128 {
  const x0 = f64x2.extract_lane(x, 0);
  const x1 = f64x2.extract_lane(x, 1);
  const alpha0 = f64x2.extract_lane(alpha, 0);
  const alpha1 = f64x2.extract_lane(alpha, 1);
  let s: v128;
  if (alpha0 + 1.0 < 10.0 && alpha1 + 1.0 < 10.0) s = seriesStart2(x, alpha);
  else {
    const small = seriesStart2(x, alpha);
    s = lanes(
      alpha0 + 1.0 < 10.0 ? f64x2.extract_lane(small, 0) : seriesStartLarge(x0, alpha0),
      alpha1 + 1.0 < 10.0 ? f64x2.extract_lane(small, 1) : seriesStartLarge(x1, alpha1),
    );
  }
  const one = f64x2.splat(1.0);
  const eps = f64x2.splat(EPS);
  let r = f64x2.div(x, alpha);
  let sum = f64x2.mul(r, s);
  // `sum` runs on in both lanes (a short dependency chain: one add per term); `result` takes each
  // lane's sum up to the term at which that lane converges, as the scalar loop's break does.
  let result = sum;
  let done = f64x2.splat(0.0); // all-zero lanes: none done
  let nf: f64 = 0.0; // COUNTERS
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    nf += 1.0;
    const a = f64x2.add(alpha, f64x2.splat(nf));
    const inv = f64x2.div(one, a);
    const ratio = f64x2.mul(x, inv);
    r = f64x2.mul(r, ratio);
    s = f64x2.add(s, inv);
    const term = f64x2.mul(r, s);
    sum = f64x2.add(sum, term);
    result = v128.bitselect(result, sum, done);
    const converged = v128.and(
      f64x2.lt(ratio, one),
      f64x2.le(f64x2.abs(term), f64x2.mul(f64x2.mul(eps, f64x2.abs(sum)), f64x2.sub(one, ratio))),
    );
    done = v128.or(done, converged);
    if (i64x2.all_true(done)) break;
  }
  return result;
}

/**
 * Lentz's continued fraction of Q and its α-derivative for lanes (x, α), as seriesGrad2 runs the
 * series: each lane the scalar steps in order, a converged lane keeping g and ∂log g/∂α. Two
 * divisions per step (1/den, 1/c), both on the step-to-step chain: the loop is bound by their
 * latency, so two lanes nearly halve its time.
 */
function continuedFractionGrad2(x: v128, alpha: v128): v128 {
  const one = f64x2.splat(1.0);
  const minusOne = f64x2.splat(-1.0);
  const tiny = f64x2.splat(1e-300);
  const eps = f64x2.splat(EPS);
  let b = f64x2.sub(f64x2.add(x, one), alpha);
  let g = b;
  let dLogG = f64x2.div(minusOne, b);
  let ic = f64x2.div(one, b); // 1/c: two divisions per step instead of the JS kernel's six
  let dc = minusOne;
  let d = f64x2.splat(0.0);
  let dd = f64x2.splat(0.0);
  let gResult = g;
  let dLogGResult = dLogG;
  let done = f64x2.splat(0.0);
  let jf: f64 = 0.0; // COUNTERS
  for (let j = 1; j < MAX_ITERATIONS; j++) {
    jf += 1.0;
    const jv = f64x2.splat(jf);
    const a = f64x2.neg(f64x2.mul(jv, f64x2.sub(jv, alpha)));
    b = f64x2.add(b, f64x2.splat(2.0));
    let den = f64x2.add(b, f64x2.mul(a, d));
    const dDen = f64x2.add(f64x2.add(minusOne, f64x2.mul(jv, d)), f64x2.mul(a, dd));
    den = v128.bitselect(tiny, den, f64x2.lt(f64x2.abs(den), tiny));
    d = f64x2.div(one, den);
    dd = f64x2.mul(f64x2.mul(f64x2.neg(dDen), d), d);
    let cNew = f64x2.add(b, f64x2.mul(a, ic));
    const dcNew = f64x2.add(minusOne, f64x2.mul(f64x2.sub(jv, f64x2.mul(f64x2.mul(a, dc), ic)), ic));
    cNew = v128.bitselect(tiny, cNew, f64x2.lt(f64x2.abs(cNew), tiny));
    ic = f64x2.div(one, cNew);
    dc = dcNew;
    const delta = f64x2.mul(cNew, d);
    const dLogDelta = f64x2.add(f64x2.mul(dc, ic), f64x2.mul(dd, den)); // dc/c + dd/d with d = 1/den
    g = f64x2.mul(g, delta);
    dLogG = f64x2.add(dLogG, dLogDelta);
    gResult = v128.bitselect(gResult, g, done);
    dLogGResult = v128.bitselect(dLogGResult, dLogG, done);
    const converged = v128.and(
      f64x2.le(f64x2.abs(f64x2.sub(delta, one)), eps),
      f64x2.le(f64x2.abs(dLogDelta), f64x2.mul(eps, f64x2.abs(dLogG))),
    );
    done = v128.or(done, converged);
    if (i64x2.all_true(done)) break;
  }
  const x0 = f64x2.extract_lane(x, 0);
  const x1 = f64x2.extract_lane(x, 1);
  const alpha0 = f64x2.extract_lane(alpha, 0);
  const alpha1 = f64x2.extract_lane(alpha, 1);
  const logXMinusDigamma = lanes(
    Math.log1p((x0 - alpha0) / alpha0) - digammaMinusLog(alpha0),
    Math.log1p((x1 - alpha1) / alpha1) - digammaMinusLog(alpha1),
  );
  return f64x2.mul(f64x2.div(x, gResult), f64x2.sub(logXMinusDigamma, dLogGResult));
}

/** dx/dα in f64; x = 0 gives 0, x = ∞ gives ∞; α <= 0, α = ∞, x < 0 or NaN give NaN. */
export function standardGammaGrad64(x: f64, alpha: f64): f64 {
  if (!(alpha > 0.0) || alpha == Infinity || !(x >= 0.0)) return NaN;
  if (x == 0.0) return 0.0;
  if (x == Infinity) return Infinity;
  if (alpha >= ASYMPTOTIC_ALPHA && Math.abs(x - alpha) <= ASYMPTOTIC_Y * alpha) return largeAlphaGrad(x, alpha);
  const series = x < alpha + 1.0 || (alpha < SERIES_REACH_ALPHA && x < alpha + SERIES_REACH);
  const both = series ? seriesGrad2(f64x2.splat(x), f64x2.splat(alpha)) : continuedFractionGrad2(f64x2.splat(x), f64x2.splat(alpha));
  return f64x2.extract_lane(both, 0);
}

/** Where standardGammaGrad64(x, α) goes: 0 = one draw at a time, 1 = the series, 2 = the fraction. */
@inline function route(x: f64, alpha: f64): i32 {
  if (!(alpha > 0.0) || alpha == Infinity || !(x > 0.0) || x == Infinity) return 0;
  if (alpha >= ASYMPTOTIC_ALPHA && Math.abs(x - alpha) <= ASYMPTOTIC_Y * alpha) return 0;
  return x < alpha + 1.0 || (alpha < SERIES_REACH_ALPHA && x < alpha + SERIES_REACH) ? 1 : 2;
}

/**
 * out[i] = dx/dα of x[i] ~ Gamma(α[i]) as float32 for n elements: draws that take the series, and
 * those that take the fraction, are paired as they come and run two at a time in f64x2 lanes; an
 * odd one out runs alone (in both lanes); the edge cases and the expansion one at a time. (Locals,
 * not objects, hold a waiting draw: the module has no allocator; its heap is the callers' scratch.)
 */
export function standardGammaGradRange(x: usize, alpha: usize, out: usize, n: i32): void {
  let seriesWaiting = false; // a series draw waits for its partner
  let seriesOut: usize = 0;
  let seriesX: f64 = 0.0;
  let seriesAlpha: f64 = 0.0;
  let fractionWaiting = false; // a fraction draw waits for its partner
  let fractionOut: usize = 0;
  let fractionX: f64 = 0.0;
  let fractionAlpha: f64 = 0.0;
  for (let i = 0; i < n; i++) {
    const at = out + (<usize>i << 2);
    const xi = <f64>load<f32>(x + (<usize>i << 2));
    const ai = <f64>load<f32>(alpha + (<usize>i << 2));
    const way = route(xi, ai);
    if (way == 0) {
      store<f32>(at, <f32>standardGammaGrad64(xi, ai));
    } else if (way == 1) {
      if (!seriesWaiting) {
        seriesWaiting = true;
        seriesOut = at;
        seriesX = xi;
        seriesAlpha = ai;
      } else {
        const both = seriesGrad2(lanes(seriesX, xi), lanes(seriesAlpha, ai));
        store<f32>(seriesOut, <f32>f64x2.extract_lane(both, 0));
        store<f32>(at, <f32>f64x2.extract_lane(both, 1));
        seriesWaiting = false;
      }
    } else if (!fractionWaiting) {
      fractionWaiting = true;
      fractionOut = at;
      fractionX = xi;
      fractionAlpha = ai;
    } else {
      const both = continuedFractionGrad2(lanes(fractionX, xi), lanes(fractionAlpha, ai));
      store<f32>(fractionOut, <f32>f64x2.extract_lane(both, 0));
      store<f32>(at, <f32>f64x2.extract_lane(both, 1));
      fractionWaiting = false;
    }
  }
  if (seriesWaiting) store<f32>(seriesOut, <f32>standardGammaGrad64(seriesX, seriesAlpha));
  if (fractionWaiting) store<f32>(fractionOut, <f32>standardGammaGrad64(fractionX, fractionAlpha));
}
