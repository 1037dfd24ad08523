// Gamma(alpha, 1) draws along one Prng stream: the scalar sampler (randomGamma's, through the
// StandardGammaSample kernel, gamma-kernel.ts) and the kernel's portable implementation.
// @vitae/wasm replaces the implementation with a WASM one that reproduces these draws bit for bit.
import { Prng } from './prng.js';

/** One Gamma(alpha, 1) draw: Marsaglia & Tsang (2000); alpha < 1 via G(alpha + 1) · U^(1/alpha). */
export function standardGammaScalar(prng: Prng, alpha: number): number {
  if (alpha < 1) {
    const boost = Math.pow(prng.nextDouble(), 1 / alpha);
    // Clamp to the smallest normal float32, as torch does, so log(sample) stays finite.
    return Math.max(standardGammaScalar(prng, alpha + 1) * boost, 1.1754943508222875e-38);
  }
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = prng.nextNormal();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = prng.nextDouble();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Fills `out` with standardGammaScalar draws for `alphas` (each finite and > 0), in order, from `state` (Prng.state()). */
export function standardGammaSampleJs(state: readonly number[], alphas: ArrayLike<number>, out: Float32Array | Float64Array): void {
  const prng = Prng.fromState(state as [number, number, number, number]);
  for (let i = 0; i < out.length; i++) out[i] = standardGammaScalar(prng, alphas[i] as number);
}
