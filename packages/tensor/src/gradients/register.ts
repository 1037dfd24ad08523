// Side effect: replaces tfjs-core gradients that are correct but pathologically slow
// (see each file). Imported once by the package index.
import { registerMatMulGradient } from './matmul.js';
import { registerTileGradient } from './tile.js';

registerMatMulGradient();
registerTileGradient();
