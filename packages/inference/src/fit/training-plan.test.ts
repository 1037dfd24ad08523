import { describe, expect, it } from 'vitest';
import * as vt from '@vitae/tensor';
import { Adam, SCVI_TOOLS_EARLY_STOPPING_PATIENCE, checkTrainingPlanOptions, runTrainingPlan } from '../index.js';

import type { EpochRecord, LossContext, TrainingPlanDefaults } from '../index.js';

const defaults: TrainingPlanDefaults = { maxEpochs: 7, batchSize: 4, trainSize: 0.9, lr: 0.1, eps: 0.01, weightDecay: 0, earlyStopping: true, patience: SCVI_TOOLS_EARLY_STOPPING_PATIENCE };
const watch = { patience: 45, monitor: 'validation' };

describe('checkTrainingPlanOptions', () => {
  it('fills in the defaults and resolves early stopping against the split', () => {
    const { klWeight, ...plan } = checkTrainingPlanOptions('M.train', {}, defaults);
    expect(plan).toEqual({ maxEpochs: 7, batchSize: 4, trainSize: 0.9, lr: 0.1, eps: 0.01, weightDecay: 0, earlyStopping: watch, seed: undefined });
    // scvi-tools' warm-up: 0 → 1 linearly over 400 epochs
    expect([klWeight({ epoch: 0, step: 0 }), klWeight({ epoch: 100, step: 0 }), klWeight({ epoch: 500, step: 0 })]).toEqual([0, 0.25, 1]);
    expect(checkTrainingPlanOptions('M.train', { nEpochsKlWarmup: null, nStepsKlWarmup: 10, maxKlWeight: 2 }, defaults).klWeight({ epoch: 3, step: 5 })).toBe(1);
    expect(checkTrainingPlanOptions('M.train', { earlyStopping: { patience: 3, restoreBest: true } }, defaults).earlyStopping).toEqual({ patience: 3, restoreBest: true, monitor: 'validation' });
    expect(checkTrainingPlanOptions('M.train', { earlyStopping: false }, defaults).earlyStopping).toBeUndefined();
    // no validation set: nothing to watch, so off unless asked for
    expect(checkTrainingPlanOptions('M.train', { trainSize: 1 }, defaults).earlyStopping).toBeUndefined();
    expect(checkTrainingPlanOptions('M.train', {}, { ...defaults, earlyStopping: false }).earlyStopping).toBeUndefined();
  });

  it('names the model, the option, the constraint and the value', () => {
    const check = (options: object) => () => checkTrainingPlanOptions('M.train', options, defaults);
    expect(check({ trainSize: 0 })).toThrow("M.train: option 'trainSize' must be a finite number in (0, 1], got 0");
    expect(check({ trainSize: 1, earlyStopping: true })).toThrow(/M.train: option 'earlyStopping' watches the validation ELBO, which needs trainSize < 1/);
    expect(check({ earlyStopping: 'yes' })).toThrow(/M.train: option 'earlyStopping' must be a boolean or \{ patience, minDelta, restoreBest \}, got .*yes/);
    expect(check({ maxEpochs: 0 })).toThrow("M.train: option 'maxEpochs' must be an integer >= 1, got 0");
    expect(check({ batchSize: 1 })).toThrow("M.train: option 'batchSize' must be an integer >= 2, got 1");
    expect(check({ lr: -1 })).toThrow("M.train: option 'lr' must be a finite number >= 0, got -1");
    expect(check({ seed: 1.5 })).toThrow("M.train: option 'seed' must be an integer >= 0, got 1.5");
    expect(check({ onProgress: 3 })).toThrow(/M.train: option 'onProgress' must be a function, got .*3/);
    expect(() => checkTrainingPlanOptions('M.train', null as never, defaults)).toThrow(/M.train: argument 'options' must be an object/);
  });
});

describe('runTrainingPlan', () => {
  /** theta is pulled to 5 by the training loss and to 1 by the validation loss. */
  function problem() {
    const theta = vt.variable(vt.scalar(0));
    const loss = (_rows: Int32Array, ctx: LossContext) => ({ loss: vt.square(vt.sub(theta, ctx.training ? 5 : 1)) as vt.Scalar, metrics: { theta: vt.clone(theta) as vt.Scalar } });
    return { theta, loss };
  }
  const progress = (record: EpochRecord, maxEpochs: number) => ({ epoch: record.epoch, maxEpochs, theta: record.metrics.train.theta as number, validation: record.validationLoss });

  it('splits by trainSize, records progress per epoch and stops early on the validation loss', async () => {
    const { theta, loss } = problem();
    const optimizer = new Adam([theta], { lr: 0.5 });
    const before = vt.numTensors();
    const plan = checkTrainingPlanOptions('M.train', { maxEpochs: 60, earlyStopping: { patience: 2 } }, defaults);
    const seen: number[] = [];
    const result = await runTrainingPlan({ fn: 'M.train', parameters: [theta], optimizer, nCells: 20, plan, seed: 3, clipGradNorm: undefined, loss, progress, onProgress: (p) => void seen.push(p.epoch) });
    expect(result.validationIndices.length).toBe(2); // floor(0.1 · 20)
    expect(result.trainIndices.length).toBe(18);
    expect(result.stopReason).toBe('earlyStopping');
    expect(result.epochs).toBe(result.history.length);
    expect(result.epochs).toBeLessThan(60);
    expect(seen).toEqual(result.history.map((p) => p.epoch));
    expect(result.history.every((p) => p.maxEpochs === 60 && p.validation !== undefined)).toBe(true);
    expect(vt.numTensors()).toBe(before);
    optimizer.dispose();
    theta.dispose();
  });

  it('stops when onProgress says so, and refuses splits batch norm cannot train on', async () => {
    const { theta, loss } = problem();
    const optimizer = new Adam([theta], { lr: 0.5 });
    const plan = checkTrainingPlanOptions('M.train', { maxEpochs: 10, earlyStopping: false }, defaults);
    const run = { fn: 'M.train', parameters: [theta], optimizer, plan, seed: 3, clipGradNorm: 1, loss, progress };
    const stopped = await runTrainingPlan({ ...run, nCells: 20, onProgress: (p) => (p.epoch === 2 ? 'stop' : undefined) });
    expect([stopped.stopReason, stopped.epochs]).toEqual(['callback', 3]);
    const half = checkTrainingPlanOptions('M.train', { trainSize: 0.5, earlyStopping: false }, defaults);
    await expect(runTrainingPlan({ ...run, plan: half, nCells: 2, onProgress: undefined })).rejects.toThrow('M.train: training needs at least 2 training cells (batch norm), got 1 (2 cells, trainSize 0.5)');
    const watching = checkTrainingPlanOptions('M.train', { trainSize: 0.95 }, defaults);
    await expect(runTrainingPlan({ ...run, plan: watching, nCells: 10, onProgress: undefined })).rejects.toThrow("M.train: option 'earlyStopping' needs validation cells, but trainSize 0.95 of 10 cells leaves none");
    optimizer.dispose();
    theta.dispose();
  });
});
