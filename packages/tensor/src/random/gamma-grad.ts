// The implicit reparameterization gradient of a Gamma(alpha, 1) draw (Figurnov, Mohamed & Mnih
// 2018): with the draw x = F⁻¹(u; alpha) for a fixed uniform u,
//
//   dx/dalpha = -(∂P(alpha, x)/∂alpha) / f(x; alpha),     f(x; alpha) = x^(alpha-1) e^(-x) / Γ(alpha),
//
// where P is the regularized lower incomplete gamma function (the CDF). We never form P or f
// themselves: both of P's classical representations carry the factor x^alpha e^(-x) / Γ(alpha)
// of the density, so it cancels from the ratio analytically, which leaves sums of ratios of
// moderate size: nothing underflows where x^alpha e^(-x) would (x = 1e-38, alpha = 1e4), and no
// lgamma is needed.
//
// Series (x < alpha + 1). P = Σ_n t_n with t_n = x^(alpha+n) e^(-x) / Γ(alpha+n+1), and
// ∂t_n/∂alpha = t_n (log x - ψ(alpha+n+1)). Since t_n / f = x^(n+1) / (alpha (alpha+1) … (alpha+n)) =: r_n,
//
//   dx/dalpha = Σ_n r_n (ψ(alpha+n+1) - log x),   r_0 = x / alpha,  r_n = r_(n-1) x / (alpha+n).
//
// Every term but possibly the first is positive (ψ(alpha+n+1) ≈ log(alpha+n+1/2) > log x), so
// the sum has no cancellation. ψ(alpha+n+1) - log x = s_0 + Σ_{k=1..n} 1/(alpha+k) with
// s_0 = ψ(alpha+1) - log x evaluated as (ψ(z) - log z) - log1p((x - z)/z), z = alpha + 1, which
// keeps full relative accuracy when x ≈ alpha is large (log1p only for x > z/2).
//
// Continued fraction (x >= alpha + 1). Q = 1 - P = x^alpha e^(-x) / Γ(alpha) · K with
// K = 1 / (x+1-alpha - 1(1-alpha) / (x+3-alpha - 2(2-alpha) / (x+5-alpha - …))), so Q / f = x K and
//
//   dx/dalpha = (∂Q/∂alpha) / f = x K ((log x - ψ(alpha)) + ∂(log K)/∂alpha).
//
// K = 1/g is evaluated by the modified Lentz algorithm, g = Π_j Δ_j, carrying the derivative of
// each factor (forward mode), so ∂(log K)/∂alpha = -Σ_j Δ_j'/Δ_j. Both bracketed terms are
// positive in this region (x > alpha and K grows with alpha): again no cancellation.
//
// Both loops take O(sqrt(alpha)) steps where x is within a few sqrt(alpha) of alpha (about 1,000
// at alpha = 1e4, 10,000 at alpha = 1e6) and few steps elsewhere; for large alpha a uniform
// asymptotic expansion covers the neighbourhood of alpha (see largeAlphaGrad).
import { digammaScalar } from '../special/scalar.js';

const EPS = 1e-16;
const MAX_ITERATIONS = 100_000;

/** ψ(z) - log z, accurate in relative terms also for large z (where both are about log z). */
function digammaMinusLog(z: number): number {
  if (z < 10) return digammaScalar(z) - Math.log(z);
  // ψ(z) - log z = -1/(2z) - Σ_k B_2k / (2k z^2k)
  const r2 = 1 / (z * z);
  const series = r2 * (1 / 12 + r2 * (-1 / 120 + r2 * (1 / 252 + r2 * (-1 / 240 + r2 * (1 / 132 + r2 * (-691 / 32760))))));
  return -0.5 / z - series;
}

/** Σ_n r_n (ψ(alpha+n+1) - log x) for x < alpha + 1 (see the header). */
function seriesGrad(x: number, alpha: number): number {
  const z = alpha + 1;
  // ψ(alpha+1) - log x; log(x/z) through log1p only where x/z is near 1 (x - z is exact there).
  const logXOverZ = x > 0.5 * z ? Math.log1p((x - z) / z) : Math.log(x) - Math.log(z);
  let s = digammaMinusLog(z) - logXOverZ;
  let r = x / alpha;
  let sum = r * s;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    const ratio = x / (alpha + n);
    r *= ratio;
    s += 1 / (alpha + n);
    const term = r * s;
    sum += term;
    // Past the peak (ratio < 1) the remaining terms are bounded by a geometric tail.
    if (ratio < 1 && Math.abs(term) <= EPS * Math.abs(sum) * (1 - ratio)) break;
  }
  return sum;
}

