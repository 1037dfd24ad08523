// Side effect: defines the fused count-likelihood and Normal-mixture kernels (JS implementations) on the wasm and
// cpu backends. Imported once by the package index. Their gradients are part of the ops (ops.ts).
import { defineLikelihoodKernels } from './js-kernels.js';
import { defineNormalMixtureKernel } from './normal-mixture.js';

defineLikelihoodKernels();
defineNormalMixtureKernel();
