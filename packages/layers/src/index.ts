// @vitae/layers: neural-network building blocks for vitae models. Explicit exports, by topic.

// The Module base: named parameters / buffers / submodules, train / eval, state dict
export { Module } from './module.js';
export type { LoadStateDictOptions, LoadStateDictResult } from './module.js';
export { ModuleList } from './mlp.js';

// Layers
export { Linear } from './linear.js';
export type { LinearOptions } from './linear.js';
export { INITIALIZERS, initBias, initWeight } from './init.js';
export type { InitOptions, Initializer } from './init.js';
export { BatchNorm1d } from './batch-norm.js';
export type { BatchNormOptions } from './batch-norm.js';
export { LayerNorm } from './layer-norm.js';
export type { LayerNormOptions } from './layer-norm.js';
export { Dropout } from './dropout.js';
export { ACTIVATIONS, ACTIVATION_NAMES, Activation, activation } from './activation.js';
export type { ActivationName } from './activation.js';

// Fully connected stacks with covariate injection, and encoder heads
export { MLP } from './mlp.js';
export type { ForwardOptions, MLPOptions } from './mlp.js';
export { appendCovariateColumns, appendCovariates, covariateCodes, covariateWidths, oneHotCodes, oneHotCovariates } from './covariates.js';
export type { CovariateInput } from './covariates.js';
export { GaussianEncoder } from './gaussian-encoder.js';
export type { EncodeOptions, EncoderOutput, GaussianEncoderOptions } from './gaussian-encoder.js';

// Weights on disk: safetensors, and a saved model's directory
export { decodeSafetensors, encodeSafetensors } from './safetensors/index.js';
export type { DecodedTensor, SafetensorsTensor } from './safetensors/index.js';
export { loadSafetensorsInto, moduleToSafetensors } from './io/module-weights.js';
export { CONFIG_FILE, WEIGHTS_FILE, readModelFiles, writeModelFiles } from './io/model-files.js';
export type { ModelFiles } from './io/model-files.js';

// Model option checks, worded alike in every model
export { optionChecks } from './option-checks.js';
export type { OptionChecks } from './option-checks.js';

// Data matrices for models
export { allRows, forRowBatches, gatherRows, mapRowBatches, toDenseMatrix } from './data/matrix.js';
export type { DenseMatrix, MatrixInput } from './data/matrix.js';
