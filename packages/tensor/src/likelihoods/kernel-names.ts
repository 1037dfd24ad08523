/** tfjs kernel names of the fused count log-likelihoods (prefixed like the special functions). */
export const LikelihoodKernel = {
  /** inputs x, mu, theta; outputs [value] or, with attrs.grad, [value, ∂/∂mu, ∂/∂theta] */
  LogNb: 'VitaeLogNb',
  /** inputs x, mu, theta, pi; outputs [value] or, with attrs.grad, [value, ∂/∂mu, ∂/∂theta, ∂/∂pi] */
  LogZinb: 'VitaeLogZinb',
  /**
   * inputs x, m0..m3, w0..w3 (each [B, G]) and sd ([G], read as sd[i mod G]); outputs the log
   * density log Σ_k exp(w_k) N(x; m_k, σ_k) [B, G] (σ_k = sd for k < 3, attrs.lastScale · sd for
   * k = 3) and, with attrs.grad, its nine partials ∂/∂w_0..3, ∂/∂m_0..3, ∂/∂σ (each [B, G])
   */
  NormalMixture: 'VitaeNormalMixture',
} as const;

export type LikelihoodKernelName = (typeof LikelihoodKernel)[keyof typeof LikelihoodKernel];

/**
 * Attributes of the count-likelihood kernels. Every input has the output's shape or a suffix of
 * it (a broadcast over leading axes: element i reads input[i mod size]); with `grad` the kernel
 * also returns the partial derivatives, each of the output's shape.
 */
export interface CountLikelihoodAttrs {
  eps: number;
  grad: boolean;
}

/** Attributes of the NormalMixture kernel. */
export interface NormalMixtureAttrs {
  /** Also the partial derivatives (outputs 1..9). */
  grad: boolean;
  /** σ of the fourth component relative to the others (veloVI's repression steady state: 0.1); > 0. */
  lastScale: number;
}
