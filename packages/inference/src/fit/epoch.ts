// One training epoch and one validation pass of `fit`. Each minibatch runs inside tidy, so
// nothing it allocates outlives it; losses and metrics are read as numbers right away and
// averaged with the batch sizes as weights.
import { Tensor, describeValue, tidy, variableGrads } from '@vitae/tensor';
import { clipGradNorm } from '../optim/clip.js';

import type { Scalar } from '@vitae/tensor';
import type { CheckedFitOptions } from './options.js';
import type { LossContext } from './types.js';

/** Batch-size-weighted means of the loss and of each metric. */
export class WeightedMeans {
  private lossSum = 0;
  private lossWeight = 0;
  private readonly metricSums = new Map<string, [number, number]>();

  add(loss: number, metrics: Record<string, number>, weight: number): void {
    this.lossSum += loss * weight;
    this.lossWeight += weight;
    for (const [name, value] of Object.entries(metrics)) {
      const [sum, w] = this.metricSums.get(name) ?? [0, 0];
      this.metricSums.set(name, [sum + value * weight, w + weight]);
    }
  }

  loss(): number {
    return this.lossSum / this.lossWeight;
  }

  metrics(): Record<string, number> {
    return Object.fromEntries([...this.metricSums].map(([name, [sum, w]]) => [name, sum / w]));
  }
}

function scalarValue(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (value instanceof Tensor && value.size === 1 && !value.isDisposed) return value.dataSync()[0] as number;
  throw new TypeError(`fit: ${what} must be a number or a one-element Tensor, got ${describeValue(value)}`);
}

/** Unpacks what the loss returned: the scalar loss tensor and the metrics as numbers. */
function unpack(out: unknown): { loss: Scalar; metrics: Record<string, number> } {
  const isTensor = out instanceof Tensor;
  const loss: unknown = isTensor ? out : typeof out === 'object' && out !== null ? (out as { loss?: unknown }).loss : undefined;
  if (!(loss instanceof Tensor) || loss.rank !== 0 || loss.isDisposed) {
    throw new TypeError(`fit: argument 'loss' must return a scalar (rank-0) Tensor or { loss, metrics }, got ${describeValue(isTensor || loss === undefined ? out : loss)}`);
  }
  const metrics: Record<string, number> = {};
  const given = isTensor ? undefined : (out as { metrics?: unknown }).metrics;
  if (given !== undefined) {
    if (typeof given !== 'object' || given === null) throw new TypeError(`fit: the loss's 'metrics' must be an object of numbers or scalar Tensors, got ${describeValue(given)}`);
    for (const [name, value] of Object.entries(given)) metrics[name] = scalarValue(value, `metric '${name}'`);
  }
  return { loss: loss as Scalar, metrics };
}

/** One optimizer step on `batch`: loss, gradients, optional clipping, update. Returns nothing; records into `means`. */
export function trainStep(o: CheckedFitOptions, batch: Int32Array, ctx: LossContext, means: WeightedMeans): void {
  tidy(() => {
    let metrics: Record<string, number> = {};
    const { value, grads } = variableGrads(() => {
      const out = unpack(o.loss(batch, ctx));
      metrics = out.metrics;
      return out.loss;
    }, o.parameters);
    const loss = value.dataSync()[0] as number;
    // Stop before the update, so the parameters keep their last finite values.
    if (!Number.isFinite(loss)) throw new Error(`fit: the training loss is ${loss} at epoch ${ctx.epoch}, step ${ctx.step} (a batch of ${batch.length} items); the parameters are left as they were before this step`);
    o.optimizer.step(o.clipGradNorm === undefined ? grads : clipGradNorm(grads, o.clipGradNorm).grads);
    means.add(loss, metrics, batch.length);
  });
}

/** The loss on `batch` without gradients, with ctx.training = false. */
export function validationStep(o: CheckedFitOptions, batch: Int32Array, ctx: LossContext, means: WeightedMeans): void {
  tidy(() => {
    const { loss, metrics } = unpack(o.loss(batch, ctx));
    means.add(loss.dataSync()[0] as number, metrics, batch.length);
  });
}
