// Scalar special functions in float64: the portable implementation behind the JS kernels, the
// "scalar JS loop" of `pnpm bench`, and a reference for the SIMD kernels of @vitae/wasm.
//
// Domain of lgamma / digamma / polygamma: x > 0. x <= 0 gives NaN (documented: log-gamma of a
// non-positive argument never arises from a valid distribution parameter, and a NaN is louder
// than the finite value of log|Γ(x)| that scipy returns for negative non-integers).

/** Shift target: for z >= SHIFT the asymptotic series below reach double precision. */
const SHIFT = 10;
const HALF_LOG_2PI = 0.9189385332046728;

/**
 * log Γ(x) for x > 0. Recurrence Γ(x) = Γ(x + k) / (x (x+1) … (x+k-1)) lifts x to z >= 10, then
 * Stirling: log Γ(z) = (z - 1/2) log z - z + log(2π)/2 + Σ B_2k / (2k (2k-1) z^(2k-1)).
 */
export function lgammaScalar(x: number): number {
  if (!(x > 0)) return Number.NaN; // also NaN for NaN input
  if (x === Infinity) return Infinity;
  let z = x;
  let product = 1;
  while (z < SHIFT) {
    product *= z;
    z += 1;
  }
  const r = 1 / z;
  const r2 = r * r;
  // B2/2 = 1/12, B4/12 = -1/360, B6/30 = 1/1260, B8/56 = -1/1680, B10/90 = 1/1188, B12/132 = -691/360360
  const series = r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360))))));
  const stirling = (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + series;
  return product === 1 ? stirling : stirling - Math.log(product);
}

/**
 * ψ(x) = d/dx log Γ(x) for x > 0. ψ(x) = ψ(x + k) - Σ_{j<k} 1/(x + j), then
 * ψ(z) ≈ log z - 1/(2z) - Σ B_2k / (2k z^2k).
 */
export function digammaScalar(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Infinity) return Infinity;
  let z = x;
  let shift = 0;
  while (z < SHIFT) {
    shift += 1 / z;
    z += 1;
  }
  const r2 = 1 / (z * z);
  // B2/2 = 1/12, B4/4 = -1/120, B6/6 = 1/252, B8/8 = -1/240, B10/10 = 1/132, B12/12 = -691/32760
  const series = r2 * (1 / 12 + r2 * (-1 / 120 + r2 * (1 / 252 + r2 * (-1 / 240 + r2 * (1 / 132 + r2 * (-691 / 32760))))));
  return Math.log(z) - 0.5 / z - series - shift;
}

const BERNOULLI_2K = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];
const LOG_FACTORIAL: number[] = [0];
function logFactorial(m: number): number {
  for (let k = LOG_FACTORIAL.length; k <= m; k++) LOG_FACTORIAL.push((LOG_FACTORIAL[k - 1] as number) + Math.log(k));
  return LOG_FACTORIAL[m] as number;
}

/**
 * ψ^(n)(x) for n >= 1 and x > 0 (n = 0 is digamma). With s = (-1)^(n+1):
 *   ψ^(n)(x) = ψ^(n)(x + k) + s n! Σ_{j<k} (x + j)^-(n+1)
 *   ψ^(n)(z) ≈ s [ (n-1)!/z^n + n!/(2 z^(n+1)) + Σ_k B_2k (2k+n-1)! / ((2k)! z^(2k+n)) ]
 * Terms are formed in log space so large n or tiny x overflow to ±Infinity instead of NaN.
 */
export function polygammaScalar(n: number, x: number): number {
  if (n === 0) return digammaScalar(x);
  if (!(x > 0)) return Number.NaN;
  const sign = n % 2 === 1 ? 1 : -1;
  if (x === Infinity) return 0;
  const lift = SHIFT + n; // the series' terms shrink fast once z exceeds about n
  const logNFact = logFactorial(n);
  let z = x;
  let sum = 0;
  while (z < lift) {
    sum += Math.exp(logNFact - (n + 1) * Math.log(z));
    z += 1;
  }
  const logZ = Math.log(z);
  let series = Math.exp(logFactorial(n - 1) - n * logZ) + 0.5 * Math.exp(logNFact - (n + 1) * logZ);
  for (let k = 1; k <= BERNOULLI_2K.length; k++) {
    const b = BERNOULLI_2K[k - 1] as number;
    const magnitude = Math.exp(Math.log(Math.abs(b)) + logFactorial(2 * k + n - 1) - logFactorial(2 * k) - (2 * k + n) * logZ);
    series += b < 0 ? -magnitude : magnitude;
    if (magnitude < 1e-17 * Math.abs(series)) break;
  }
  return sign * (series + sum);
}

/** softplus(x) = log(1 + e^x) without overflow: max(x, 0) + log1p(e^{-|x|}). */
export function log1pExpScalar(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** log σ(x) = -softplus(-x). */
export function logSigmoidScalar(x: number): number {
  return -log1pExpScalar(-x);
}

/** x log y with 0 log y = 0 (for any y but NaN), as torch.xlogy and scipy.special.xlogy. */
export function xlogyScalar(x: number, y: number): number {
  if (Number.isNaN(y)) return Number.NaN;
  if (x === 0) return 0;
  return x * Math.log(y);
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b). In float64 the cancellation when one
 * argument is huge (a = 1e7, b = 1: two terms near 1.5e8 giving -16.1) costs ~1e-8 absolute,
 * far below float32 resolution of the result.
 */
export function logBetaScalar(a: number, b: number): number {
  return lgammaScalar(a) + lgammaScalar(b) - lgammaScalar(a + b);
}

/** log Σ exp(row) of a contiguous slice, stable by subtracting the maximum. */
export function logSumExpScalar(values: ArrayLike<number>, start: number, length: number): number {
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = values[start + i] as number;
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp((values[start + i] as number) - max);
  return max + Math.log(sum);
}
