// Shared parameter handling of the categorical families: normalised logits and probabilities
// over the last axis, from `{ logits }` (any reals) or `{ probs }` (on the simplex).
import * as t from '@vitae/tensor';
import { prepareParams } from '../distribution.js';
import { formatShape } from '../shapes.js';
import { pickLogitsOrProbs } from './logits-or-probs.js';

import type { Tensor } from '@vitae/tensor';
import type { PreparedParams } from '../distribution.js';
import type { LogitsOrProbs } from './logits-or-probs.js';

// The most negative float32: stands in for log 0 where -Infinity would give 0 · -Infinity = NaN.
export const FLOAT32_LOWEST = -3.4028234663852886e38;

export interface CategoricalParams {
  prepared: PreparedParams;
  kind: 'logits' | 'probs';
  /** The tensor the caller gave (broadcast), which validation checks. */
  given: Tensor;
  /** log-probabilities: logits - logsumexp(logits), or log(probs / Σ probs). */
  logits: Tensor;
  probs: Tensor;
  numCategories: number;
}

export function categoricalParams(fn: string, params: LogitsOrProbs): CategoricalParams {
  const [kind, value] = pickLogitsOrProbs(fn, params);
  const prepared = prepareParams(fn, { [kind]: value }, { [kind]: 1 });
  const given = prepared.tensors[kind] as Tensor;
  const numCategories = given.shape[given.rank - 1] as number;
  if (numCategories === 0) {
    t.dispose(prepared.created);
    throw new RangeError(`${fn}: argument '${kind}' must have at least one category on its last axis, got shape ${formatShape(given.shape)}`);
  }
  const [logits, probs] = t.tidy(() => {
    if (kind === 'logits') {
      const normalized = t.sub(given, t.logSumExp(given, -1, true));
      return [normalized, t.exp(normalized)];
    }
    const p = t.div(given, t.sum(given, -1, true));
    return [t.log(p), p];
  });
  return { prepared, kind, given, logits, probs, numCategories };
}
