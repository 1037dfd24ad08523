// Exported kernels. ABI (shared with the JS side):
//  - pointers are byte offsets into the exported `memory`, 16-byte aligned, arrays are f32;
//  - JS owns every buffer, places them at or after scratchBase() and grows memory itself;
//    nothing here allocates;
//  - elementwise kernels process ceil(n/4) whole vectors (JS pads every buffer to that length);
//  - `out` may alias an input: each vector is loaded before its result is stored.

import { gammaFamily, LGAMMA, DIGAMMA, TRIGAMMA } from "./gamma-f32";
import { lgamma64, polygamma64 } from "./gamma-f64";
import { logBeta2 } from "./beta";
import { log1pExpV, logSigmoidV, xlogyV } from "./logistic";
import { logSumExpRow } from "./logsumexp";
import { countLikelihood } from "./count-likelihood";
import { standardGammaGradRange } from "./gamma-grad";
export { normalMixture } from "./normal-mixture";
export { kineticMixture } from "./kinetic-mixture";
export { dirichletKl } from "./dirichlet-kl";
export { normalizeRows } from "./normalize";
import { k, C_NAN } from "./simd-math";

/** Bytes covered by ceil(n/4) vectors (0 for n <= 0). */
@inline function paddedBytes(n: i32): usize {
  return n > 0 ? <usize>((<u32>n + 3) >> 2) << 4 : 0;
}

/** First 16-byte-aligned address after the module's static data. */
export function scratchBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** out = log Γ(x). */
export function lgamma(x: usize, out: usize, n: i32): void {
  gammaFamily(LGAMMA, x, out, paddedBytes(n));
}

/** out = ψ(x). */
export function digamma(x: usize, out: usize, n: i32): void {
  gammaFamily(DIGAMMA, x, out, paddedBytes(n));
}

/** out = ψ'(x). */
export function trigamma(x: usize, out: usize, n: i32): void {
  gammaFamily(TRIGAMMA, x, out, paddedBytes(n));
}

/** out = ψ^(order)(x); order 0 and 1 use the vector ψ / ψ' kernels, higher orders scalar f64. */
export function polygamma(order: i32, x: usize, out: usize, n: i32): void {
  if (order == 0) {
    digamma(x, out, n);
    return;
  }
  if (order == 1) {
    trigamma(x, out, n);
    return;
  }
  const bytes = paddedBytes(n);
  if (order < 0) {
    for (let i: usize = 0; i < bytes; i += 16) v128.store(out + i, k(C_NAN));
    return;
  }
  const logFact = lgamma64(<f64>order + 1.0);
  for (let i: usize = 0; i < bytes; i += 4) {
    store<f32>(out + i, <f32>polygamma64(order, <f64>load<f32>(x + i), logFact));
  }
}

/** out = log(1 + e^x). */
export function log1pExp(x: usize, out: usize, n: i32): void {
  const end = x + paddedBytes(n);
  for (let o = out; x < end; x += 16, o += 16) v128.store(o, log1pExpV(v128.load(x)));
}

/** out = log σ(x) = −log(1 + e^−x). */
export function logSigmoid(x: usize, out: usize, n: i32): void {
  const end = x + paddedBytes(n);
  for (let o = out; x < end; x += 16, o += 16) v128.store(o, logSigmoidV(v128.load(x)));
}

/** out = x·log(y), 0 where x == 0 and y is not NaN. */
export function xlogy(x: usize, y: usize, out: usize, n: i32): void {
  const end = x + paddedBytes(n);
  for (let o = out; x < end; x += 16, y += 16, o += 16) {
    v128.store(o, xlogyV(v128.load(x), v128.load(y)));
  }
}

/** out = log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), computed in f64 lanes. */
export function logBeta(a: usize, b: usize, out: usize, n: i32): void {
  const end = a + paddedBytes(n);
  // two elements per step: one f64x2 chain keeps V8's register allocator from spilling
  for (; a < end; a += 8, b += 8, out += 8) v128.store64_lane(out, logBeta2(a, b), 0);
}

/** out[r] = log Σ_c exp(x[r·cols + c]) for a row-major [rows, cols] matrix (rows unaligned). */
export function logSumExpRows(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes: usize = cols > 0 ? <usize>cols << 2 : 0;
  for (let r = 0; r < rows; r++, x += rowBytes, out += 4) {
    store<f32>(out, logSumExpRow(x, cols));
  }
}

/**
 * NB log-likelihood (scvi-tools' log_nb_positive) of x given mean mu and inverse dispersion th:
 * out = value; with grad != 0 also gMu = ∂/∂μ, gTh = ∂/∂θ. `scratch` holds 4·ceil(n/4) vectors.
 */
export function logNb(grad: i32, x: usize, mu: usize, th: usize, out: usize, gMu: usize, gTh: usize, n: i32, eps: f32, scratch: usize): void {
  if (grad != 0) countLikelihood(false, true, x, mu, th, 0, out, gMu, gTh, 0, n, eps, scratch);
  else countLikelihood(false, false, x, mu, th, 0, out, 0, 0, 0, n, eps, scratch);
}

/** ZINB log-likelihood (log_zinb_positive) with zero-inflation logits pi; as logNb, plus gPi = ∂/∂π. */
export function logZinb(
  grad: i32, x: usize, mu: usize, th: usize, pi: usize,
  out: usize, gMu: usize, gTh: usize, gPi: usize, n: i32, eps: f32, scratch: usize,
): void {
  if (grad != 0) countLikelihood(true, true, x, mu, th, pi, out, gMu, gTh, gPi, n, eps, scratch);
  else countLikelihood(true, false, x, mu, th, pi, out, 0, 0, 0, n, eps, scratch);
}

/**
 * out = dx/dα of Gamma(α, 1) draws x (implicit reparameterization), scalar f64 per element
 * (iterative: 1 to O(√α) steps per element, so no SIMD lanes to keep in step).
 */
export function standardGammaGrad(x: usize, alpha: usize, out: usize, n: i32): void {
  standardGammaGradRange(x, alpha, out, n);
}
