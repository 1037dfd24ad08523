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
  /**
   * veloVI's likelihood of a minibatch, kinetics and mixture weights included (kinetic-mixture.ts):
   * inputs rho, tau [B, G], pi [B, G, 4], u, s [B, G], then per gene [G] alpha, beta, gamma,
   * switchTime, u0, s0, sdU, sdS; output log p(u) + log p(s) [B, G]
   */
  KineticMixture: 'VitaeKineticMixture',
  /**
   * KineticMixture's inputs and dy [B, G]; outputs ∂/∂rho, ∂/∂tau [B, G], ∂/∂pi [B, G, 4] and the
   * per-gene partials summed over cells [8, G] (rows alpha, beta, gamma, switchTime, u0, s0, sdU, sdS)
   */
  KineticMixtureGrad: 'VitaeKineticMixtureGrad',
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

/** Attributes of the KineticMixture kernels. */
export interface KineticMixtureAttrs {
  /** veloVI's t_max: the repression runs for (tMax − switchTime) · tau. */
  tMax: number;
  /** The ε in 1/(γ − β + ε) (veloVI: 1e-6). */
  eps: number;
  /** σ of the fourth state relative to the others (veloVI: 0.1); > 0. */
  lastScale: number;
  /** The mixture probabilities are clamped to [probsEps, 1 − probsEps] before the log (torch: float32 eps). */
  probsEps: number;
}
