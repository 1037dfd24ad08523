// @vitae/vae: the variational autoencoder. Explicit exports.
export { VAE, meanOverRows } from './model.js';
export type { EvaluateOptions } from './model.js';
export { VAEModule } from './module.js';
export type { ForwardOptions, LossParts, VAEModuleOptions } from './module.js';
export { Decoder } from './decoder.js';
export type { DecoderOptions } from './decoder.js';
export { bernoulliLikelihood, builtinLikelihood, constrain, continuousBernoulliLikelihood, gaussianLikelihood, likelihood, poissonLikelihood, unconstrain } from './likelihoods.js';
export type { BuiltinLikelihood, GaussianLikelihoodOptions, GlobalParam, Likelihood, ParamConstraint } from './likelihoods.js';
export { resolveLikelihood, resolveVAEOptions } from './options.js';
export type { BuiltinLikelihoodName, VAEOptions } from './options.js';
export { trainModule } from './training.js';
export type { BatchLoss, TrainArgs, TrainOptions } from './training.js';
