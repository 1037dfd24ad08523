// Seeded random tensors. Every op requires `{ seed }` and draws from its own Prng, so results
// depend only on the seed and the arguments, never on call order, backend or platform.
import * as tf from '#tfjs';
import { describe } from '../backend.js';
import { lgammaScalar } from '../special/scalar.js';
import { assertShape, toFloatTensor } from '../validate.js';
import { standardGammaGrad, standardGammaSample } from './gamma-kernel.js';
import { Prng, assertSeed } from './prng.js';

import type { Tensor } from '#tfjs';
import type { TensorInput } from '../special/ops.js';
import type { SeedOptions } from './seed.js';

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkedSeed(options: unknown, fn: string): number {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${fn}: argument 'options' must be an object with a 'seed', got ${describe(options)}`);
  }
  const { seed } = options as { seed?: unknown };
  assertSeed(seed, fn);
  return seed;
}

function finiteNumber(value: unknown, fn: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${fn}: option '${name}' must be a finite number, got ${describe(value)}`);
  return value;
}

/** Broadcasts a parameter tensor to `shape` (differentiably: the gradient sums back, see gradients/tile.ts). */
function broadcastParameter(t: Tensor, shape: number[], fn: string, name: string): Tensor {
  if (tf.util.arraysEqual(t.shape, shape)) return t;
  let common: number[] | null = null;
  try {
    common = tf.backend_util.assertAndGetBroadcastShape(t.shape, shape);
  } catch {
    // reported below
  }
  if (common === null || !tf.util.arraysEqual(common, shape)) {
    throw new Error(`${fn}: argument '${name}' of shape [${t.shape.join(', ')}] cannot be broadcast to [${shape.join(', ')}]`);
  }
  // tfjs' broadcastTo skips repetitions of 0 and returns t itself for an empty target shape.
  return tf.util.sizeFromShape(shape) === 0 ? tf.add(t, tf.zeros(shape)) : tf.broadcastTo(t, shape);
}

/** Reads a parameter (number or tensor) as float64 values broadcast to `shape`. */
function parameterValues(value: TensorInput, shape: number[], fn: string, name: string): Float64Array {
  const t = toFloatTensor(value, fn, name);
  try {
    const b = broadcastParameter(t, shape, fn, name);
    const values = Float64Array.from(b.dataSync());
    if (b !== t) b.dispose();
    return values;
  } finally {
    if (t !== value) t.dispose();
  }
}

/** Uniform floats in (low, high) (never the end points when low = 0, high = 1). */
export function randomUniform(shape: number[], options: SeedOptions & { low?: number; high?: number }): Tensor {
  assertShape(shape, 'randomUniform');
  const seed = checkedSeed(options, 'randomUniform');
  const low = finiteNumber(options.low ?? 0, 'randomUniform', 'low');
  const high = finiteNumber(options.high ?? 1, 'randomUniform', 'high');
  if (!(high > low)) throw new RangeError(`randomUniform: option 'high' must be > 'low' (${low}), got ${high}`);
  const prng = new Prng(seed);
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * prng.nextFloat32();
  return tf.tensor(out, shape, 'float32');
}

/** Normal draws with the given mean and standard deviation. */
export function randomNormal(shape: number[], options: SeedOptions & { mean?: number; stddev?: number }): Tensor {
  assertShape(shape, 'randomNormal');
  const seed = checkedSeed(options, 'randomNormal');
  const mean = finiteNumber(options.mean ?? 0, 'randomNormal', 'mean');
  const stddev = finiteNumber(options.stddev ?? 1, 'randomNormal', 'stddev');
  if (!(stddev >= 0)) throw new RangeError(`randomNormal: option 'stddev' must be >= 0, got ${stddev}`);
  const prng = new Prng(seed);
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = mean + stddev * prng.nextNormal();
  return tf.tensor(out, shape, 'float32');
}

/**
 * Standard Gumbel draws g = -log(-log u), the noise of the Gumbel-max trick and of the Concrete /
 * Gumbel-softmax relaxation. u comes from the float64 stream (strictly inside (0, 1)), so every
 * draw is finite.
 */
