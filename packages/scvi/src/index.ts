// @vitae/scvi: scVI (Lopez et al. 2018) as in scvi-tools. Explicit exports, by topic.

// The module: inference / generative / loss
export { SCVIModule, VAR_EPS } from './module.js';
export type { CountsInput, GenerativeOptions, GenerativeOutputs, InferenceOptions, InferenceOutputs, LossOptions, SCVILossOutput } from './module.js';
export { DISPERSIONS, GENE_LIKELIHOODS, LATENT_DISTRIBUTIONS, NORM_PLACEMENTS, resolveModuleOptions } from './options.js';
export type { Dispersion, GeneLikelihood, LatentDistribution, NormPlacement, ResolvedSCVIModuleOptions, SCVIModuleOptions } from './options.js';

// Its parts
export { Encoder } from './encoder.js';
export type { EncoderOptions } from './encoder.js';
export { DecoderSCVI } from './decoder.js';
export type { DecoderOptions, DecoderOutput } from './decoder.js';
export { countDistribution } from './likelihood.js';
export type { CountParams } from './likelihood.js';
export type { IndexInput } from './indices.js';

// Data: sparse minibatches and the library prior
export { minibatch, sparseMinibatch } from './minibatch.js';
export type { Minibatch, MinibatchOptions, SparseMinibatch } from './minibatch.js';
export { libraryPrior } from './library-prior.js';
export type { LibraryPrior } from './library-prior.js';

// Weights saved by scvi-tools
export { loadScviToolsStateDict, scviToolsName } from './scvi-tools-names.js';
export type { ScviToolsLoadResult, ScviToolsName } from './scvi-tools-names.js';

// Differential expression: scvi-tools' Bayes factors / change statistics and FDR rule
export { bayesFactors, DE_COLUMNS } from './de/bayes-factors.js';
export type { BayesFactorsOptions, BayesFactorsResult, DeMode, DeTestMode, PseudocountsEstimate, SamplePairs } from './de/bayes-factors.js';
export { fdrDePrediction } from './de/fdr.js';

// The model: scvi-tools' SCVI on an AnnData
export { SCVI } from './model/scvi.js';
export type { CellsOption, NormalizedExpressionOptions, SeededCellsOption } from './model/scvi.js';
export { defaultMaxEpochs } from './model/options.js';
export type { SCVIOptions, SCVIProgress, SCVITrainOptions, SCVITrainResult } from './model/options.js';
export type { DifferentialExpressionOptions } from './model/differential-expression.js';
export { setupAnnData } from './model/setup.js';
export type { CategoryCodes, SetupData, SetupOptions } from './model/setup.js';

// Scores of a latent space: cell-type kNN accuracy, batch mixing entropy
export { batchEntropy, knnAccuracy } from './metrics.js';
