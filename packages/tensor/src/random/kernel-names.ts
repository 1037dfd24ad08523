/** tfjs kernel names of vitae's randomness kernels (prefixed so they never clash with tfjs' own). */
export const RandomKernel = {
  /** inputs x (a Gamma(alpha, 1) draw) and alpha of one shape (the op broadcasts first); output dx/dalpha */
  StandardGammaGrad: 'VitaeStandardGammaGrad',
  /**
   * input alpha (float32, every element finite and > 0: randomGamma checks); attrs.state, the
   * xoshiro128** state (Prng.state()) the draws start from; output Gamma(alpha, 1) draws, float32,
   * element i drawn after element i - 1 (standardGammaScalar on one stream)
   */
  StandardGammaSample: 'VitaeStandardGammaSample',
} as const;

/** Attributes of the StandardGammaSample kernel. */
export interface StandardGammaSampleAttrs {
  /** The four int32 words of a Prng's state with no cached normal (Prng.state()). */
  state: number[];
}

export type RandomKernelName = (typeof RandomKernel)[keyof typeof RandomKernel];