export function randomGumbel(shape: number[], options: SeedOptions): Tensor {
  assertShape(shape, 'randomGumbel');
  const seed = checkedSeed(options, 'randomGumbel');
  const prng = new Prng(seed);
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = -Math.log(-Math.log(prng.nextDouble()));
  return tf.tensor(out, shape, 'float32');
}

/**
 * Gamma(alpha, rate 1) draws; `alpha` (> 0) broadcasts to `shape`. Divide by a rate to rescale.
 *
 * Differentiable with respect to `alpha` by implicit reparameterization (Figurnov et al. 2018,
 * as torch's `Gamma.rsample`): each draw x moves with alpha along its fixed quantile,
 * dx/dalpha = -(∂P(alpha, x)/∂alpha) / f(x; alpha) (`standardGammaGrad`), and the gradient is
 * summed back to alpha's shape. The draws themselves do not depend on whether a gradient is taken.
 */
export function randomGamma(shape: number[], alpha: TensorInput, options: SeedOptions): Tensor {
  assertShape(shape, 'randomGamma');
  const seed = checkedSeed(options, 'randomGamma');
  return tf.tidy(() => {
    const t = toFloatTensor(alpha, 'randomGamma', 'alpha');
    const a = broadcastParameter(t, shape, 'randomGamma', 'alpha');
    const alphas = a.dataSync();
    for (let i = 0; i < alphas.length; i++) {
      const v = alphas[i] as number;
      if (!(v > 0) || v === Infinity) throw new RangeError(`randomGamma: argument 'alpha' must be finite and > 0, got ${v} at index ${i}`);
    }
    if (alphas.length === 0) {
      // No draws: the gradient is zero (set here, not left to a reduction over nothing, which
      // tfjs' wasm backend fills with uninitialised memory).
      const nothing = (input: Tensor) => ({ value: tf.zeros(shape), gradFunc: () => tf.zerosLike(input) });
      return tf.customGrad(nothing as unknown as Parameters<typeof tf.customGrad>[0])(t as never) as Tensor;
    }
    // The draws as a function of alpha, with dx/dalpha as its derivative. The draws come from
    // the StandardGammaSample kernel (standardGammaScalar along one stream; @vitae/wasm's
    // implementation gives the same bits).
    const state = new Prng(seed).state();
    const withImplicitGrad = (alphaB: Tensor, save: (tensors: Tensor[]) => void) => {
      const x = standardGammaSample(alphaB, state);
      save([x, alphaB]);
      return {
        value: x,
        gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, standardGammaGrad(saved[0] as Tensor, saved[1] as Tensor)),
      };
    };
    return tf.customGrad(withImplicitGrad as unknown as Parameters<typeof tf.customGrad>[0])(a as never) as Tensor;
  });
}

/** One Poisson(rate) draw: multiplication of uniforms for rate < 10, PTRS (Hörmann 1993) above. */
export function poissonScalar(prng: Prng, rate: number): number {
  if (rate === 0) return 0;
  if (rate < 10) {
    const limit = Math.exp(-rate);
    let k = 0;
    let p = prng.nextDouble();
    while (p > limit) {
      k++;
      p *= prng.nextDouble();
    }
    return k;
  }
  const sqrtRate = Math.sqrt(rate);
  const logRate = Math.log(rate);
  const b = 0.931 + 2.53 * sqrtRate;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = prng.nextDouble() - 0.5;
    const v = prng.nextDouble();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -rate + k * logRate - lgammaScalar(k + 1)) return k;
  }
}

/** Poisson(rate) counts as float32; `rate` (>= 0) broadcasts to `shape`. */
export function randomPoisson(shape: number[], rate: TensorInput, options: SeedOptions): Tensor {
  assertShape(shape, 'randomPoisson');
  const seed = checkedSeed(options, 'randomPoisson');
  const rates = parameterValues(rate, shape, 'randomPoisson', 'rate');
  rates.forEach((r, i) => {
    if (!(r >= 0) || r === Infinity) throw new RangeError(`randomPoisson: argument 'rate' must be finite and >= 0, got ${r} at index ${i}`);
  });
  const prng = new Prng(seed);
  const out = new Float32Array(rates.length);
  for (let i = 0; i < out.length; i++) out[i] = poissonScalar(prng, rates[i] as number);
  return tf.tensor(out, shape, 'float32');
}

