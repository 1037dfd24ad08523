/** tfjs kernel names of vitae's randomness kernels (prefixed so they never clash with tfjs' own). */
export const RandomKernel = {
  /** inputs x (a Gamma(alpha, 1) draw) and alpha of one shape (the op broadcasts first); output dx/dalpha */
  StandardGammaGrad: 'VitaeStandardGammaGrad',
} as const;

export type RandomKernelName = (typeof RandomKernel)[keyof typeof RandomKernel];
