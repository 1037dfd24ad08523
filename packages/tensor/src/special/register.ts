// Side effect: defines the special-function kernels (JS implementations) on the wasm and cpu
// backends and registers their gradients. Imported once by the package index.
import { registerSpecialGradients } from './gradients.js';
import { defineDirichletKlKernels } from './dirichlet-kl.js';
import { defineSpecialKernels } from './js-kernels.js';

defineSpecialKernels();
defineDirichletKlKernels();
registerSpecialGradients();