/** x K ((log x - ψ(alpha)) - Σ_j Δ_j'/Δ_j) for x >= alpha + 1 (see the header). */
function continuedFractionGrad(x: number, alpha: number): number {
  const TINY = 1e-300;
  // g = b_0 + a_1 / (b_1 + a_2 / (b_2 + …)), a_j = -j (j - alpha), b_j = x + 2j + 1 - alpha;
  // derivatives in alpha: a_j' = j, b_j' = -1.
  let b = x + 1 - alpha;
  let g = b;
  let dLogG = -1 / b; // ∂ log g / ∂alpha, accumulated factor by factor
  let c = b;
  let dc = -1;
  let d = 0;
  let dd = 0;
  for (let j = 1; j < MAX_ITERATIONS; j++) {
    const a = -j * (j - alpha);
    b += 2;
    // D_j = 1 / (b_j + a_j D_(j-1)),  C_j = b_j + a_j / C_(j-1),  Δ_j = C_j D_j
    let den = b + a * d;
    const dDen = -1 + j * d + a * dd;
    if (Math.abs(den) < TINY) den = TINY;
    d = 1 / den;
    dd = -dDen * d * d;
    let cNew = b + a / c;
    const dcNew = -1 + j / c - (a * dc) / (c * c);
    if (Math.abs(cNew) < TINY) cNew = TINY;
    c = cNew;
    dc = dcNew;
    const delta = c * d;
    const dLogDelta = dc / c + dd / d;
    g *= delta;
    dLogG += dLogDelta;
    if (Math.abs(delta - 1) <= EPS && Math.abs(dLogDelta) <= EPS * Math.abs(dLogG)) break;
  }
  const logXMinusDigamma = Math.log1p((x - alpha) / alpha) - digammaMinusLog(alpha); // log x - ψ(alpha)
  return (x / g) * (logXMinusDigamma - dLogG);
}

// Large alpha, x near alpha (where the loops above are slowest). With y = (x - alpha)/alpha,
// regrouping the Edgeworth expansion of Gamma(alpha) (cumulants κ_r = (r-1)! alpha) by powers
// of 1/alpha at fixed y gives a uniform expansion (scripts/gamma_grad_asymptotic.py derives it):
//
//   dx/dalpha = D_0(y) + D_1(y)/alpha + D_2(y)/alpha² + D_3(y)/alpha³ + O(alpha⁻⁴),
//   D_0 = λ log λ / (λ - 1) with λ = 1 + y (Temme's leading term),
//   D_1 = 1/6 + Σ_{j>=1} (-1)^(j+1) 2 y^j / ((j+1)(j+2)(j+3)),
//
// D_2, D_3 by their Taylor coefficients below. D_4(0) = -1/280, so for alpha >= 1e3 the
// truncation is below 4e-15 relative; |y| <= 0.1 keeps the truncated Taylor series exact to
// double precision.
const D1 = [1 / 6, ...Array.from({ length: 12 }, (_, i) => ((i % 2 === 0 ? 2 : -2) / ((i + 2) * (i + 3) * (i + 4))))];
const D2 = [1 / 60, 1 / 60, -1 / 210, 1 / 840, 0, -1 / 2520, 1 / 1980, -1 / 1980, 1 / 2145];
const D3 = [-1 / 105, -1 / 840, 1 / 420, -1 / 504, 1 / 693, -1 / 990, 1 / 1430];
/** The expansion is used for alpha >= ASYMPTOTIC_ALPHA and |x - alpha| <= ASYMPTOTIC_Y · alpha. */
export const ASYMPTOTIC_ALPHA = 1e3;
export const ASYMPTOTIC_Y = 0.1;

function horner(coefficients: readonly number[], y: number): number {
  let v = 0;
  for (let j = coefficients.length - 1; j >= 0; j--) v = v * y + (coefficients[j] as number);
  return v;
}

function largeAlphaGrad(x: number, alpha: number): number {
  const y = (x - alpha) / alpha;
  const d0 = y === 0 ? 1 : ((1 + y) * Math.log1p(y)) / y;
  const r = 1 / alpha;
  return d0 + r * (horner(D1, y) + r * (horner(D2, y) + r * horner(D3, y)));
}

function seriesOrFraction(x: number, alpha: number): number {
  return x < alpha + 1 ? seriesGrad(x, alpha) : continuedFractionGrad(x, alpha);
}

/**
 * dx/dalpha for a draw x of Gamma(alpha, 1), in float64: the implicit reparameterization
 * gradient -(∂P(alpha, x)/∂alpha) / f(x; alpha). Limits: x = 0 gives 0, x = Infinity gives
 * Infinity; alpha <= 0, alpha = Infinity, x < 0 or NaN give NaN.
 */
export function standardGammaGradScalar(x: number, alpha: number): number {
  if (!(alpha > 0) || alpha === Infinity || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0; // r_0 (ψ(alpha+1) - log x) = x (…- log x)/alpha → 0
  if (x === Infinity) return Infinity; // ≈ log x - ψ(alpha)
  if (alpha >= ASYMPTOTIC_ALPHA && Math.abs(x - alpha) <= ASYMPTOTIC_Y * alpha) return largeAlphaGrad(x, alpha);
  return seriesOrFraction(x, alpha);
}
