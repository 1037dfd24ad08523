// Side effect: defines the fused count-likelihood kernels (JS implementations) on the wasm and
// cpu backends. Imported once by the package index. Their gradients are part of the ops (ops.ts).
import { defineLikelihoodKernels } from './js-kernels.js';

defineLikelihoodKernels();
