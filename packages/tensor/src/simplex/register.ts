// Side effect: defines the simplex kernels (normalize.ts) on the wasm and cpu backends. Imported
// once by the package index.
import { defineSimplexKernels } from './normalize.js';

defineSimplexKernels();
