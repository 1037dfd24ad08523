// Side effect: defines the special-function kernels (JS implementations) on the wasm and cpu
// backends and registers their gradients, and makes the wasm backend's log1p accurate near 0.
// Imported once by the package index.
import { registerSpecialGradients } from './gradients.js';
import { defineDirichletKlKernels } from './dirichlet-kl.js';
import { defineSpecialKernels } from './js-kernels.js';
import { replaceWasmLog1p } from './log1p-wasm.js';

defineSpecialKernels();
defineDirichletKlKernels();
registerSpecialGradients();
replaceWasmLog1p();
