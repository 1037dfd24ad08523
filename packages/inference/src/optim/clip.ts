// Gradient clipping with torch.nn.utils semantics. Both functions leave their input alone and
// return new gradients (the caller owns and disposes both), in the same form as the input.
import { abs, clipByValue, max, mul, pow, sqrt, square, stack, sum, tidy } from '@vitae/tensor';
import { checkNumber, nonNegative, optionsObject, received } from '../validate.js';
import { gradientEntries, gradientMapLike } from './gradients.js';

import type { Tensor } from '@vitae/tensor';
import type { GradientMap } from './gradients.js';

export interface ClipGradNormOptions {
  /** The p of the p-norm: a number > 0, or Infinity for the max-norm (default 2). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

/** The p-norm of one tensor (float32, as torch.norm on a float32 gradient). */
function tensorNorm(g: Tensor, p: number): Tensor {
  if (p === Infinity) return max(abs(g));
  if (p === 2) return sqrt(sum(square(g)));
  if (p === 1) return sum(abs(g));
  return pow(sum(pow(abs(g), p)), 1 / p);
}

/**
 * torch.nn.utils.clip_grad_norm_: the total norm is the p-norm of all gradients together (the
 * p-norm of their per-tensor p-norms); every gradient is multiplied by
 *   coef = min(1, maxNorm / (totalNorm + 1e-6)).
 * Returns the scaled gradients (new tensors, same form as `grads`) and the total norm before
 * clipping, as a number.
 */
export function clipGradNorm<G extends GradientMap>(grads: G, maxNorm: number, options?: ClipGradNormOptions): { grads: G; totalNorm: number } {
  const fn = 'clipGradNorm';
  const entries = gradientEntries(grads, fn);
  nonNegative(maxNorm, fn, 'maxNorm');
  const o = optionsObject(options, fn);
  const p = o.normType ?? 2;
  if (p !== Infinity) checkNumber(p, fn, 'normType', '> 0 (or Infinity)', (x) => x > 0);
  if (entries.length === 0) return { grads: gradientMapLike(grads, []), totalNorm: 0 };
  const totalNorm = tidy(() => {
    const norms = entries.map(([, g]) => tensorNorm(g, p));
    const total = norms.length === 1 ? (norms[0] as Tensor) : tensorNorm(stack(norms), p);
    return total.dataSync()[0] as number;
  });
  if (o.errorIfNonfinite === true && !Number.isFinite(totalNorm)) {
    throw new Error(`${fn}: the total ${p}-norm of the gradients is ${received(totalNorm)}, so they cannot be clipped (set errorIfNonfinite: false to scale by it anyway)`);
  }
  // torch computes the coefficient in float32 tensors; Math.fround mirrors that rounding.
  const coef = Math.min(1, Math.fround(Math.fround(maxNorm) / Math.fround(Math.fround(totalNorm) + 1e-6)));
  const clipped = entries.map(([k, g]) => [k, tidy(() => mul(g, coef))] as [typeof k, Tensor]);
  return { grads: gradientMapLike(grads, clipped), totalNorm };
}

/** torch.nn.utils.clip_grad_value_: clamps every gradient element to [-clipValue, clipValue]. */
export function clipGradValue<G extends GradientMap>(grads: G, clipValue: number): G {
  const entries = gradientEntries(grads, 'clipGradValue');
  nonNegative(clipValue, 'clipGradValue', 'clipValue');
  return gradientMapLike(
    grads,
    entries.map(([k, g]) => [k, clipByValue(g, -clipValue, clipValue)]),
  );
}
