// Gumbel-softmax / Concrete relaxation of a categorical sample (Jang et al. 2017; Maddison et
// al. 2017). With g_k = -log(-log U_k), U_k ~ Uniform(0, 1) i.i.d.,
//   argmax_k (logits_k + g_k) ~ Categorical(softmax(logits))          (Gumbel-max trick)
//   y = softmax((logits + g) / tau)                                    (its differentiable relaxation)
// y tends to that one-hot sample as tau -> 0 and to the uniform vector as tau -> infinity.
import { add, argMax, assertShape, cast, clone, customGrad, div, oneHot, randomGumbel, softmax, tidy, toFloatTensor, zerosLike } from '@vitae/tensor';
import { boolean, optionsObject, positive, seedOf } from './validate.js';

import type { SeedOptions, Tensor, TensorInput } from '@vitae/tensor';

/** Standard Gumbel draws g = -log(-log U) of the given shape (@vitae/tensor's randomGumbel). */
export function sampleGumbel(shape: number[], options: SeedOptions): Tensor {
  assertShape(shape, 'sampleGumbel');
  return randomGumbel(shape, { seed: seedOf(options, 'sampleGumbel') });
}

export interface GumbelSoftmaxOptions extends SeedOptions {
  /** tau > 0: small values give nearly one-hot samples with high-variance gradients. */
  temperature: number;
  /**
   * Return the one-hot argmax in the forward pass while gradients flow as if the soft sample had
   * been returned (straight-through estimator, Bengio et al. 2013). Default false.
   */
  hard?: boolean;
}

// Straight-through: the value is yHard exactly (a difference trick y_hard - stop(y_soft) + y_soft
// can miss exact 0 / 1 by a rounding error), the gradient goes to ySoft unchanged.
const straightThrough = customGrad(((ySoft: Tensor, yHard: Tensor) => ({
  value: clone(yHard),
  gradFunc: (dy: Tensor) => [dy, zerosLike(dy)],
})) as unknown as Parameters<typeof customGrad>[0]) as unknown as (ySoft: Tensor, yHard: Tensor) => Tensor;

/**
 * A relaxed one-hot sample over the last axis of `logits` (any leading batch shape):
 * softmax((logits + g) / temperature) with Gumbel noise g drawn from `seed`; with `hard`, the
 * exact one-hot argmax with the soft sample's gradient. Differentiable with respect to `logits`.
 */
export function gumbelSoftmax(logits: TensorInput, options: GumbelSoftmaxOptions): Tensor {
  const fn = 'gumbelSoftmax';
  const o = optionsObject(options, fn);
  const temperature = positive(o.temperature, fn, 'temperature');
  const hard = boolean(o.hard ?? false, fn, 'hard');
  const seed = seedOf(o, fn);
  return tidy(() => {
    const x = toFloatTensor(logits, fn, 'logits');
    if (x.rank === 0 || x.shape[x.rank - 1] === 0) {
      throw new RangeError(`${fn}: argument 'logits' must have at least one axis with at least one category (the last axis), got shape [${x.shape.join(', ')}]`);
    }
    const perturbed = add(x, sampleGumbel(x.shape, { seed }));
    const ySoft = softmax(div(perturbed, temperature));
    if (!hard) return ySoft;
    const k = x.shape[x.rank - 1] as number;
    const yHard = cast(oneHot(argMax(perturbed, -1), k), 'float32');
    return straightThrough(ySoft, yHard);
  });
}
