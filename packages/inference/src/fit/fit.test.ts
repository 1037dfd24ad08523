import { describe, expect, it } from 'vitest';
import * as vt from '@vitae/tensor';
import { Adam, SGD, cosineSchedule, fit } from '../index.js';

import type { EpochRecord, FitOptions, LossContext } from '../index.js';

/** Solves the 4 x 4 (or any) linear system A x = b by Gaussian elimination with partial pivoting, in float64. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

/** A small regression problem: y = X w* + b* + noise, n = 240, d = 3. */
function regressionData() {
  const n = 240;
  const X = vt.randomNormal([n, 3], { seed: 1 });
  const noise = vt.randomNormal([n, 1], { seed: 2, stddev: 0.3 });
  const y = vt.tidy(() => vt.add(vt.add(vt.matMul(X, vt.tensor2d([[1.5], [-2], [0.5]])), 0.7), noise));
  noise.dispose();
  // Least squares with an intercept, via the normal equations in float64.
  const xs = X.arraySync() as number[][];
  const ys = (y.arraySync() as number[][]).map((r) => r[0] as number);
  const rows = xs.map((r) => [...r, 1]);
  const AtA = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const Aty = [0, 1, 2, 3].map((i) => rows.reduce((s, r, k) => s + r[i]! * ys[k]!, 0));
  return { n, X, y, leastSquares: solve(AtA, Aty) };
}

function regressionLoss(X: vt.Tensor, y: vt.Tensor, w: vt.Variable, b: vt.Variable) {
  return (batch: Int32Array) => {
    const idx = vt.tensor1d(batch, 'int32');
    const pred = vt.add(vt.matMul(vt.gather(X, idx), w), b);
    return vt.mean(vt.square(vt.sub(pred, vt.gather(y, idx)))) as vt.Scalar;
  };
}

/** A 1-parameter problem whose training loss pulls theta to 5 and whose validation loss is lowest at theta = 1. */
function driftingProblem() {
  const theta = vt.variable(vt.scalar(0));
  const loss = (_batch: Int32Array, ctx: LossContext) => vt.square(vt.sub(theta, ctx.training ? 5 : 1)) as vt.Scalar;
  return { theta, loss };
}

const withoutSeconds = (h: EpochRecord[]) => h.map(({ seconds: _s, ...rest }) => rest);

