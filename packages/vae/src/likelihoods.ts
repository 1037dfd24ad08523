// Likelihoods p(x | z) for the VAE decoder: which outputs the decoder has, how each is
// constrained, and which distribution they parameterise. Any @vitae/distributions family fits
// through `likelihood({...})`; the built-ins cover the usual cases.
//
//   heads     per-item outputs, one value per feature: decoder(z) -> [..., B, nInput]
//   globals   per-feature parameters learned alongside the network (e.g. a per-gene scale)
//   constraints map an unconstrained value u to the parameter: real u, positive softplus(u),
//   unit sigmoid(u).
import { Bernoulli, ContinuousBernoulli, Normal, Poisson } from '@vitae/distributions';
import { describeValue, sigmoid, softplus } from '@vitae/tensor';

import type { Distribution } from '@vitae/distributions';
import type { Tensor } from '@vitae/tensor';

export type ParamConstraint = 'real' | 'positive' | 'unit';

export interface GlobalParam {
  constraint: ParamConstraint;
  /** Starting value of the constrained parameter (default 1 for positive, 0.5 for unit, 0 for real). */
  init?: number;
}

export interface Likelihood {
  readonly name: string;
  readonly heads: Readonly<Record<string, ParamConstraint>>;
  readonly globals?: Readonly<Record<string, GlobalParam>>;
  /**
   * The distribution of x, elementwise (event shape []), with the batch shape of the heads
   * ([..., B, nInput]; globals are [nInput] and broadcast). Build it with
   * `{ validateArgs: false }`: it runs every step.
   */
  distribution(params: Record<string, Tensor>): Distribution;
  /** Checks the data suits the likelihood (e.g. 0/1 for Bernoulli); throws a clear error. */
  checkData?(values: Float32Array, fn: string): void;
  /** How a saved model rebuilds a built-in likelihood (absent for custom ones). */
  readonly builtin?: BuiltinLikelihood;
}

/** A built-in likelihood as saved in a model's config.json. */
export type BuiltinLikelihood =
  | { kind: 'gaussian'; variance: 'feature' | 'item' | number }
  | { kind: 'bernoulli' }
  | { kind: 'continuous-bernoulli' }
  | { kind: 'poisson' };

