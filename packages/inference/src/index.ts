// @vitae/inference: Monte Carlo variational inference for vitae. Explicit exports, by topic.

// Optimizers with PyTorch semantics, and gradient clipping
export { Optimizer } from './optim/optimizer.js';
export type { OptimizerStateDict } from './optim/optimizer.js';
export { Adam, AdamW } from './optim/adam.js';
export type { AdamOptions } from './optim/adam.js';
export { SGD } from './optim/sgd.js';
export type { SGDOptions } from './optim/sgd.js';
export { clipGradNorm, clipGradValue } from './optim/clip.js';
export type { ClipGradNormOptions } from './optim/clip.js';
export type { GradientMap } from './optim/gradients.js';

// Schedules: generic, KL warm-up, Gumbel-softmax temperature
export { cosineSchedule, exponentialSchedule, linearSchedule } from './schedules/schedule.js';
export type { ExponentialScheduleOptions, InterpolatedScheduleOptions, Schedule } from './schedules/schedule.js';
export { klWarmup, klWarmupWeight } from './schedules/kl-warmup.js';
export type { KlWarmupOptions, TrainingProgress } from './schedules/kl-warmup.js';
export { exponentialTemperature, linearTemperature } from './schedules/temperature.js';
export type { ExponentialTemperatureOptions, LinearTemperatureOptions } from './schedules/temperature.js';

// Gumbel-softmax (relaxed categorical samples)
export { gumbelSoftmax, sampleGumbel } from './gumbel.js';
export type { GumbelSoftmaxOptions } from './gumbel.js';

// Variational objectives: reparameterization, ELBO, IWAE
export { reparameterize, reparameterizeNormal, scaleFromLogVar } from './variational/reparameterize.js';
export { elbo, iwae } from './variational/elbo.js';
export type { ElboOptions, ElboResult, IwaeOptions, IwaeResult } from './variational/elbo.js';

// Training loop
export { fit } from './fit/fit.js';
export { splitIndices } from './fit/split.js';
export { SCVI_TOOLS_EARLY_STOPPING_PATIENCE, checkTrainingPlanOptions, runTrainingPlan } from './fit/training-plan.js';
export type { CheckedTrainingPlan, TrainingPlanDefaults, TrainingPlanOptions, TrainingPlanResult, TrainingPlanRun } from './fit/training-plan.js';
export type { IndexSplit } from './fit/split.js';
export type { EarlyStoppingOptions, EpochRecord, FitOptions, FitResult, LossContext, LossFunction, LossOutput } from './fit/types.js';
