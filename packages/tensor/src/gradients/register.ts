// Side effect: replaces tfjs-core gradients that are correct but pathologically slow, and adds
// the zero gradients of comparisons that tfjs-core lacks (see each file). Imported once by the
// package index.
import { registerComparisonGradients } from './comparisons.js';
import { registerMatMulGradient } from './matmul.js';
import { registerTileGradient } from './tile.js';

registerMatMulGradient();
registerTileGradient();
registerComparisonGradients();
