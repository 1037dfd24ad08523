// @vitae/ae: the autoencoder, with an optional L2 weight penalty. Explicit exports.
export { AE } from './model.js';
export type { AEOptions, AETrainOptions } from './model.js';
export { AEModule } from './module.js';
export type { AELossParts, AEModuleOptions } from './module.js';
