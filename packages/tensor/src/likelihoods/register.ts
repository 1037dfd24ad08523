// Side effect: defines the fused count-likelihood, Normal-mixture and kinetic-mixture kernels (JS
// implementations) on the wasm and cpu backends. Imported once by the package index. Their gradients are part of the ops (ops.ts).
import { defineLikelihoodKernels } from './js-kernels.js';
import { defineKineticMixtureKernels } from './kinetic-mixture.js';
import { defineNormalMixtureKernel } from './normal-mixture.js';

defineLikelihoodKernels();
defineNormalMixtureKernel();
defineKineticMixtureKernels();
