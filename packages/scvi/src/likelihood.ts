// The count distribution p(x | z, l) of each gene likelihood, as a @vitae/distributions object
// in scvi-tools' parameterisation (mean μ = px_rate, inverse dispersion θ, zero-inflation logits).
import { NegativeBinomial, Poisson, ZeroInflatedNegativeBinomial, handOver } from '@vitae/distributions';

import type { Distribution } from '@vitae/distributions';
import type { Tensor } from '@vitae/tensor';
import type { GeneLikelihood } from './options.js';

export interface CountParams {
  /** px_rate, [..., B, G]. */
  mu: Tensor;
  /** θ, broadcasting against mu (null for Poisson). */
  theta: Tensor | null;
  /** Zero-inflation logits (ZINB only). */
  ziLogits: Tensor | null;
}

/**
 * The distribution of x, elementwise (event shape []); it takes the parameter tensors over and
 * frees them with `dispose()`. Built without argument validation: it runs every step.
 */
export function countDistribution(likelihood: GeneLikelihood, p: CountParams): Distribution {
  const owned = [p.mu, p.theta, p.ziLogits].filter((x): x is Tensor => x !== null);
  switch (likelihood) {
    case 'zinb':
      return handOver(new ZeroInflatedNegativeBinomial({ mu: p.mu, theta: p.theta as Tensor, ziLogits: p.ziLogits as Tensor }, { validateArgs: false }), owned);
    case 'nb':
      return handOver(new NegativeBinomial({ mu: p.mu, theta: p.theta as Tensor }, { validateArgs: false }), owned);
    case 'poisson':
      return handOver(new Poisson(p.mu, { validateArgs: false }), owned);
  }
}
