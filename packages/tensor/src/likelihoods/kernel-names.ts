/** tfjs kernel names of the fused count log-likelihoods (prefixed like the special functions). */
export const LikelihoodKernel = {
  /** inputs x, mu, theta; outputs [value] or, with attrs.grad, [value, ∂/∂mu, ∂/∂theta] */
  LogNb: 'VitaeLogNb',
  /** inputs x, mu, theta, pi; outputs [value] or, with attrs.grad, [value, ∂/∂mu, ∂/∂theta, ∂/∂pi] */
  LogZinb: 'VitaeLogZinb',
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
