// @vitae/velovi: veloVI (Gayoso, Weiler et al. 2023) as in velovi 0.4 / scvi.external.VELOVI. Explicit exports, by topic.

// The module: inference / generative / loss
export { RATE_MAX, VAR_EPS, VELOVIModule, disposeGenerative, disposeInference, mixtureLogProb, mixtures, stateMeans } from './module.js';
export type { GenerativeOptions, GenerativeOutputs, InferenceOptions, InferenceOutputs, LossOptions, PerState, Rates, VELOVILossOutput } from './module.js';
export { LATENT_DISTRIBUTIONS, NORM_PLACEMENTS, resolveModuleOptions } from './options.js';
export type { LatentDistribution, NormPlacement, ResolvedVELOVIModuleOptions, VELOVIModuleOptions } from './options.js';

// Its parts
export { Encoder } from './encoder.js';
export type { EncoderOptions } from './encoder.js';
export { DecoderVELOVI } from './decoder.js';
export type { DecoderOptions, DecoderOutput } from './decoder.js';
export { KINETICS_EPS, STATES, induction, repression } from './kinetics.js';
export type { State, TimeDependentRate, UnsplicedSpliced } from './kinetics.js';
export { STATISTICS, VELOCITY_MODES, expressionFitOf, latentTimeOf, linearLoadings, velocityOf } from './outputs.js';
export type { Statistic, VelocityMode } from './outputs.js';

// Weights saved by velovi
export { loadVeloviStateDict, veloviName } from './velovi-names.js';
export type { VeloviLoadResult, VeloviName } from './velovi-names.js';

// The model: velovi's VELOVI on an AnnData
export { VELOVI } from './model/velovi.js';
export type {
  CellsOption,
  DirectionalUncertainty,
  LatentTimeOptions,
  PermutationScores,
  RatesResult,
  SamplesOption,
  StateAssignmentOptions,
  StateLabels,
  StateProbabilities,
  VelocityOptions,
} from './model/velovi.js';
export { EARLY_STOPPING_PATIENCE } from './model/options.js';
export type { VELOVIOptions, VELOVIProgress, VELOVITrainOptions, VELOVITrainResult } from './model/options.js';
export { dataInit, setupAnnData, softplusInverse, upperQuantileMedians } from './model/setup.js';
export type { DataInit, SetupData, SetupOptions, UpperQuantileMedians, VelocityData } from './model/setup.js';
export { addVeloviOutputs } from './model/anndata-outputs.js';
export type { AddOutputsOptions } from './model/anndata-outputs.js';
export { DIRECTIONAL_COLUMNS, centredCosine, directionalStatistics, percentile, tTestStatistic, variance } from './model/statistics.js';
export type { DirectionalColumn, DirectionalStatistics } from './model/statistics.js';
