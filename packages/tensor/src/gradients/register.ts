// Side effect: replaces tfjs-core gradients that are correct but pathologically slow
// (see each file). Imported once by the package index.
import { registerTileGradient } from './tile.js';

registerTileGradient();
