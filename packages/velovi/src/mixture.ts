// veloVI's likelihood of one modality (u or s) as one fused kernel: the log density of a mixture
// of four Normals per cell and gene,
//
//   log p(x) = log Σ_k exp(l_k),  l_k = w_k − ½ z_k² − log σ_k − ½ log 2π,  z_k = (x − m_k)/σ_k,
//
// σ_k = σ (per gene) for the first three states and 0.1 σ for the repression steady state, w_k the
// log mixture weights. Composed of tfjs ops this is ~50 kernels on [B, G] forward and about twice
// that backward; @vitae/tensor's NormalMixture kernel computes the value and every partial
// derivative in one pass (float64 in its JS implementation, float32 SIMD in @vitae/wasm's), with
// r_k = exp(l_k − log p) the responsibilities:
//
//   ∂/∂w_k = r_k,   ∂/∂m_k = r_k z_k / σ_k,   ∂/∂σ = (Σ_k r_k z_k² − 1) / σ,   ∂/∂x = −Σ_k ∂/∂m_k.
import { addN, customGrad, mul, neg, sum, tidy } from '@vitae/tensor';
import { LikelihoodKernel, runArrayKernel } from '@vitae/tensor/kernels';

import type { Tensor } from '@vitae/tensor';
import type { NormalMixtureAttrs } from '@vitae/tensor/kernels';

/** σ of the repression steady state relative to the others (velovi: 0.1). */
export const STEADY_SCALE = 0.1;

type Four = readonly [Tensor, Tensor, Tensor, Tensor];

/**
 * log Σ_k exp(w_k) N(x; m_k, σ_k) per cell and gene: x, means m_k and log weights w_k [B, G]
 * float32, σ [G] (0.1 σ for k = 3). One kernel forward, one multiplication per input backward
 * (a sum over cells for σ). Differentiable in every argument (first order).
 */
export function normalMixtureLogProb(x: Tensor, means: Four, logWeights: Four, sd: Tensor): Tensor {
  const inputs = (args: Tensor[]) => ({
    x: args[0] as Tensor, m0: args[1] as Tensor, m1: args[2] as Tensor, m2: args[3] as Tensor, m3: args[4] as Tensor,
    w0: args[5] as Tensor, w1: args[6] as Tensor, w2: args[7] as Tensor, w3: args[8] as Tensor, sd: args[9] as Tensor,
  });
  const fused = customGrad(((...args: unknown[]) => {
    const tensors = args.slice(0, 10) as Tensor[];
    const save = args[10] as (ts: Tensor[]) => void;
    const [value, ...partials] = runArrayKernel<NormalMixtureAttrs>(LikelihoodKernel.NormalMixture, inputs(tensors), { grad: true, lastScale: STEADY_SCALE }) as Tensor[];
    save(partials);
    return {
      value: value as Tensor,
      gradFunc: (dy: Tensor, saved: Tensor[]) => tidy(() => {
        const [r0, r1, r2, r3, q0, q1, q2, q3, qs] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
        const dm = [q0, q1, q2, q3].map((q) => mul(dy, q));
        return [
          neg(addN(dm)), ...dm,
          mul(dy, r0), mul(dy, r1), mul(dy, r2), mul(dy, r3),
          sum(mul(dy, qs), 0),
        ];
      }),
    };
  }) as unknown as Parameters<typeof customGrad>[0]);
  return (fused as unknown as (...ts: Tensor[]) => Tensor)(x, ...means, ...logWeights, sd);
}