/** The built-in likelihood a saved config names. */
export function builtinLikelihood(spec: BuiltinLikelihood): Likelihood {
  if (spec.kind === 'gaussian') return gaussianLikelihood({ variance: spec.variance });
  if (spec.kind === 'bernoulli') return bernoulliLikelihood();
  if (spec.kind === 'continuous-bernoulli') return continuousBernoulliLikelihood();
  if (spec.kind === 'poisson') return poissonLikelihood();
  throw new TypeError(`builtinLikelihood: unknown likelihood kind ${describeValue((spec as { kind: unknown }).kind)}`);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A likelihood from any distribution family; the names become parameter names in saved files. */
export function likelihood(spec: Likelihood): Likelihood {
  const fn = 'likelihood';
  if (typeof spec !== 'object' || spec === null) throw new TypeError(`${fn}: argument 'spec' must be an object, got ${describeValue(spec)}`);
  if (typeof spec.name !== 'string' || spec.name.length === 0) throw new TypeError(`${fn}: field 'name' must be a non-empty string, got ${describeValue(spec.name)}`);
  const heads = Object.entries(spec.heads ?? {});
  if (heads.length === 0) throw new RangeError(`${fn}: field 'heads' must name at least one decoder output`);
  const all = [...heads.map(([n, c]) => [n, c] as const), ...Object.entries(spec.globals ?? {}).map(([n, g]) => [n, g?.constraint] as const)];
  for (const [name, constraint] of all) {
    if (!NAME.test(name)) throw new TypeError(`${fn}: parameter name '${name}' must be an identifier (${NAME})`);
    if (constraint !== 'real' && constraint !== 'positive' && constraint !== 'unit') {
      throw new TypeError(`${fn}: parameter '${name}' must have constraint 'real', 'positive' or 'unit', got ${describeValue(constraint)}`);
    }
  }
  if (typeof spec.distribution !== 'function') throw new TypeError(`${fn}: field 'distribution' must be a function (params) => Distribution, got ${describeValue(spec.distribution)}`);
  return spec;
}

/** u -> parameter. */
export function constrain(u: Tensor, constraint: ParamConstraint): Tensor {
  return constraint === 'real' ? u : constraint === 'positive' ? softplus(u) : sigmoid(u);
}

/** parameter -> u (for initial values of globals). */
export function unconstrain(value: number, constraint: ParamConstraint): number {
  if (constraint === 'positive') return value > 20 ? value : Math.log(Math.expm1(value));
  if (constraint === 'unit') return Math.log(value / (1 - value));
  return value;
}

export interface GaussianLikelihoodOptions {
  /**
   * 'feature' (default): one learned variance per feature; 'item': a decoder head (variance
   * depends on z); a number: that fixed variance (e.g. 1, as in the linear-VAE derivations).
   */
  variance?: 'feature' | 'item' | number;
}

/** x ~ Normal(loc(z), σ): loc from the decoder, σ per feature, per item, or fixed. */
export function gaussianLikelihood(options: GaussianLikelihoodOptions = {}): Likelihood {
  const variance = options.variance ?? 'feature';
  if (typeof variance === 'number') {
    if (!(variance > 0) || !Number.isFinite(variance)) throw new RangeError(`gaussianLikelihood: option 'variance' must be 'feature', 'item' or a finite number > 0, got ${variance}`);
    const scale = Math.sqrt(variance);
    return likelihood({ name: 'gaussian', builtin: { kind: 'gaussian', variance }, heads: { loc: 'real' }, distribution: (p) => new Normal(p.loc as Tensor, scale, { validateArgs: false }) });
  }
  if (variance === 'item') {
    return likelihood({ name: 'gaussian', builtin: { kind: 'gaussian', variance }, heads: { loc: 'real', scale: 'positive' }, distribution: (p) => new Normal(p.loc as Tensor, p.scale as Tensor, { validateArgs: false }) });
  }
  if (variance !== 'feature') throw new RangeError(`gaussianLikelihood: option 'variance' must be 'feature', 'item' or a finite number > 0, got ${describeValue(variance)}`);
  return likelihood({
    name: 'gaussian',
    builtin: { kind: 'gaussian', variance },
    heads: { loc: 'real' },
    globals: { scale: { constraint: 'positive', init: 1 } },
    distribution: (p) => new Normal(p.loc as Tensor, p.scale as Tensor, { validateArgs: false }),
  });
}

/** x ∈ {0, 1} ~ Bernoulli(sigmoid(logits(z))), e.g. binarized images. */
export function bernoulliLikelihood(): Likelihood {
  return likelihood({
    name: 'bernoulli',
    builtin: { kind: 'bernoulli' },
    heads: { logits: 'real' },
    distribution: (p) => new Bernoulli({ logits: p.logits as Tensor }, { validateArgs: false }),
    checkData(values, fn) {
      const k = values.findIndex((v) => v !== 0 && v !== 1);
      if (k >= 0) throw new RangeError(`${fn}: the Bernoulli likelihood needs data in {0, 1} (binarize first), got ${values[k]} at flat index ${k}`);
    },
  });
}

/**
 * x ∈ [0, 1] ~ ContinuousBernoulli(sigmoid(logits(z))), e.g. grey-level images: the normalised
 * density for data the Bernoulli cross-entropy is often (improperly) applied to, so the ELBO and
 * IWAE stay bounds on a log-likelihood.
 */
export function continuousBernoulliLikelihood(): Likelihood {
  return likelihood({
    name: 'continuous_bernoulli',
    builtin: { kind: 'continuous-bernoulli' },
    heads: { logits: 'real' },
    distribution: (p) => new ContinuousBernoulli({ logits: p.logits as Tensor }, { validateArgs: false }),
    checkData(values, fn) {
      const k = values.findIndex((v) => !(v >= 0 && v <= 1));
      if (k >= 0) throw new RangeError(`${fn}: the continuous Bernoulli likelihood needs data in [0, 1], got ${values[k]} at flat index ${k}`);
    },
  });
}

/** x ∈ {0, 1, 2, …} ~ Poisson(softplus(rate(z))). */
export function poissonLikelihood(): Likelihood {
  return likelihood({
    name: 'poisson',
    builtin: { kind: 'poisson' },
    heads: { rate: 'positive' },
    distribution: (p) => new Poisson(p.rate as Tensor, { validateArgs: false }),
    checkData(values, fn) {
      const k = values.findIndex((v) => v < 0 || !Number.isInteger(v));
      if (k >= 0) throw new RangeError(`${fn}: the Poisson likelihood needs counts (integers >= 0), got ${values[k]} at flat index ${k}`);
    },
  });
}
