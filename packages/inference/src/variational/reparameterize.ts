// Reparameterized sampling helpers: z = g(ε; θ) with ε from a fixed distribution, so that
// gradients of a Monte Carlo objective flow into θ (Kingma & Welling 2014).
import { Distribution, tryBroadcastShapes } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { integerAtLeast } from '../validate.js';

import type { Tensor, TensorInput } from '@vitae/tensor';

/** z = loc + scale · ε, ε ~ N(0, I), with `samples` draws stacked on a new leading axis when given. */
export function reparameterizeNormal(loc: TensorInput, scale: TensorInput, options: { seed: number; samples?: number }): Tensor {
  return t.tidy(() => {
    const l = t.toFloatTensor(loc, 'reparameterizeNormal', 'loc');
    const s = t.toFloatTensor(scale, 'reparameterizeNormal', 'scale');
    const shape = tryBroadcastShapes(l.shape, s.shape);
    if (shape === null) throw new RangeError(`reparameterizeNormal: the shapes of 'loc' [${l.shape.join(', ')}] and 'scale' [${s.shape.join(', ')}] do not broadcast`);
    const full = options.samples === undefined ? shape : [integerAtLeast(options.samples, 'reparameterizeNormal', 'samples', 1), ...shape];
    return t.add(l, t.mul(s, t.randomNormal(full, { seed: options.seed })));
  });
}

/** The standard deviation from a log-variance: exp(½ logVar). */
export function scaleFromLogVar(logVar: TensorInput): Tensor {
  return t.tidy(() => t.exp(t.mul(t.toFloatTensor(logVar, 'scaleFromLogVar', 'logVar'), 0.5)));
}

/**
 * `samples` pathwise-differentiable draws from `dist` (shape [samples] ++ batch ++ event), with
 * an error that says what to do when the family has no reparameterized sampler.
 */
export function reparameterize(dist: Distribution, options: { seed: number; samples?: number }): Tensor {
  if (!(dist instanceof Distribution)) throw new TypeError(`reparameterize: argument 'dist' must be a Distribution, got ${t.describeValue(dist)}`);
  if (!dist.hasRsample) {
    throw new Error(
      `reparameterize: ${dist.name} has no reparameterized sampler; use a family with rsample (Normal, Gamma, Dirichlet, RelaxedOneHotCategorical, …) or marginalise the discrete variable`,
    );
  }
  const samples = integerAtLeast(options.samples ?? 1, 'reparameterize', 'samples', 1);
  return dist.rsample([samples], { seed: options.seed });
}
