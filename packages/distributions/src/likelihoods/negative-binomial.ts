// Functional count log-likelihoods in scvi-tools' numerically careful form. The distribution
// classes wrap these, and models call them directly, so a fused WASM kernel can replace them
// later without touching the classes. All arguments broadcast.
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
    const logThetaMuEps = t.log(t.add(t.add(ttheta, tmu), eps));
    const res = t.add(
      t.add(t.mul(ttheta, t.sub(t.log(t.add(ttheta, eps)), logThetaMuEps)), t.mul(tx, t.sub(t.log(t.add(tmu, eps)), logThetaMuEps))),
      t.sub(t.sub(t.lgamma(t.add(tx, ttheta)), t.lgamma(ttheta)), t.lgamma(t.add(tx, 1))),
    );
    return res;
  });
}

/**
 * log ZINB(x; mu, theta, zero-inflation logits pi):
 *   x = 0: softplus(-pi + theta (log(theta + eps) - log(theta + mu + eps))) - softplus(-pi)
 *   x > 0: -softplus(-pi) - pi + theta (…) + x (log(mu + eps) - log(theta + mu + eps))
 *          + lgamma(x + theta) - lgamma(theta) - lgamma(x + 1)
 */
export function logZinbPositive(x: TensorInput, mu: TensorInput, theta: TensorInput, pi: TensorInput, eps = NB_EPS): Tensor {
  return t.tidy(() => {
    const [tx, tmu, ttheta, tpi] = floats('logZinbPositive', { x, mu, theta, pi }) as [Tensor, Tensor, Tensor, Tensor];
    const softplusPi = t.softplus(t.neg(tpi));
    const logThetaEps = t.log(t.add(ttheta, eps));
    const logThetaMuEps = t.log(t.add(t.add(ttheta, tmu), eps));
    const piThetaLog = t.add(t.neg(tpi), t.mul(ttheta, t.sub(logThetaEps, logThetaMuEps)));
    const caseZero = t.sub(t.softplus(piThetaLog), softplusPi);
    const caseNonZero = t.add(
      t.add(t.sub(piThetaLog, softplusPi), t.mul(tx, t.sub(t.log(t.add(tmu, eps)), logThetaMuEps))),
      t.sub(t.sub(t.lgamma(t.add(tx, ttheta)), t.lgamma(ttheta)), t.lgamma(t.add(tx, 1))),
    );
    const isZero = t.less(tx, eps);
    const shape = caseNonZero.shape;
    return t.where(t.broadcastTo(isZero, shape), t.broadcastTo(caseZero, shape), caseNonZero);
  });
}
