// Side effect: defines the fused optimizer-update kernels (JS implementation) on the wasm and cpu
// backends. Imported once by the package index.
import { defineOptimizerKernels } from './adam-js.js';

defineOptimizerKernels();
