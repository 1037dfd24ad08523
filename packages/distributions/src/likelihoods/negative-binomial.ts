// Functional count log-likelihoods in scvi-tools' numerically careful form. The distribution
// classes wrap these, and models call them directly. Both are one fused kernel of
// @vitae/tensor (`logNb` / `logZinb`: value and gradients in one pass, SIMD with @vitae/wasm).
// All arguments broadcast.
import * as t from '@vitae/tensor';

import type { Tensor, TensorInput } from '@vitae/tensor';

/** The eps scvi-tools adds inside the logarithms (keeps mu = 0 and theta → 0 finite). */
export const NB_EPS = 1e-8;

function floats(fn: string, args: Record<string, TensorInput>): Tensor[] {
  return Object.entries(args).map(([name, v]) => t.toFloatTensor(v, fn, name));
}

/**
 * log NB(x; mean mu, inverse dispersion theta):
 *   theta (log(theta + eps) - log(theta + mu + eps)) + x (log(mu + eps) - log(theta + mu + eps))
 *   + lgamma(x + theta) - lgamma(theta) - lgamma(x + 1)
 */
export function logNbPositive(x: TensorInput, mu: TensorInput, theta: TensorInput, eps = NB_EPS): Tensor {
  return t.tidy(() => {
    const [tx, tmu, ttheta] = floats('logNbPositive', { x, mu, theta }) as [Tensor, Tensor, Tensor];
    return t.logNb(tx, tmu, ttheta, eps);
  });
}

/**
 * log ZINB(x; mu, theta, zero-inflation logits pi):
 *   x = 0: softplus(-pi + theta (log(theta + eps) - log(theta + mu + eps))) - softplus(-pi)
 *   x > 0: -softplus(-pi) - pi + theta (…) + x (log(mu + eps) - log(theta + mu + eps))
 *          + lgamma(x + theta) - lgamma(theta) - lgamma(x + 1)
 * (the zero case is x < eps, as scvi-tools).
 */
export function logZinbPositive(x: TensorInput, mu: TensorInput, theta: TensorInput, pi: TensorInput, eps = NB_EPS): Tensor {
  return t.tidy(() => {
    const [tx, tmu, ttheta, tpi] = floats('logZinbPositive', { x, mu, theta, pi }) as [Tensor, Tensor, Tensor, Tensor];
    return t.logZinb(tx, tmu, ttheta, tpi, eps);
  });
}
