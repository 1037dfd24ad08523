// The Monte Carlo evidence lower bound and the importance-weighted bound.
//
//   ELBO(x) = E_q(z|x)[log p(x|z)] - KL(q(z|x) || p(z))                     (reconstruction - KL)
//   IWAE_K(x) = E[log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x)],  z_k ~ q        (Burda et al. 2016)
//
// ELBO = IWAE_1 <= IWAE_K <= IWAE_{K+1} <= log p(x).
import { Distribution } from '@vitae/distributions';
import { klDivergence, lookupKL } from '@vitae/kl';
import * as t from '@vitae/tensor';
import { finite, integerAtLeast } from '../validate.js';
import { reparameterize } from './reparameterize.js';

import type { Tensor } from '@vitae/tensor';

export interface ElboOptions {
  /** q(z | x): batch shape B (use Independent for a vector latent), with rsample. */
  posterior: Distribution;
  /** p(z): its batch shape broadcasts with B and its event shape equals q's. */
  prior: Distribution;
  /** log p(x | z) for z of shape [K] ++ B ++ event; returns [K] ++ B. */
  logLikelihood: (z: Tensor) => Tensor;
  /** K, the number of draws from q (default 1). */
  samples?: number;
  seed: number;
  /** Weight of the KL term in `loss` (β-VAE, KL warm-up); default 1. The `elbo` output is unweighted. */
  klWeight?: number;
  /**
   * 'auto' (default): the registered closed form where one exists, otherwise the Monte Carlo
   * estimate log q(z) - log p(z) on the same draws; 'analytic' requires a closed form; 'mc'
   * always estimates.
   */
  kl?: 'auto' | 'analytic' | 'mc';
}

export interface ElboResult {
  /** reconstruction - kl per batch element, shape B. */
  elbo: Tensor;
  /** E_q[log p(x | z)] (mean over the K draws), shape B. */
  reconstruction: Tensor;
  /** KL(q || p), shape B. */
  kl: Tensor;
  /** mean over the batch of -(reconstruction - klWeight · kl): the scalar to minimise. */
  loss: Tensor;
  /** Whether `kl` is a closed form. */
  analyticKl: boolean;
}

function checkModel(fn: string, options: { posterior: unknown; prior: unknown; logLikelihood: unknown }): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: argument 'options' must be an object, got ${t.describeValue(options)}`);
  if (!(options.posterior instanceof Distribution)) throw new TypeError(`${fn}: option 'posterior' must be a Distribution, got ${t.describeValue(options.posterior)}`);
  if (!(options.prior instanceof Distribution)) throw new TypeError(`${fn}: option 'prior' must be a Distribution, got ${t.describeValue(options.prior)}`);
  if (typeof options.logLikelihood !== 'function') {
    throw new TypeError(`${fn}: option 'logLikelihood' must be a function (z) => Tensor, got ${t.describeValue(options.logLikelihood)}`);
  }
}

/** Calls the user's log-likelihood and checks the shape it returns. */
function logLikelihoodOf(fn: string, logLikelihood: (z: Tensor) => Tensor, z: Tensor, expected: number[]): Tensor {
  const ll = logLikelihood(z);
  const ok = ll instanceof t.Tensor && ll.shape.length === expected.length && ll.shape.every((d, i) => d === expected[i]);
  if (!ok) {
    throw new RangeError(`${fn}: option 'logLikelihood' must return a Tensor of shape [${expected.join(', ')}] (samples ++ batch), got ${t.describeValue(ll)}`);
  }
  return ll;
}

/** The Monte Carlo ELBO with K reparameterized draws, its reconstruction and KL parts, and the loss. */
export function elbo(options: ElboOptions): ElboResult {
  const fn = 'elbo';
  checkModel(fn, options);
  const { posterior: q, prior: p } = options;
  const samples = integerAtLeast(options.samples ?? 1, fn, 'samples', 1);
  const klWeight = finite(options.klWeight ?? 1, fn, 'klWeight');
  const mode = options.kl ?? 'auto';
  if (mode !== 'auto' && mode !== 'analytic' && mode !== 'mc') throw new TypeError(`${fn}: option 'kl' must be 'auto', 'analytic' or 'mc', got ${t.describeValue(mode)}`);
  const analytic = mode !== 'mc' && lookupKL(q.constructor as never, p.constructor as never) !== null;
  if (mode === 'analytic' && !analytic) {
    throw new Error(`${fn}: option kl = 'analytic' but no closed form is registered for KL(${q.constructor.name} || ${p.constructor.name})`);
  }
  return t.tidy(() => {
    const z = reparameterize(q, { seed: options.seed, samples });
    const ll = logLikelihoodOf(fn, options.logLikelihood, z, [samples, ...q.batchShape]);
    const reconstruction = t.mean(ll, 0);
    const kl = analytic ? klDivergence(q, p) : t.mean(t.sub(q.logProb(z), p.logProb(z)), 0);
    const klB = t.broadcastTo(kl, reconstruction.shape);
    const elboValue = t.sub(reconstruction, klB);
    const loss = t.neg(t.mean(t.sub(reconstruction, t.mul(klB, klWeight))));
    return { elbo: elboValue, reconstruction, kl: klB, loss, analyticKl: analytic };
  });
}

export interface IwaeOptions {
  posterior: Distribution;
  prior: Distribution;
  logLikelihood: (z: Tensor) => Tensor;
  /** K >= 1 importance samples (K = 1 is the ELBO with a Monte Carlo KL). */
  samples: number;
  seed: number;
}

export interface IwaeResult {
  /** log (1/K) Σ_k w_k, shape B: a lower bound on log p(x), tight as K → ∞. */
  bound: Tensor;
  /** -mean(bound), the scalar to minimise for the IWAE objective. */
  loss: Tensor;
  /** Normalised importance weights w_k / Σ w, shape [K] ++ B (gradient-free). */
  weights: Tensor;
}

/** The importance-weighted bound: logsumexp_k(log p(x|z_k) + log p(z_k) - log q(z_k|x)) - log K. */
export function iwae(options: IwaeOptions): IwaeResult {
  const fn = 'iwae';
  checkModel(fn, options);
  const { posterior: q, prior: p } = options;
  const samples = integerAtLeast(options.samples, fn, 'samples', 1);
  return t.tidy(() => {
    const z = reparameterize(q, { seed: options.seed, samples });
    const ll = logLikelihoodOf(fn, options.logLikelihood, z, [samples, ...q.batchShape]);
    const logW = t.sub(t.add(ll, p.logProb(z)), q.logProb(z));
    const bound = t.sub(t.logSumExp(logW, 0), Math.log(samples));
    const weights = t.stopGradient(t.softmax(t.transpose(logW, [...logW.shape.keys()].slice(1).concat(0))));
    const back = [logW.rank - 1, ...[...Array(logW.rank - 1).keys()]];
    return { bound, loss: t.neg(t.mean(bound)), weights: t.transpose(weights, back) };
  });
}
