// The public types of `fit`.
import type { Tensor, Variable } from '@vitae/tensor';
import type { Optimizer } from '../optim/optimizer.js';

/** What a loss is told about the call. */
export interface LossContext {
  /** Epoch, counted from 0. */
  epoch: number;
  /** Global training step, counted from 0 (for validation: the number of steps taken so far). */
  step: number;
  /** true for training steps; false for validation (layers switch dropout / batch norm off). */
  training: boolean;
  /** A seed for this call's stochastic parts (reparameterized samples, dropout masks). */
  seed: number;
}

/** A scalar loss, or a scalar loss with scalar metrics to average over the epoch. */
export type LossOutput = Tensor | { loss: Tensor; metrics?: Record<string, Tensor | number> };

/** The loss of one minibatch, given the item indices it holds; it must return a scalar Tensor. */
export type LossFunction = (batch: Int32Array, ctx: LossContext) => LossOutput;

export interface EarlyStoppingOptions {
  /** Epochs without improvement tolerated before stopping (PyTorch Lightning semantics). */
  patience: number;
  /** An improvement must lower the monitored loss by more than this (default 0). */
  minDelta?: number;
  /** Which loss to watch (default 'validation' when there is a validation split, else 'train'). */
  monitor?: 'validation' | 'train';
  /** Copy the parameters of the best epoch back when fitting ends (default false). */
  restoreBest?: boolean;
}

/** One epoch of history. Losses and metrics are batch-size-weighted means over the epoch. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss?: number;
  metrics: { train: Record<string, number>; validation?: Record<string, number> };
  /** Wall-clock seconds of the epoch (training and validation). */
  seconds: number;
  /** The learning rate used during the epoch. */
  lr: number;
  /** Global training steps taken by the end of the epoch. */
  steps: number;
}

export interface FitOptions {
  /** What the optimizer updates; gradients are taken with respect to these. */
  parameters: Variable[];
  /** An optimizer over (at least) these parameters. */
  optimizer: Optimizer;
  /** Dataset size: the loop deals out minibatches of indices in [0, nItems). */
  nItems: number;
  loss: LossFunction;
  epochs: number;
  batchSize: number;
  /** Fraction of the items held out for validation, seeded split (default 0: none). */
  validationFraction?: number;
  /** Drives the split, the shuffling and the per-call ctx.seed: the same seed, the same history. */
  seed: number;
  /** Clip the gradients' total 2-norm to this before each step (torch clip_grad_norm_). */
  clipGradNorm?: number;
  earlyStopping?: EarlyStoppingOptions;
  /** Called after each epoch; return 'stop' to end training (may be async). */
  onEpoch?: (record: EpochRecord) => void | 'stop' | Promise<void | 'stop'>;
  /** Drop the last training batch of an epoch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
}

export interface FitResult {
  history: EpochRecord[];
  /** Whether early stopping ended training. */
  stoppedEarly: boolean;
  stopReason: 'completed' | 'earlyStopping' | 'callback';
  /** The loss the best epoch is judged by. */
  monitor: 'validation' | 'train';
  /** The epoch with the lowest monitored loss (-1 if none was finite). */
  bestEpoch: number;
  bestLoss: number;
  /** Whether the best epoch's parameter values were copied back (earlyStopping.restoreBest). */
  restoredBest: boolean;
  /** Training steps taken. */
  steps: number;
  trainIndices: Int32Array;
  validationIndices: Int32Array;
}
