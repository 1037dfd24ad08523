import * as t from '@vitae/tensor';
import { lgammaScalar } from '@vitae/tensor/kernels';
import { nonnegative, nonnegativeInteger, positive, real, interval } from '../constraints.js';
import { Distribution, expandTo, handOver, prepareParams } from '../distribution.js';
import { logNbPositive, NB_EPS } from '../likelihoods/negative-binomial.js';
import { countEntropy } from '../special/count-entropy.js';

import type { Tensor, TensorInput } from '@vitae/tensor';
import type { Constraint } from '../constraints.js';
import type { DistributionOptions, PreparedParams } from '../distribution.js';

/**
 * The parameterisations of the negative binomial:
 * - `{ mu, theta }`: mean and inverse dispersion (scvi-tools; variance mu + mu² / theta);
 * - `{ totalCount, logits }`: torch's (mean totalCount · exp(logits));
 * - `{ totalCount, probs }`: torch's (probs = sigmoid(logits)).
 */
export type NegativeBinomialParams =
  | { mu: TensorInput; theta: TensorInput }
  | { totalCount: TensorInput; logits: TensorInput }
  | { totalCount: TensorInput; probs: TensorInput };

/** Resolves any parameterisation to prepared `{ mu, theta }` tensors; validated on the given names. */
export function nbMeanDispersion(fn: string, params: unknown, extra: Record<string, TensorInput> = {}): { prepared: PreparedParams; mu: Tensor; theta: Tensor; given: Record<string, Tensor> } {
  if (typeof params !== 'object' || params === null || Array.isArray(params) || params instanceof t.Tensor) {
    throw new TypeError(`${fn}: the first argument must be an object { mu, theta } or { totalCount, logits }, got ${t.describeValue(params)}`);
  }
  const p = params as Record<string, TensorInput | undefined>;
  const keys = Object.keys(p).filter((k) => p[k] !== undefined && !(k in extra));
  const has = (...names: string[]) => names.every((n) => keys.includes(n)) && keys.length === names.length;
  let prepared: PreparedParams;
  if (has('mu', 'theta')) {
    prepared = prepareParams(fn, { mu: p.mu as TensorInput, theta: p.theta as TensorInput, ...extra });
    return { prepared, mu: prepared.tensors.mu as Tensor, theta: prepared.tensors.theta as Tensor, given: prepared.tensors };
  }
  if (has('totalCount', 'logits') || has('totalCount', 'probs')) {
    const kind = keys.includes('logits') ? 'logits' : 'probs';
    prepared = prepareParams(fn, { totalCount: p.totalCount as TensorInput, [kind]: p[kind] as TensorInput, ...extra });
    const r = prepared.tensors.totalCount as Tensor;
    const given = prepared.tensors[kind] as Tensor;
    const mu = t.tidy(() => (kind === 'logits' ? t.mul(r, t.exp(given)) : t.div(t.mul(r, given), t.sub(1, given))));
    prepared.created.push(mu);
    return { prepared, mu, theta: r, given: prepared.tensors };
  }
  throw new TypeError(`${fn}: pass { mu, theta }, { totalCount, logits } or { totalCount, probs }, got keys ${JSON.stringify(keys)}`);
}

/**
 * NegativeBinomial: counts with mean mu and variance mu + mu² / theta (a Gamma–Poisson mixture).
 * logProb is scvi-tools' `log_nb_positive` (see `logNbPositive`).
 */
export class NegativeBinomial extends Distribution {
  static override readonly argConstraints = {
    mu: nonnegative,
    theta: positive,
    totalCount: positive,
    logits: real,
    probs: interval(0, 1 - 2 ** -24),
  };
  /** Mean. */
  readonly mu: Tensor;
  /** Inverse dispersion (torch's totalCount). */
  readonly theta: Tensor;
  /** The eps inside the logarithms of the log-likelihood. */
  readonly eps: number;

  constructor(params: NegativeBinomialParams, options?: DistributionOptions & { eps?: number }) {
    const r = nbMeanDispersion('NegativeBinomial', params);
    super(r.prepared.batchShape, [], options);
    this.mu = r.mu;
    this.theta = r.theta;
    this.eps = options?.eps ?? NB_EPS;
    this.adopt(r.prepared, r.given);
  }

  get support(): Constraint {
    return nonnegativeInteger;
  }

  /** Gamma(theta, theta / mu) rates, then Poisson draws (scvi-tools' sampler). */
  protected override sampleImpl(shape: number[], seed: number): Tensor {
    const full = this.extendedShape(shape);
    const [gammaSeed, poissonSeed] = t.splitSeed(seed, 2) as [number, number];
    const g = t.randomGamma(full, t.broadcastTo(this.theta, full), { seed: gammaSeed });
    const rates = t.mul(g, t.div(this.mu, this.theta));
    return t.randomPoisson(full, rates, { seed: poissonSeed });
  }

  protected logProbImpl(x: Tensor): Tensor {
    return logNbPositive(x, this.mu, this.theta, this.eps);
  }

  override get mean(): Tensor {
    return t.clone(this.mu);
  }

  /** mu + mu² / theta. */
  override get variance(): Tensor {
    return t.tidy(() => t.add(this.mu, t.div(t.square(this.mu), this.theta)));
  }

  /** No closed form: -Σ p log p summed in float64 on the host (no gradient). */
  override entropy(): Tensor {
    return nbEntropy(this.mu, this.theta, null, this.batchShape);
  }

  expand(batchShape: readonly number[]): NegativeBinomial {
    const shape = this.checkExpandShape(batchShape);
    const mu = expandTo(this.mu, shape);
    const theta = expandTo(this.theta, shape);
    return handOver(new NegativeBinomial({ mu, theta }, { validateArgs: false, eps: this.eps }), [mu, theta]);
  }
}

/** Entropy of NB(mu, theta), zero-inflated with probability pi where given, by summation. */
export function nbEntropy(muT: Tensor, thetaT: Tensor, piT: Tensor | null, batchShape: readonly number[]): Tensor {
  const mus = muT.dataSync();
  const thetas = thetaT.dataSync();
  const pis = piT?.dataSync();
  const out = new Float32Array(mus.length);
  for (let i = 0; i < out.length; i++) {
    const mu = mus[i] as number;
    const theta = thetas[i] as number;
    const pi = pis ? (pis[i] as number) : 0;
    const logP = Math.log(theta / (theta + mu)); // log P(0) of the NB, exact form
    const logQ = Math.log(mu / (theta + mu));
    const c = -lgammaScalar(theta);
    const nbLog = (k: number) => (k === 0 ? theta * logP : c + lgammaScalar(k + theta) - lgammaScalar(k + 1) + theta * logP + k * logQ);
    const logPmf = pi === 0 ? nbLog : (k: number) => (k === 0 ? Math.log(pi + (1 - pi) * Math.exp(nbLog(0))) : Math.log1p(-pi) + nbLog(k));
    out[i] = mu === 0 ? 0 : countEntropy(logPmf, mu);
  }
  return t.tensor(out, [...batchShape]);
}
