// dx/dα of a draw x ~ Gamma(α, 1) with its uniform held fixed (the implicit reparameterization
// gradient of Figurnov, Mohamed & Mnih 2018): the f64 algorithm of @vitae/tensor's
// standardGammaGradScalar (src/random/gamma-grad.ts, where the math is derived) with fewer
// divisions and logs (one division per series term, two per continued-fraction step, two digamma shift steps per division,
// ψ(α + 1) − log x without the split through log(α + 1) where α + 1 < 10). The f64 results differ
// from the JS kernel's by a few units in the last place, so the float32 results are the same or
// one float32 ulp apart (the tests hold them to 1e-6 relative).
//
//   x < α + 1:  Σ_n r_n (ψ(α+n+1) − log x), r_0 = x/α, r_n = r_(n−1)·x/(α+n)   (P's series)
//   x >= α + 1: x·K·((log x − ψ(α)) − ∂log g/∂α), K = 1/g, Lentz's continued fraction of Q
//   except α < 8 and x < α + 4, also the series: the fraction takes ~40 steps of two divisions
//   near x ≈ α + 1, the series ~15–30 terms of one (the first term is then negative, the rest
//   positive, a mild cancellation: on 400k points of that band the float32 results are the
//   fraction's but for one, one ulp apart); ~1.3x faster on veloVI's draws
//   α >= 1e3 and |x − α| <= 0.1 α: the uniform expansion D_0 + D_1/α + D_2/α² + D_3/α³

// the series and fraction stop at 1e-9 relative: 50 times below a float32 ulp (the results are
// float32), fewer steps than at 1e-12
const EPS: f64 = 1e-9;
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

function seriesGrad(x: f64, alpha: f64): f64 {
  const z = alpha + 1.0;
  // ψ(α + 1) − log x: for z < 10 directly (the log z of the JS kernel's split cancels; no large
  // terms there), above as (ψ(z) − log z) − log(x/z) with log1p where x/z is near 1.
  let s: f64;
  if (z < 10.0) s = digamma64(z) - Math.log(x);
  else s = digammaMinusLog(z) - (x > 0.5 * z ? Math.log1p((x - z) / z) : Math.log(x) - Math.log(z));
  let r = x / alpha;
  let sum = r * s;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    const inv = 1.0 / (alpha + <f64>n); // one division per term
    const ratio = x * inv;
    r *= ratio;
    s += inv;
    const term = r * s;
    sum += term;
    if (ratio < 1.0 && Math.abs(term) <= EPS * Math.abs(sum) * (1.0 - ratio)) break;
  }
  return sum;
}

function continuedFractionGrad(x: f64, alpha: f64): f64 {
  const TINY: f64 = 1e-300;
  let b = x + 1.0 - alpha;
  let g = b;
  let dLogG = -1.0 / b;
  let ic = 1.0 / b; // 1/c: two divisions per step (1/den, 1/c) instead of the JS kernel's six
  let dc: f64 = -1.0;
  let d: f64 = 0.0;
  let dd: f64 = 0.0;
  for (let j = 1; j < MAX_ITERATIONS; j++) {
    const jf = <f64>j;
    const a = -jf * (jf - alpha);
    b += 2.0;
    let den = b + a * d;
    const dDen = -1.0 + jf * d + a * dd;
    if (Math.abs(den) < TINY) den = TINY;
    d = 1.0 / den;
    dd = -dDen * d * d;
    let cNew = b + a * ic;
    const dcNew = -1.0 + (jf - a * dc * ic) * ic;
    if (Math.abs(cNew) < TINY) cNew = TINY;
    ic = 1.0 / cNew;
    dc = dcNew;
    const delta = cNew * d;
    const dLogDelta = dc * ic + dd * den; // dc/c + dd/d with d = 1/den
    g *= delta;
    dLogG += dLogDelta;
    if (Math.abs(delta - 1.0) <= EPS && Math.abs(dLogDelta) <= EPS * Math.abs(dLogG)) break;
  }
  const logXMinusDigamma = Math.log1p((x - alpha) / alpha) - digammaMinusLog(alpha);
  return (x / g) * (logXMinusDigamma - dLogG);
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

/** dx/dα in f64; x = 0 gives 0, x = ∞ gives ∞; α <= 0, α = ∞, x < 0 or NaN give NaN. */
export function standardGammaGrad64(x: f64, alpha: f64): f64 {
  if (!(alpha > 0.0) || alpha == Infinity || !(x >= 0.0)) return NaN;
  if (x == 0.0) return 0.0;
  if (x == Infinity) return Infinity;
  if (alpha >= ASYMPTOTIC_ALPHA && Math.abs(x - alpha) <= ASYMPTOTIC_Y * alpha) return largeAlphaGrad(x, alpha);
  const series = x < alpha + 1.0 || (alpha < SERIES_REACH_ALPHA && x < alpha + SERIES_REACH);
  return series ? seriesGrad(x, alpha) : continuedFractionGrad(x, alpha);
}
