// scvi-tools' log_nb_positive / log_zinb_positive written with stock ops, exactly as
// @vitae/distributions computed them before the fused kernels: the reference the fused ops are
// tested against (here and in @vitae/wasm) and the baseline their speed is measured against.
// They are differentiable in mu, theta and pi; the ZINB case split uses `less`, which tfjs
// cannot differentiate, so composedLogZinb has no gradient in x (neither has scvi-tools' mask).
import * as tf from '#tfjs';
import { lgamma, softplus } from '../special/ops.js';

import type { Tensor } from '#tfjs';

export function composedLogNb(x: Tensor, mu: Tensor, theta: Tensor, eps = 1e-8): Tensor {
  return tf.tidy(() => {
    const logThetaMuEps = tf.log(tf.add(tf.add(theta, mu), eps));
    return tf.add(
      tf.add(tf.mul(theta, tf.sub(tf.log(tf.add(theta, eps)), logThetaMuEps)), tf.mul(x, tf.sub(tf.log(tf.add(mu, eps)), logThetaMuEps))),
      tf.sub(tf.sub(lgamma(tf.add(x, theta)), lgamma(theta)), lgamma(tf.add(x, 1))),
    );
  });
}

export function composedLogZinb(x: Tensor, mu: Tensor, theta: Tensor, pi: Tensor, eps = 1e-8): Tensor {
  return tf.tidy(() => {
    const softplusPi = softplus(tf.neg(pi));
    const logThetaMuEps = tf.log(tf.add(tf.add(theta, mu), eps));
    const piThetaLog = tf.add(tf.neg(pi), tf.mul(theta, tf.sub(tf.log(tf.add(theta, eps)), logThetaMuEps)));
    const caseZero = tf.sub(softplus(piThetaLog), softplusPi);
    const caseNonZero = tf.add(
      tf.add(tf.sub(piThetaLog, softplusPi), tf.mul(x, tf.sub(tf.log(tf.add(mu, eps)), logThetaMuEps))),
      tf.sub(tf.sub(lgamma(tf.add(x, theta)), lgamma(theta)), lgamma(tf.add(x, 1))),
    );
    const shape = caseNonZero.shape;
    return tf.where(tf.broadcastTo(tf.less(x, eps), shape), tf.broadcastTo(caseZero, shape), caseNonZero);
  });
}
