import { describe, expect, it } from 'vitest';
import { numTensors, sum } from '@vitae/tensor';
import { forRowBatches, gatherRows, mapRowBatches } from '../index.js';

// The row-batch helpers the models evaluate datasets with: every row visited once, in order,
// with its offset; gathered rows equal the source rows; no tensor outlives a batch.
const m = { values: Float32Array.from({ length: 7 * 3 }, (_, i) => i), nRows: 7, nCols: 3 };

describe('row batches', () => {
  it('forRowBatches: consecutive chunks of at most batchSize, with their offsets', () => {
    const seen: [number[], number][] = [];
    forRowBatches(Int32Array.of(6, 0, 3, 5, 1), 2, (chunk, offset) => seen.push([Array.from(chunk), offset]));
    expect(seen).toEqual([[[6, 0], 0], [[3, 5], 2], [[1], 4]]);
    const none: number[] = [];
    forRowBatches(new Int32Array(0), 2, (_, offset) => none.push(offset));
    expect(none).toEqual([]);
  });
  it('gatherRows picks the given rows in the given order', () => {
    const x = gatherRows(m, [4, 0, 4]);
    expect(x.shape).toEqual([3, 3]);
    expect(Array.from(x.dataSync())).toEqual([12, 13, 14, 0, 1, 2, 12, 13, 14]);
    x.dispose();
  });
  it('mapRowBatches stacks the batch results and frees every tensor', () => {
    const before = numTensors();
    const out = mapRowBatches(m, 3, (x) => sum(x, 1, true));
    expect(out.nRows).toBe(7);
    expect(Array.from(out.values)).toEqual([3, 12, 21, 30, 39, 48, 57]);
    expect(numTensors()).toBe(before);
  });
});
