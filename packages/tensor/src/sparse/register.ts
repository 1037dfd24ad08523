// Side effect: defines the sparse × dense product kernels (JS implementations) on the wasm and
// cpu backends. Imported once by the package index. Their gradients are part of the op (ops.ts).
import { defineSparseKernels } from './js-kernels.js';

defineSparseKernels();
