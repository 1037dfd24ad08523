// Side effect: defines the randomness kernels (JS implementations) on the wasm and cpu backends.
// Imported once by the package index.
import { defineRandomKernels } from './gamma-kernel.js';

defineRandomKernels();
