// Gamma(alpha, 1) draws along Prng streams: the scalar sampler (randomGamma's, through the
// StandardGammaSample kernel, gamma-kernel.ts) and the kernel's portable implementation.
// @vitae/wasm replaces the implementation with a WASM one that reproduces these draws bit for bit.
//
// Substreams: the elements are cut into chunks of GAMMA_STREAM_CHUNK, and chunk c draws from the
// kernel's stream advanced by c jumps of 2^64 steps (Prng.jump), so chunks can be drawn in any
// order and on any thread with the same result: a seed gives the same draws whatever the number
// of threads. The first chunk is the stream itself.
import { Prng } from './prng.js';

/** Elements per substream (see the header). */
export const GAMMA_STREAM_CHUNK = 4096;

/**
 * The xoshiro128** states of the substreams of n draws from `state` (Prng.state()): four int32
 * words per chunk of GAMMA_STREAM_CHUNK elements, chunk c at 4c.
 */
export function gammaStreamStates(state: readonly number[], n: number): Int32Array {
  const chunks = Math.ceil(n / GAMMA_STREAM_CHUNK);
  const states = new Int32Array(4 * chunks);
  const prng = Prng.fromState(state as [number, number, number, number]);
  for (let c = 0; c < chunks; c++) {
    if (c > 0) prng.jump();
    states.set(prng.state(), 4 * c);
  }
  return states;
}

/** The smallest normal float32: draws are clamped to it, as torch's _standard_gamma does, so log(draw) stays finite. */
const FLOAT32_TINY = 1.1754943508222875e-38;

/** Marsaglia & Tsang (2000) for alpha >= 1. */
function gammaAtLeastOne(prng: Prng, alpha: number): number {
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

/**
 * One Gamma(alpha, 1) draw, at least the smallest normal float32: Marsaglia & Tsang (2000);
 * alpha < 1 via G(alpha + 1) · U^(1/alpha), the power taken as exp(log(U) / alpha) (fdlibm's log
 * and exp together cost about half of its pow, and the draw is rounded to float32).
 */
export function standardGammaScalar(prng: Prng, alpha: number): number {
  if (alpha < 1) {
    const boost = Math.exp(Math.log(prng.nextDouble()) / alpha);
    return Math.max(gammaAtLeastOne(prng, alpha + 1) * boost, FLOAT32_TINY);
  }
  return Math.max(gammaAtLeastOne(prng, alpha), FLOAT32_TINY);
}

/**
 * Fills `out` with standardGammaScalar draws for `alphas` (each finite and > 0) from `state`
 * (Prng.state()): elements [c·CHUNK, (c+1)·CHUNK) in order along substream c (see the header).
 */
export function standardGammaSampleJs(state: readonly number[], alphas: ArrayLike<number>, out: Float32Array | Float64Array): void {
  const states = gammaStreamStates(state, out.length);
  for (let start = 0, c = 0; start < out.length; start += GAMMA_STREAM_CHUNK, c++) {
    const prng = Prng.fromState([states[4 * c], states[4 * c + 1], states[4 * c + 2], states[4 * c + 3]] as [number, number, number, number]);
    const end = Math.min(out.length, start + GAMMA_STREAM_CHUNK);
    for (let i = start; i < end; i++) out[i] = standardGammaScalar(prng, alphas[i] as number);
  }
}