describe('fit', () => {
  it('linear regression converges to the least-squares solution', async () => {
    const { n, X, y, leastSquares } = regressionData();
    const w = vt.variable(vt.zeros([3, 1]));
    const b = vt.variable(vt.zeros([1]));
    const optimizer = new Adam([w, b], { lr: 0.05 });
    const epochs = 150;
    const lr = cosineSchedule({ start: 0.05, end: 1e-4, steps: epochs - 1 });
    const result = await fit({
      parameters: [w, b],
      optimizer,
      nItems: n,
      loss: regressionLoss(X, y, w, b),
      epochs,
      batchSize: 48,
      seed: 7,
      onEpoch: ({ epoch }) => {
        optimizer.lr = lr(epoch + 1);
      },
    });
    const got = [...w.dataSync(), ...b.dataSync()];
    // Tolerance 5e-4 on every coefficient (measured: at most 1.3e-4, the intercept): minibatch Adam
    // with the lr annealed to 1e-4 ends that close to the minimum.
    got.forEach((v, i) => expect(Math.abs(v - leastSquares[i]!)).toBeLessThan(5e-4));
    expect(result.history).toHaveLength(epochs);
    expect(result.history[epochs - 1]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    expect(result.steps).toBe(epochs * 5);
    expect(result.stopReason).toBe('completed');
    optimizer.dispose();
    vt.dispose([X, y, w, b]);
  });

  it('early stopping triggers on the validation loss and restores the best parameters', async () => {
    const { theta, loss } = driftingProblem();
    const optimizer = new SGD([theta], { lr: 0.05 });
    const thetas: number[] = [];
    const result = await fit({
      parameters: [theta],
      optimizer,
      nItems: 20,
      loss,
      epochs: 100,
      batchSize: 20,
      validationFraction: 0.25,
      seed: 1,
      earlyStopping: { patience: 3, restoreBest: true },
      onEpoch: () => {
        thetas.push(theta.dataSync()[0] as number);
      },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.stopReason).toBe('earlyStopping');
    expect(result.monitor).toBe('validation');
    // theta after epoch e is 5 - 5 (1 - 0.1)^(e + 1); |theta - 1| is smallest at e = 1 (theta = 0.95).
    expect(result.bestEpoch).toBe(1);
    expect(result.history).toHaveLength(result.bestEpoch + 1 + 3);
    expect(result.bestLoss).toBe(result.history[1]!.validationLoss);
    expect(result.restoredBest).toBe(true);
    expect(theta.dataSync()[0]).toBe(thetas[1]);
    expect(thetas.at(-1)).not.toBe(thetas[1]);
    optimizer.dispose();
    theta.dispose();
  });

  it('early stopping on the train loss, with minDelta', async () => {
    const theta = vt.variable(vt.scalar(0));
    const optimizer = new SGD([theta], { lr: 0.05 });
    // The train loss falls by a factor 0.81 per epoch: it stops improving by more than minDelta 0.05
    // once a step gains less than that, and waits `patience` = 2 more epochs.
    const result = await fit({
      parameters: [theta],
      optimizer,
      nItems: 4,
      loss: () => vt.square(vt.sub(theta, 1)) as vt.Scalar,
      epochs: 100,
      batchSize: 4,
      seed: 1,
      earlyStopping: { patience: 2, minDelta: 0.05 },
    });
    expect(result.monitor).toBe('train');
    expect(result.stoppedEarly).toBe(true);
    const losses = result.history.map((r) => r.trainLoss);
    let best = Infinity;
    let wait = 0;
    let stopAt = -1;
    for (const [e, l] of losses.entries()) {
      if (l < best - 0.05) [best, wait] = [l, 0];
      else if (++wait >= 2) {
        stopAt = e;
        break;
      }
    }
    expect(result.history.length - 1).toBe(stopAt);
    expect(theta.dataSync()[0]).toBeCloseTo(1 - 0.9 ** result.history.length, 5); // not restored
    optimizer.dispose();
    theta.dispose();
  });

  it('splits the items into floor(fraction * n) validation and the rest for training, every epoch', async () => {
    const theta = vt.variable(vt.scalar(0));
    const optimizer = new Adam([theta]);
    const seen: Array<{ epoch: number; training: boolean; batch: number[] }> = [];
    const result = await fit({
      parameters: [theta],
      optimizer,
      nItems: 103,
      loss: (batch, ctx) => {
        seen.push({ epoch: ctx.epoch, training: ctx.training, batch: Array.from(batch) });
        return vt.mul(theta, batch.length) as vt.Scalar;
      },
      epochs: 2,
      batchSize: 10,
      validationFraction: 0.2,
      seed: 4,
    });
    expect(result.validationIndices).toHaveLength(20);
    expect(result.trainIndices).toHaveLength(83);
    expect(new Set([...result.trainIndices, ...result.validationIndices]).size).toBe(103);
    for (const epoch of [0, 1]) {
      const train = seen.filter((s) => s.epoch === epoch && s.training);
      const validation = seen.filter((s) => s.epoch === epoch && !s.training);
      expect(train.map((s) => s.batch.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 3]);
      expect(validation.map((s) => s.batch.length)).toEqual([10, 10]);
      expect(train.flatMap((s) => s.batch).sort((a, b) => a - b)).toEqual(Array.from(result.trainIndices).sort((a, b) => a - b));
      expect(validation.flatMap((s) => s.batch)).toEqual(Array.from(result.validationIndices));
    }
    // Shuffled anew each epoch.
    expect(seen.filter((s) => s.epoch === 0 && s.training)[0]!.batch).not.toEqual(seen.filter((s) => s.epoch === 1 && s.training)[0]!.batch);
    optimizer.dispose();
    theta.dispose();
  });

  it('dropLast drops the short last batch', async () => {
    const theta = vt.variable(vt.scalar(0));
    const optimizer = new Adam([theta]);
    const sizes: number[] = [];
    const result = await fit({
      parameters: [theta],
      optimizer,
      nItems: 23,
      loss: (batch) => {
        sizes.push(batch.length);
        return vt.mul(theta, 1) as vt.Scalar;
      },
      epochs: 1,
      batchSize: 5,
      seed: 0,
      dropLast: true,
    });
    expect(sizes).toEqual([5, 5, 5, 5]);
    expect(result.steps).toBe(4);
    optimizer.dispose();
    theta.dispose();
  });

  it('passes ctx: epoch, global step, training flag, a distinct seed per call; validation takes no step', async () => {
    const theta = vt.variable(vt.scalar(0));
    const optimizer = new SGD([theta], { lr: 0.1 });
    const calls: Array<LossContext & { theta: number }> = [];
    await fit({
      parameters: [theta],
      optimizer,
      nItems: 10,
      loss: (_batch, ctx) => {
        calls.push({ ...ctx, theta: theta.dataSync()[0] as number });
        return vt.mul(theta, 1) as vt.Scalar;
      },
      epochs: 2,
      batchSize: 4,
      validationFraction: 0.2,
      seed: 3,
    });
    const train = calls.filter((c) => c.training);
    expect(train.map((c) => [c.epoch, c.step])).toEqual([[0, 0], [0, 1], [1, 2], [1, 3]]);
    const validation = calls.filter((c) => !c.training);
    expect(validation.map((c) => [c.epoch, c.step])).toEqual([[0, 2], [1, 4]]);
    expect(new Set(calls.map((c) => c.seed)).size).toBe(calls.length);
    // theta moves by -lr per training step (gradient 1) and not during validation.
    expect(validation.map((c) => c.theta)).toEqual([expect.closeTo(-0.2, 6), expect.closeTo(-0.4, 6)]);
    optimizer.dispose();
    theta.dispose();
  });

  it('records batch-size-weighted means of losses and metrics, the lr and the time', async () => {
    const theta = vt.variable(vt.scalar(0));
    const optimizer = new SGD([theta], { lr: 0 }); // theta stays 0
    const result = await fit({
      parameters: [theta],
      optimizer,
      nItems: 25,
      loss: (batch, ctx) => ({
        loss: vt.add(vt.mul(theta, 1), batch.length) as vt.Scalar,
        metrics: { size: batch.length, twice: vt.scalar(2 * batch.length), training: ctx.training ? 1 : 0 },
      }),
      epochs: 1,
      batchSize: 10,
      validationFraction: 0.2, // 5 validation items, 20 train: batches 10, 10 | 5
      seed: 3,
    });
    const [r] = result.history;
    expect(r!.trainLoss).toBe(10);
    expect(r!.validationLoss).toBe(5);
    expect(r!.metrics.train).toEqual({ size: 10, twice: 20, training: 1 });
    expect(r!.metrics.validation).toEqual({ size: 5, twice: 10, training: 0 });
    expect(r!.lr).toBe(0);
    expect(r!.steps).toBe(2);
    expect(r!.seconds).toBeGreaterThanOrEqual(0);
    optimizer.dispose();
    theta.dispose();
  });

  it('calls onEpoch after every epoch, honours "stop" (also from an async callback) and yields to the event loop', async () => {
    const { theta, loss } = driftingProblem();
    const optimizer = new Adam([theta]);
    let ticked = false;
    setTimeout(() => {
      ticked = true;
    }, 0);
    const epochsSeen: number[] = [];
    const tickedAt: boolean[] = [];
    const result = await fit({
      parameters: [theta],
      optimizer,
      nItems: 8,
      loss,
      epochs: 10,
      batchSize: 4,
      seed: 2,
      onEpoch: async (record) => {
        epochsSeen.push(record.epoch);
        tickedAt.push(ticked);
        return record.epoch === 2 ? 'stop' : undefined;
      },
    });
    expect(epochsSeen).toEqual([0, 1, 2]);
    expect(result.history).toHaveLength(3);
    expect(result.stopReason).toBe('callback');
    expect(result.stoppedEarly).toBe(false);
    expect(tickedAt[1]).toBe(true); // a timer queued before fit ran between epochs 0 and 1
    optimizer.dispose();
    theta.dispose();
  });

  it('is reproducible: the same seed gives the same history and parameters; another seed differs', async () => {
    const run = async (seed: number) => {
      const { X, y, n } = regressionData();
      const w = vt.variable(vt.zeros([3, 1]));
      const b = vt.variable(vt.zeros([1]));
      const optimizer = new Adam([w, b], { lr: 0.01 });
      // A stochastic loss: the ctx seed drives a noise draw, like a reparameterized sample.
      const base = regressionLoss(X, y, w, b);
      const loss = (batch: Int32Array, ctx: LossContext) => vt.add(base(batch), vt.mul(0.01, vt.sum(vt.randomNormal([1], { seed: ctx.seed })))) as vt.Scalar;
      const result = await fit({ parameters: [w, b], optimizer, nItems: n, loss, epochs: 4, batchSize: 32, validationFraction: 0.1, seed, clipGradNorm: 1 });
      const params = [...w.dataSync(), ...b.dataSync()];
      optimizer.dispose();
      vt.dispose([X, y, w, b]);
      return { history: withoutSeconds(result.history), params, split: Array.from(result.validationIndices) };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b).toEqual(a);
    expect(c.history).not.toEqual(a.history);
    expect(c.split).not.toEqual(a.split);
  });

  it('leaks no tensors over a whole fit (validation, metrics, clipping, early stopping with restore)', async () => {
    const { X, y, n } = regressionData();
    const w = vt.variable(vt.zeros([3, 1]));
    const b = vt.variable(vt.zeros([1]));
    const optimizer = new Adam([w, b], { lr: 0.01, amsgrad: true });
    const base = regressionLoss(X, y, w, b);
    const before = vt.numTensors();
    await fit({
      parameters: [w, b],
      optimizer,
      nItems: n,
      loss: (batch) => {
        const l = base(batch);
        return { loss: l, metrics: { mse: l, norm: vt.sum(vt.square(w)) } };
      },
      epochs: 5,
      batchSize: 50,
      validationFraction: 0.2,
      seed: 5,
      clipGradNorm: 0.5,
      earlyStopping: { patience: 1, restoreBest: true },
    });
    expect(vt.numTensors()).toBe(before);
    optimizer.dispose();
    vt.dispose([X, y, w, b]);
  });

  it('a non-finite training loss is an error, before the update', async () => {
    const theta = vt.variable(vt.scalar(1));
    const optimizer = new SGD([theta], { lr: 0.1 });
    const before = vt.numTensors();
    await expect(
      fit({ parameters: [theta], optimizer, nItems: 4, loss: (_b, ctx) => vt.mul(theta, ctx.step === 2 ? Number.NaN : 1) as vt.Scalar, epochs: 3, batchSize: 2, seed: 0 }),
    ).rejects.toThrow('fit: the training loss is NaN at epoch 1, step 2 (a batch of 2 items); the parameters are left as they were before this step');
    expect(theta.dataSync()[0]).toBeCloseTo(1 - 0.2, 6);
    expect(vt.numTensors()).toBe(before);
    optimizer.dispose();
    theta.dispose();
  });

  it('refuses bad arguments, naming the argument, the constraint and the value', async () => {
    const theta = vt.variable(vt.scalar(0));
    const other = vt.variable(vt.scalar(0));
    const optimizer = new Adam([theta]);
    const good: FitOptions = { parameters: [theta], optimizer, nItems: 10, loss: () => vt.mul(theta, 1) as vt.Scalar, epochs: 1, batchSize: 2, seed: 0 };
    const bad = async (patch: Record<string, unknown>, message: string | RegExp) => expect(fit({ ...good, ...patch } as FitOptions)).rejects.toThrow(message);
    await bad({ nItems: 0 }, "fit: argument 'nItems' must be an integer >= 1, got 0");
    await bad({ epochs: 1.5 }, "fit: argument 'epochs' must be an integer >= 1, got 1.5");
    await bad({ batchSize: -1 }, "fit: argument 'batchSize' must be an integer >= 1, got -1");
    await bad({ validationFraction: 1 }, "fit: argument 'validationFraction' must be a finite number in [0, 1), got 1");
    await bad({ validationFraction: 0.05 }, "splitIndices: argument 'validationFraction' 0.05 of 10 items gives no validation item (need >= 0.1)");
    await bad({ seed: -3 }, "fit: argument 'seed' must be an integer in [0, 2^53), got -3");
    await bad({ clipGradNorm: 0 }, "fit: argument 'clipGradNorm' must be a finite number > 0, got 0");
    await bad({ parameters: [] }, "fit: argument 'parameters' must be a non-empty array of Variables, got an array of length 0");
    await bad({ parameters: [other] }, `fit: argument 'parameters[0]' ('${other.name}') is not updated by the optimizer; create the optimizer over it`);
    await bad({ optimizer: vt.train.adam(0.1) }, /fit: argument 'optimizer' must be a vitae optimizer/);
    await bad({ loss: 3 }, "fit: argument 'loss' must be a function (batch, ctx) => scalar Tensor, got number 3");
    await expect(fit({ ...good, earlyStopping: { patience: 2 } })).resolves.toMatchObject({ monitor: 'train' }); // valid
    await bad({ earlyStopping: { patience: 2, monitor: 'validation' } }, "fit: argument 'earlyStopping.monitor' is 'validation' but 'validationFraction' is 0 (no validation split)");
    await bad({ earlyStopping: { patience: -1 } }, "fit: argument 'earlyStopping.patience' must be an integer >= 0, got -1");
    await bad({ dropLast: true, batchSize: 20 }, "fit: argument 'dropLast' with batchSize 20 leaves no batch of the 10 training items");
    await bad({ loss: () => vt.ones([2]) }, "fit: argument 'loss' must return a scalar (rank-0) Tensor or { loss, metrics }, got a float32 Tensor of shape [2]");
    await bad({ loss: () => ({ loss: vt.mul(theta, 1), metrics: { m: vt.ones([2]) } }) }, "fit: metric 'm' must be a number or a one-element Tensor, got a float32 Tensor of shape [2]");
    optimizer.dispose();
    vt.dispose([theta, other]);
  });
});
