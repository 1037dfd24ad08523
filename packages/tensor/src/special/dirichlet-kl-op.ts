// KL(Dir(p) ‖ Dir(q)) as a differentiable op on the DirichletKl kernels (dirichlet-kl.ts has the
// math). While a gradient tape records, the forward kernel also computes ∂/∂p (trigamma over the
// elements and the row sums, reusing the value's digamma pass) and saves it: the backward pass of
// p is then one multiply by dy. ∂/∂q runs only when q is on the path to the differentiated
// variables (a learned prior), as its own kernel (two digamma passes). veloVI's prior is a
// constant: four special-function passes over [..., K] per step instead of six (value kernel, then
// both partials).
import * as tf from '#tfjs';
import { runArrayKernel } from '../kernels/array-kernel.js';
import { runWithSavedGradients } from '../likelihoods/saved-gradients.js';
import { SpecialKernel } from './kernel-names.js';
import { broadcastPair } from './ops.js';

import type { Tensor } from '#tfjs';
import type { DirichletKlAttrs, DirichletKlGradAttrs } from './kernel-names.js';
import type { TensorInput } from './ops.js';

function klOfBroadcast(p: Tensor, q: Tensor): Tensor {
  if (p.rank === 0 || (p.shape[p.rank - 1] as number) < 1) {
    throw new RangeError(`dirichletKl: arguments 'p' and 'q' must have shape [..., K] with K >= 1 (after broadcasting), got [${p.shape.join(', ')}]`);
  }
  if (!tf.engine().isTapeOn()) return runArrayKernel<DirichletKlAttrs>(SpecialKernel.DirichletKl, { p, q }, { gradP: false }) as Tensor;
  return runWithSavedGradients(
    { p, q },
    (save) => {
      const [value, gradP] = runArrayKernel<DirichletKlAttrs>(SpecialKernel.DirichletKl, { p, q }, { gradP: true }) as [Tensor, Tensor];
      save([gradP, p, q]);
      return value;
    },
    (dy, saved) => {
      const [gradP, ps, qs] = saved as [Tensor, Tensor, Tensor];
      return {
        p: () => {
          // a recording tape here means this backward pass is itself differentiated: the kernel's
          // partials have no gradient, so go through DirichletKlGrad, which tfjs reports as such
          // (the saved ∂/∂p would be a constant and the second derivative silently wrong)
          if (tf.engine().isTapeOn()) return (runArrayKernel<DirichletKlGradAttrs>(SpecialKernel.DirichletKlGrad, { p: ps, q: qs, dy }, { wrtP: true }) as Tensor[])[0] as Tensor;
          return tf.mul(tf.expandDims(dy, -1), gradP);
        },
        q: () => runArrayKernel<DirichletKlGradAttrs>(SpecialKernel.DirichletKlGrad, { p: ps, q: qs, dy }, { wrtP: false }) as Tensor,
      };
    },
  );
}

/**
 * KL(Dir(p) ‖ Dir(q)) over the last axis (the concentrations; p and q broadcast together), shape
 * [...]: log Γ(Σp) − log Γ(Σq) − Σ_k [log Γ(p_k) − log Γ(q_k)] + Σ_k (p_k − q_k)(ψ(p_k) − ψ(Σp)).
 * Gradients ∂/∂p_k = (p_k − q_k) ψ'(p_k) − (Σp − Σq) ψ'(Σp), ∂/∂q_k = ψ(q_k) − ψ(Σq) − (ψ(p_k) − ψ(Σp)),
 * from fused kernels (not twice differentiable).
 */
export const dirichletKl = tf.op({
  dirichletKl_: (p: TensorInput, q: TensorInput): Tensor => {
    const [bp, bq] = broadcastPair('dirichletKl', ['p', 'q'], p, q);
    return klOfBroadcast(bp, bq);
  },
});
