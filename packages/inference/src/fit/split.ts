// Index bookkeeping for the training loop: a seeded train / validation split and minibatches.
import { permutation } from '@vitae/tensor';
import { checkNumber, integerAtLeast, seedOf } from '../validate.js';

export interface IndexSplit {
  train: Int32Array;
  validation: Int32Array;
}

/**
 * A seeded random split of 0 … nItems-1 into floor(validationFraction * nItems) validation
 * indices and the rest for training (both in random order, as scvi-tools' DataSplitter).
 * A positive fraction that gives no validation item, or one that leaves no training item, is
 * an error rather than a silent change of plan.
 */
export function splitIndices(nItems: number, validationFraction: number, options: { seed: number }): IndexSplit {
  const fn = 'splitIndices';
  integerAtLeast(nItems, fn, 'nItems', 1);
  checkNumber(validationFraction, fn, 'validationFraction', 'in [0, 1)', (x) => x >= 0 && x < 1);
  const seed = seedOf(options, fn);
  // The 1e-9 keeps e.g. 0.29 * 100 = 28.999999999999996 from flooring to 28.
  const nValidation = Math.floor(validationFraction * nItems + 1e-9);
  if (validationFraction > 0 && nValidation === 0) {
    throw new RangeError(`${fn}: argument 'validationFraction' ${validationFraction} of ${nItems} items gives no validation item (need >= ${1 / nItems})`);
  }
  if (nValidation >= nItems) throw new RangeError(`${fn}: argument 'validationFraction' ${validationFraction} of ${nItems} items leaves no training item`);
  const order = permutation(nItems, { seed });
  return { validation: order.slice(0, nValidation), train: order.slice(nValidation) };
}

/** `indices` shuffled by `seed` and dealt into batches of `batchSize` (the last one smaller unless dropLast). */
export function shuffledBatches(indices: Int32Array, batchSize: number, dropLast: boolean, seed: number): Int32Array[] {
  const order = permutation(indices.length, { seed });
  const shuffled = new Int32Array(indices.length);
  for (let i = 0; i < order.length; i++) shuffled[i] = indices[order[i] as number] as number;
  return inBatches(shuffled, batchSize, dropLast);
}

/** `indices` in order, in batches of `batchSize` (the last one may be smaller unless dropLast). */
export function inBatches(indices: Int32Array, batchSize: number, dropLast = false): Int32Array[] {
  const out: Int32Array[] = [];
  for (let start = 0; start < indices.length; start += batchSize) {
    const batch = indices.slice(start, Math.min(start + batchSize, indices.length));
    if (dropLast && batch.length < batchSize) break;
    out.push(batch);
  }
  return out;
}
