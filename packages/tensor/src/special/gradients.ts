// Gradients of the special-function kernels, written in differentiable ops (including the
// special ops themselves), so higher derivatives work: d lgamma = digamma, d digamma = trigamma,
// d polygamma(n) = polygamma(n + 1).
import * as tf from '#tfjs';
import { SpecialKernel } from './kernel-names.js';
import { digamma, polygamma, xlogy } from './ops.js';

import type { Tensor } from '#tfjs';
import type { PolygammaAttrs } from './kernel-names.js';

function saved(tensors: Tensor[], i: number): Tensor {
  const t = tensors[i];
  if (t === undefined) throw new Error(`gradient: saved tensor ${i} is missing`);
  return t;
}

export function registerSpecialGradients(): void {
  tf.registerGradient({
    kernelName: SpecialKernel.Lgamma,
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as Tensor, digamma(saved(s, 0))) }),
  });
  tf.registerGradient({
    kernelName: SpecialKernel.Digamma,
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as Tensor, polygamma(1, saved(s, 0))) }),
  });
  tf.registerGradient({
    kernelName: SpecialKernel.Polygamma,
    inputsToSave: ['x'],
    gradFunc: (dy, s, attrs) => {
      const { order } = attrs as unknown as PolygammaAttrs;
      return { x: () => tf.mul(dy as Tensor, polygamma(order + 1, saved(s, 0))) };
    },
  });
  // d/dx softplus(x) = σ(x); d/dx log σ(x) = σ(-x)
  tf.registerGradient({
    kernelName: SpecialKernel.Log1pExp,
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as Tensor, tf.sigmoid(saved(s, 0))) }),
  });
  tf.registerGradient({
    kernelName: SpecialKernel.LogSigmoid,
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as Tensor, tf.sigmoid(tf.neg(saved(s, 0)))) }),
  });
  // As torch: d/dx = xlogy(x != 0, y) (0 where x = 0), d/dy = x / y.
  tf.registerGradient({
    kernelName: SpecialKernel.Xlogy,
    inputsToSave: ['x', 'y'],
    gradFunc: (dy, s) => {
      const x = saved(s, 0);
      const y = saved(s, 1);
      return {
        x: () => tf.mul(dy as Tensor, xlogy(tf.cast(tf.notEqual(x, 0), 'float32'), y)),
        y: () => tf.mul(dy as Tensor, tf.div(x, y)),
      };
    },
  });
  // d/da log B(a, b) = ψ(a) - ψ(a + b)
  tf.registerGradient({
    kernelName: SpecialKernel.LogBeta,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, s) => {
      const a = saved(s, 0);
      const b = saved(s, 1);
      return {
        a: () => tf.mul(dy as Tensor, tf.sub(digamma(a), digamma(tf.add(a, b)))),
        b: () => tf.mul(dy as Tensor, tf.sub(digamma(b), digamma(tf.add(a, b)))),
      };
    },
  });
  // d/dx_rc log Σ_c exp(x_rc) = exp(x_rc - y_r)
  tf.registerGradient({
    kernelName: SpecialKernel.LogSumExp,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, s) => {
      const x = saved(s, 0);
      const y = saved(s, 1);
      return { x: () => tf.mul(tf.expandDims(dy as Tensor, 1), tf.exp(tf.sub(x, tf.expandDims(y, 1)))) };
    },
  });
}
