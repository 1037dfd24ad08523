// Validation of fit's options, with errors that name the option, the constraint and the value.
import { Variable, describeValue } from '@vitae/tensor';
import { Optimizer } from '../optim/optimizer.js';
import { boolean, checkNumber, integerAtLeast, nonNegative, positive, received, seedOf } from '../validate.js';

import type { EarlyStoppingOptions, FitOptions } from './types.js';

export interface CheckedFitOptions extends Required<Omit<FitOptions, 'clipGradNorm' | 'earlyStopping' | 'onEpoch'>> {
  clipGradNorm: number | undefined;
  earlyStopping: Required<EarlyStoppingOptions> | undefined;
  onEpoch: FitOptions['onEpoch'];
}

const fn = 'fit';

export function checkFitOptions(options: FitOptions): CheckedFitOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: argument 'options' must be an object, got ${describeValue(options)}`);
  const o = options;
  if (!Array.isArray(o.parameters) || o.parameters.length === 0) {
    throw new TypeError(`${fn}: argument 'parameters' must be a non-empty array of Variables, got ${describeValue(o.parameters)}`);
  }
  if (!(o.optimizer instanceof Optimizer)) {
    throw new TypeError(`${fn}: argument 'optimizer' must be a vitae optimizer (Adam, AdamW, SGD from @vitae/inference), got ${describeValue(o.optimizer)}`);
  }
  o.parameters.forEach((p: unknown, i) => {
    if (!(p instanceof Variable)) throw new TypeError(`${fn}: argument 'parameters[${i}]' must be a Variable, got ${describeValue(p)}`);
    if (!o.optimizer.params.includes(p)) throw new Error(`${fn}: argument 'parameters[${i}]' ('${p.name}') is not updated by the optimizer; create the optimizer over it`);
  });
  if (typeof o.loss !== 'function') throw new TypeError(`${fn}: argument 'loss' must be a function (batch, ctx) => scalar Tensor, got ${describeValue(o.loss)}`);
  const nItems = integerAtLeast(o.nItems, fn, 'nItems', 1);
  const epochs = integerAtLeast(o.epochs, fn, 'epochs', 1);
  const batchSize = integerAtLeast(o.batchSize, fn, 'batchSize', 1);
  const validationFraction = checkNumber(o.validationFraction ?? 0, fn, 'validationFraction', 'in [0, 1)', (x) => x >= 0 && x < 1);
  const seed = seedOf(o, fn);
  const clipGradNorm = o.clipGradNorm === undefined ? undefined : positive(o.clipGradNorm, fn, 'clipGradNorm');
  const dropLast = boolean(o.dropLast ?? false, fn, 'dropLast');
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new TypeError(`${fn}: argument 'onEpoch' must be a function, got ${describeValue(o.onEpoch)}`);
  let earlyStopping: Required<EarlyStoppingOptions> | undefined;
  if (o.earlyStopping !== undefined) {
    const e = o.earlyStopping;
    if (typeof e !== 'object' || e === null) throw new TypeError(`${fn}: argument 'earlyStopping' must be an object, got ${describeValue(e)}`);
    const monitor = e.monitor ?? (validationFraction > 0 ? 'validation' : 'train');
    if (monitor !== 'validation' && monitor !== 'train') throw new TypeError(`${fn}: argument 'earlyStopping.monitor' must be 'validation' or 'train', got ${received(monitor)}`);
    if (monitor === 'validation' && validationFraction === 0) throw new Error(`${fn}: argument 'earlyStopping.monitor' is 'validation' but 'validationFraction' is 0 (no validation split)`);
    earlyStopping = {
      patience: integerAtLeast(e.patience, fn, 'earlyStopping.patience', 0),
      minDelta: nonNegative(e.minDelta ?? 0, fn, 'earlyStopping.minDelta'),
      monitor,
      restoreBest: boolean(e.restoreBest ?? false, fn, 'earlyStopping.restoreBest'),
    };
  }
  return { parameters: o.parameters, optimizer: o.optimizer, loss: o.loss, nItems, epochs, batchSize, validationFraction, seed, clipGradNorm, dropLast, earlyStopping, onEpoch: o.onEpoch };
}
