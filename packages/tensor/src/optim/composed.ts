// One Adam / AdamW update written with stock float32 ops: what @vitae/inference's Adam ran
// before the fused kernel, the reference the kernels are tested against (here and in
// @vitae/wasm), and what adamUpdate runs when no fast kernel is installed.
import * as tf from '#tfjs';
import { adamScalars } from './adam-scalars.js';

import type { Tensor } from '#tfjs';
import type { AdamUpdateAttrs } from './kernel-names.js';

/** [param', expAvg', expAvgSq'] (, maxExpAvgSq' when `maxExpAvgSq` is given). */
export function composedAdamUpdate(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor | undefined, attrs: AdamUpdateAttrs): Tensor[] {
  const s = adamScalars(attrs);
  return tf.tidy(() => {
    let p = param;
    let g = grad;
    if (s.shrink) p = tf.mul(p, s.shrinkFactor);
    if (s.l2) g = tf.add(g, tf.mul(p, s.weightDecay));
    const m = tf.add(tf.mul(expAvg, s.beta1), tf.mul(g, s.oneMinusBeta1));
    const v = tf.add(tf.mul(expAvgSq, s.beta2), tf.mul(tf.square(g), s.oneMinusBeta2));
    const vmax = maxExpAvgSq === undefined ? undefined : tf.maximum(maxExpAvgSq, v);
    const denom = tf.add(tf.div(tf.sqrt(vmax ?? v), s.biasCorrection2Sqrt), s.eps);
    const out = [tf.sub(p, tf.mul(tf.div(m, denom), s.stepSize)), m, v];
    return vmax === undefined ? out : [...out, vmax];
  });
}