/** 0 / 1 draws (float32) with success probability `probs` (in [0, 1]) broadcast to `shape`. */
export function randomBernoulli(shape: number[], probs: TensorInput, options: SeedOptions): Tensor {
  assertShape(shape, 'randomBernoulli');
  const seed = checkedSeed(options, 'randomBernoulli');
  const p = parameterValues(probs, shape, 'randomBernoulli', 'probs');
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`randomBernoulli: argument 'probs' must be in [0, 1], got ${v} at index ${i}`);
  });
  const prng = new Prng(seed);
  const out = new Float32Array(p.length);
  for (let i = 0; i < out.length; i++) out[i] = prng.nextDouble() < (p[i] as number) ? 1 : 0;
  return tf.tensor(out, shape, 'float32');
}

/**
 * Category indices (int32) drawn from unnormalised log-probabilities over the last axis:
 * logits [K] gives [numSamples], logits [B, K] gives [B, numSamples].
 */
export function randomCategorical(logits: TensorInput, numSamples: number, options: SeedOptions): Tensor {
  const seed = checkedSeed(options, 'randomCategorical');
  if (!Number.isInteger(numSamples) || numSamples < 0) {
    throw new RangeError(`randomCategorical: argument 'numSamples' must be a non-negative integer, got ${describe(numSamples)}`);
  }
  const t = toFloatTensor(logits, 'randomCategorical', 'logits');
  const values = t.dataSync().slice();
  const shape = t.shape;
  if (t !== logits) t.dispose();
  if (shape.length !== 1 && shape.length !== 2) {
    throw new RangeError(`randomCategorical: argument 'logits' must have rank 1 or 2, got shape [${shape.join(', ')}]`);
  }
  const k = shape[shape.length - 1] as number;
  const batch = shape.length === 2 ? (shape[0] as number) : 1;
  if (k === 0) throw new RangeError(`randomCategorical: argument 'logits' must have at least one category`);
  const prng = new Prng(seed);
  const out = new Int32Array(batch * numSamples);
  const cdf = new Float64Array(k);
  for (let b = 0; b < batch; b++) {
    // Stable softmax into a cumulative distribution, then inverse-CDF sampling.
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, values[b * k + j] as number);
    if (!Number.isFinite(max)) throw new RangeError(`randomCategorical: row ${b} of 'logits' has no finite maximum (got ${max})`);
    let total = 0;
    for (let j = 0; j < k; j++) {
      total += Math.exp((values[b * k + j] as number) - max);
      cdf[j] = total;
    }
    for (let s = 0; s < numSamples; s++) {
      const u = prng.nextDouble() * total;
      let lo = 0;
      let hi = k - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cdf[mid] as number) < u) lo = mid + 1;
        else hi = mid;
      }
      out[b * numSamples + s] = lo;
    }
  }
  return tf.tensor(out, shape.length === 2 ? [batch, numSamples] : [numSamples], 'int32');
}

/** Uniform integers (int32) in [low, high). */
export function randomInt(shape: number[], low: number, high: number, options: SeedOptions): Tensor {
  assertShape(shape, 'randomInt');
  const seed = checkedSeed(options, 'randomInt');
  if (!Number.isInteger(low) || !Number.isInteger(high) || !(high > low) || high - low > 4294967296) {
    throw new RangeError(`randomInt: arguments 'low' and 'high' must be integers with low < high and high - low <= 2^32, got ${low}, ${high}`);
  }
  const prng = new Prng(seed);
  const out = new Int32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = low + prng.nextBelow(high - low);
  return tf.tensor(out, shape, 'int32');
}

/** A uniformly random permutation of 0 … n-1 (Fisher–Yates), as a plain Int32Array (e.g. minibatch order). */
export function permutation(n: number, options: SeedOptions): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`permutation: argument 'n' must be a non-negative integer, got ${describe(n)}`);
  const seed = checkedSeed(options, 'permutation');
  const prng = new Prng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = prng.nextBelow(i + 1);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}
