// The `{ logits } | { probs }` argument of Bernoulli, Categorical, OneHotCategorical and
// RelaxedOneHotCategorical: exactly one of the two, with a clear error otherwise.
import * as t from '@vitae/tensor';

import type { TensorInput } from '@vitae/tensor';

export type LogitsOrProbs = { logits: TensorInput; probs?: undefined } | { probs: TensorInput; logits?: undefined };

/** Which of the two was given, and its value. */
export function pickLogitsOrProbs(fn: string, params: unknown): ['logits' | 'probs', TensorInput] {
  if (typeof params !== 'object' || params === null || Array.isArray(params) || params instanceof t.Tensor) {
    throw new TypeError(`${fn}: the first argument must be an object { logits } or { probs }, got ${t.describeValue(params)}`);
  }
  const p = params as { logits?: TensorInput; probs?: TensorInput };
  const hasLogits = p.logits !== undefined;
  const hasProbs = p.probs !== undefined;
  if (hasLogits === hasProbs) {
    throw new TypeError(`${fn}: pass exactly one of 'logits' or 'probs', got ${hasLogits ? 'both' : 'neither'}`);
  }
  return hasLogits ? ['logits', p.logits as TensorInput] : ['probs', p.probs as TensorInput];
}
