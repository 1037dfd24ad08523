/** tfjs kernel names of vitae's special functions (prefixed so they never clash with tfjs' own). */
export const SpecialKernel = {
  Lgamma: 'VitaeLgamma',
  Digamma: 'VitaeDigamma',
  /** attrs: { order: number } (>= 1; order 0 is Digamma) */
  Polygamma: 'VitaePolygamma',
  Log1pExp: 'VitaeLog1pExp',
  LogSigmoid: 'VitaeLogSigmoid',
  /** inputs x, y of one shape (the op broadcasts first) */
  Xlogy: 'VitaeXlogy',
  /** inputs a, b of one shape (the op broadcasts first) */
  LogBeta: 'VitaeLogBeta',
  /** input x of shape [rows, cols]; output [rows] = log Σ_c exp(x[r, c]) */
  LogSumExp: 'VitaeLogSumExp',
  /**
   * inputs p, q of one shape [..., K]; output KL(Dir(p) ‖ Dir(q)) [...] (dirichlet-kl.ts); attrs
   * DirichletKlAttrs: with gradP also ∂KL/∂p [..., K] (not scaled by a dy)
   */
  DirichletKl: 'VitaeDirichletKl',
  /**
   * inputs p, q [..., K] and dy [...]; outputs dy · ∂KL/∂p, dy · ∂KL/∂q [..., K]; attrs
   * DirichletKlGradAttrs: with wrtP false only dy · ∂KL/∂q
   */
  DirichletKlGrad: 'VitaeDirichletKlGrad',
} as const;

export type SpecialKernelName = (typeof SpecialKernel)[keyof typeof SpecialKernel];

export interface PolygammaAttrs {
  order: number;
}

export interface DirichletKlAttrs {
  /** Also output ∂KL/∂p (unscaled) beside the value: the forward pass of a recorded KL. */
  gradP: boolean;
}

export interface DirichletKlGradAttrs {
  /** Output dy · ∂KL/∂p before dy · ∂KL/∂q (false: ∂q alone, when ∂p was saved by the forward pass). */
  wrtP: boolean;
}
