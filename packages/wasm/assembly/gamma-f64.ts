// Scalar f64 ψ^(n) for n >= 2 (not hot) and the log Γ it needs for log n!. Results are rounded
// to f32 by the caller, so ~1e-13 relative accuracy here is plenty.

const HALF_LOG_2PI: f64 = 0.9189385332046728; // ½·log(2π)

/** B_2j/(2j)!, j = 1..9 (Euler–Maclaurin / asymptotic-series coefficients). */
const B2J_OVER_FACT: StaticArray<f64> = [
  0.08333333333333333, -0.001388888888888889, 3.306878306878307e-5, -8.267195767195768e-7,
  2.08767569878681e-8, -5.284190138687493e-10, 1.3382536530684679e-11, -3.3896802963225827e-13,
  8.586062056277845e-15,
];

/**
 * Stirling remainder ω(z) = log Γ(z) − [(z − ½)·log z − z + ½·log 2π]
 *   = Σ_j B_2j / (2j(2j−1)·z^(2j−1)) = 1/(12z) − 1/(360z³) + 1/(1260z⁵) − …
 * Seven terms; for z >= 8 the truncation error is below 1e-15.
 */
@inline export function stirlingRem(z: f64): f64 {
  const q = 1.0 / z;
  const w = q * q;
  return (
    q *
    (0.08333333333333333 +
      w *
        (-0.002777777777777778 +
          w *
            (0.0007936507936507937 +
              w *
                (-0.0005952380952380953 +
                  w * (0.0008417508417508417 + w * (-0.0019175269175269176 + w * 0.00641025641025641))))))
  );
}

/** (z − ½)·log z − z + ½·log 2π + ω(z) = log Γ(z) for z >= 8. */
@inline function lgammaStirling64(z: f64): f64 {
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + stirlingRem(z);
}

/**
 * log Γ(x) for x > 0 (NaN for x <= 0 or NaN, +inf at +inf).
 * x < 8 is shifted with log Γ(x) = log Γ(x + k) − log(x(x+1)…(x+k−1)).
 */
export function lgamma64(x: f64): f64 {
  if (!(x > 0.0)) return NaN;
  if (x == Infinity) return Infinity;
  if (x >= 8.0) return lgammaStirling64(x);
  let p = x;
  let z = x + 1.0;
  while (z < 8.0) {
    p *= z;
    z += 1.0;
  }
  return lgammaStirling64(z) - Math.log(p);
}

/** r^m for integer m >= 1 by binary powering. */
@inline function ipow(r: f64, m: i32): f64 {
  let acc = 1.0;
  let base = r;
  while (m > 0) {
    if (m & 1) acc *= base;
    base *= base;
    m >>= 1;
  }
  return acc;
}

/**
 * ψ^(n)(x) for n >= 1, x > 0, from
 *   ψ^(n)(x) = (−1)^(n+1) · n! · Σ_{k>=0} (x + k)^−(n+1).
 * The first terms of the sum are added directly until z = x + k >= zmin; the rest of the sum is
 * its Euler–Maclaurin expansion
 *   n!·Σ_{k>=0} (z+k)^−(n+1) = (n−1)!/z^n · [1 + n/(2z) + Σ_{j>=1} B_2j/(2j)! · n(n+1)…(n+2j−1)/z^2j],
 * nine Bernoulli terms. zmin = 10 + 0.85·n keeps the ratio of consecutive terms,
 * ≈ ((n+2j)/(2πz))², small enough for a truncation error below 1e-12 relative.
 * Below zmin consecutive terms shrink at least by exp(−(n+1)/(z+1)) <= ~0.8, so once a term is
 * below 1e-18 of the running sum the rest is negligible and the loop stops (for large n this
 * happens after a few dozen terms instead of ~0.85·n).
 * logFactN = log(n!). For n <= 20 powers are formed directly (n! and (n−1)! are exact enough);
 * larger n works in log space so that n! overflowing f64 does no harm. Overflow of the true
 * value gives ±inf (never a wrong finite number); +inf gives 0.
 */
export function polygamma64(n: i32, x: f64, logFactN: f64): f64 {
  if (!(x > 0.0)) return NaN;
  if (x == Infinity) return 0.0;
  const nf = <f64>n;
  const zmin = 10.0 + 0.85 * nf;
  const direct = n <= 20;
  const fact = Math.exp(logFactN); // n!, to rounding, used when direct
  let z = x;
  let sum = 0.0;
  while (z < zmin) {
    const t = direct ? fact * ipow(1.0 / z, n + 1) : Math.exp(logFactN - (nf + 1.0) * Math.log(z));
    sum += t;
    z += 1.0;
    if (t <= sum * 1e-18) return n & 1 ? sum : -sum; // also ends on sum = +inf
  }
  const lead = direct ? (fact / nf) * ipow(1.0 / z, n) : Math.exp(logFactN - Math.log(nf) - nf * Math.log(z));
  const w = 1.0 / (z * z);
  let bracket = 1.0 + nf / (2.0 * z);
  let c = 1.0;
  for (let j = 1; j <= 9; j++) {
    const a = nf + <f64>(2 * j - 2);
    c *= a * (a + 1.0) * w;
    bracket += unchecked(B2J_OVER_FACT[j - 1]) * c;
  }
  const total = sum + lead * bracket;
  return n & 1 ? total : -total;
}
