// The GMM-VAE's constructor options: defaults and checks.
import { ACTIVATION_NAMES, INITIALIZERS, optionChecks } from '@vitae/layers';
import { describeValue } from '@vitae/tensor';
import { resolveLikelihood } from '@vitae/vae';

import type { ActivationName, Initializer } from '@vitae/layers';
import type { BuiltinLikelihoodName, Likelihood } from '@vitae/vae';
import type { GMVAEModuleOptions } from './module.js';
import type { HierarchyOptions } from './prior.js';

export interface GMVAEOptions {
  /** K, the number of mixture components (>= 2; default 10). */
  nComponents?: number;
  nLatent?: number;
  nHidden?: number;
  /** Hidden blocks in the encoder and the decoder (default 1). */
  nLayers?: number;
  dropoutRate?: number;
  useBatchNorm?: boolean;
  activation?: ActivationName;
  init?: Initializer;
  likelihood?: BuiltinLikelihoodName | Likelihood;
  varEps?: number;
  /** Learn the mixture weights π (default true). */
  learnWeights?: boolean;
  /** The hierarchical prior: sibling pairs under parents whose mean is their average. */
  hierarchy?: HierarchyOptions;
  /** How the component k is handled: 'marginal' (exact sum over K, default) or 'gumbel'. */
  categorical?: 'marginal' | 'gumbel';
  /** Gumbel-softmax: straight-through one-hot samples (default false). */
  hard?: boolean;
  seed: number;
}

const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : describeValue(value));

export function resolveGMVAEOptions(fn: string, nInput: number, o: GMVAEOptions): { module: GMVAEModuleOptions; categorical: 'marginal' | 'gumbel'; hard: boolean } {
  if (typeof o !== 'object' || o === null) throw new TypeError(`${fn}: argument 'options' must be an object with at least { seed }, got ${shown(o)}`);
  const check = optionChecks(fn);
  const nComponents = check.integer(o.nComponents ?? 10, 'nComponents', 2);
  const dropoutRate = check.number(o.dropoutRate ?? 0, 'dropoutRate', 0, 1);
  const varEps = check.number(o.varEps ?? 1e-4, 'varEps', 0, Infinity);
  if (o.hierarchy !== undefined) checkHierarchy(fn, o.hierarchy, nComponents);
  return {
    categorical: check.choice(o.categorical ?? 'marginal', 'categorical', ['marginal', 'gumbel'] as const),
    hard: check.flag(o.hard ?? false, 'hard'),
    module: {
      nInput,
      nLatent: check.integer(o.nLatent ?? 10, 'nLatent', 1),
      nComponents,
      nHidden: check.integer(o.nHidden ?? 128, 'nHidden', 1),
      nLayers: check.integer(o.nLayers ?? 1, 'nLayers', 1),
      dropoutRate,
      useBatchNorm: check.flag(o.useBatchNorm ?? false, 'useBatchNorm'),
      activation: check.choice(o.activation ?? 'relu', 'activation', ACTIVATION_NAMES),
      ...(o.init === undefined ? {} : { init: check.choice(o.init, 'init', INITIALIZERS) }),
      varEps,
      likelihood: resolveLikelihood(fn, o.likelihood),
      learnWeights: check.flag(o.learnWeights ?? true, 'learnWeights'),
      ...(o.hierarchy === undefined ? {} : { hierarchy: o.hierarchy }),
      seed: check.integer(o.seed, 'seed', 0),
    },
  };
}

function checkHierarchy(fn: string, h: HierarchyOptions, k: number): void {
  if (typeof h !== 'object' || h === null || !Array.isArray(h.pairs)) throw new TypeError(`${fn}: option 'hierarchy' must be { pairs: [[a, b], ...], scale? }, got ${shown(h)}`);
  const seen = new Set<number>();
  h.pairs.forEach((pair, p) => {
    const ok = Array.isArray(pair) && pair.length === 2 && pair.every((i) => Number.isSafeInteger(i) && i >= 0 && i < k) && pair[0] !== pair[1];
    if (!ok) throw new RangeError(`${fn}: option 'hierarchy.pairs[${p}]' must be two different component indices in [0, ${k}), got ${shown(pair)}`);
    for (const i of pair) {
      if (seen.has(i)) throw new RangeError(`${fn}: option 'hierarchy.pairs' must use each component at most once; component ${i} appears twice`);
      seen.add(i);
    }
  });
  if (h.scale !== undefined && !(typeof h.scale === 'number' && h.scale > 0 && Number.isFinite(h.scale))) throw new RangeError(`${fn}: option 'hierarchy.scale' must be a finite number > 0, got ${shown(h.scale)}`);
}
