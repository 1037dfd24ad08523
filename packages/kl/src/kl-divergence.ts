import { Distribution, tryBroadcastShapes } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { lookupKL } from './registry.js';

import type { Tensor } from '@vitae/tensor';

function formatShapeForKl(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export interface MonteCarloKLOptions {
  /** Number of draws from p (default 1, the usual single-sample estimate in an ELBO). */
  samples?: number;
  /** Seed of the draws from p. */
  seed: number;
}

export type KLOptions = { fallback?: 'none' } | ({ fallback: 'mc' } & MonteCarloKLOptions);

function checkPair(fn: string, p: unknown, q: unknown): [Distribution, Distribution] {
  if (!(p instanceof Distribution)) throw new TypeError(`${fn}: argument 'p' must be a Distribution, got ${t.describeValue(p)}`);
  if (!(q instanceof Distribution)) throw new TypeError(`${fn}: argument 'q' must be a Distribution, got ${t.describeValue(q)}`);
  const sameEvent = p.eventShape.length === q.eventShape.length && p.eventShape.every((d, i) => d === q.eventShape[i]);
  if (!sameEvent) {
    throw new RangeError(`${fn}: p and q must have the same event shape, got ${p.name} ${formatShapeForKl(p.eventShape)} and ${q.name} ${formatShapeForKl(q.eventShape)}`);
  }
  if (tryBroadcastShapes(p.batchShape, q.batchShape) === null) {
    throw new RangeError(`${fn}: the batch shapes of p ${formatShapeForKl(p.batchShape)} and q ${formatShapeForKl(q.batchShape)} do not broadcast`);
  }
  return [p, q];
}

/**
 * KL(p || q) = E_p[log p(x) - log q(x)], shape broadcast(p.batchShape, q.batchShape).
 *
 * Uses the registered closed form for the most specific matching pair of classes. Without one
 * it throws, unless `{ fallback: 'mc', samples, seed }` asks for the Monte Carlo estimate (see
 * `monteCarloKL`).
 */
export function klDivergence(p: Distribution, q: Distribution, options: KLOptions = {}): Tensor {
  checkPair('klDivergence', p, q);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`klDivergence: argument 'options' must be an object, got ${t.describeValue(options)}`);
  }
  const fn = lookupKL(p.constructor as never, q.constructor as never);
  if (fn) return t.tidy(() => fn(p, q));
  if (options.fallback === 'mc') return monteCarloKL(p, q, options);
  if (options.fallback !== undefined && options.fallback !== 'none') {
    throw new TypeError(`klDivergence: option 'fallback' must be 'mc' or 'none', got ${t.describeValue(options.fallback)}`);
  }
  throw new Error(
    `klDivergence: no closed form is registered for KL(${p.constructor.name} || ${q.constructor.name}); register one with registerKL(${p.constructor.name}, ${q.constructor.name}, fn) or pass { fallback: 'mc', samples, seed } for a Monte Carlo estimate`,
  );
}

/**
 * The Monte Carlo estimate (1/S) Σ_s [log p(x_s) - log q(x_s)], x_s ~ p. Draws use
 * p.rsample where p has one, so the estimate is differentiable in p's parameters (pathwise);
 * otherwise p.sample, and gradients reach only through the log-densities.
 */
export function monteCarloKL(p: Distribution, q: Distribution, options: MonteCarloKLOptions): Tensor {
  checkPair('monteCarloKL', p, q);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`monteCarloKL: argument 'options' must be an object with a 'seed', got ${t.describeValue(options)}`);
  }
  const samples = options.samples ?? 1;
  t.assertInteger(samples, 'monteCarloKL', 'samples', 1);
  return t.tidy(() => {
    // Draw from p at the broadcast batch shape, so that q's batch may be larger than p's.
    const batch = tryBroadcastShapes(p.batchShape, q.batchShape) as number[];
    const sameBatch = batch.length === p.batchShape.length && batch.every((d, i) => d === p.batchShape[i]);
    const pb = sameBatch ? p : p.expand(batch);
    try {
      const x = pb.hasRsample ? pb.rsample([samples], { seed: options.seed }) : pb.sample([samples], { seed: options.seed });
      return t.mean(t.sub(pb.logProb(x), q.logProb(x)), 0);
    } finally {
      if (pb !== p) pb.dispose();
    }
  });
}
