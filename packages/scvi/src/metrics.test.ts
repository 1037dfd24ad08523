// The latent-space scores on constructed embeddings with known answers.
import { describe, expect, it } from 'vitest';
import { DenseArray } from '@vitae/anndata';
import { Prng } from '@vitae/tensor';
import { batchEntropy, knnAccuracy } from './index.js';

/** n points per group around centers 0, 10, 20, … on the first axis (noise sd 1), in d dimensions. */
function clusters(groups: number, n: number, d: number, seed: number): { x: DenseArray; group: Int32Array } {
  const prng = new Prng(seed);
  const values = new Float32Array(groups * n * d);
  const group = new Int32Array(groups * n);
  for (let i = 0; i < groups * n; i++) {
    group[i] = i % groups;
    for (let k = 0; k < d; k++) values[i * d + k] = (k === 0 ? 10 * (i % groups) : 0) + prng.nextNormal();
  }
  return { x: new DenseArray(values, groups * n, d), group };
}

describe('knnAccuracy', () => {
  it('separated clusters: 1; labels unrelated to the geometry: near chance', () => {
    const { x, group } = clusters(3, 40, 4, 1);
    expect(knnAccuracy(x, group)).toBe(1);
    const prng = new Prng(9);
    const random = Int32Array.from(group, () => Math.floor(prng.nextDouble() * 3));
    const acc = knnAccuracy(x, random);
    expect(acc).toBeGreaterThan(0.15);
    expect(acc).toBeLessThan(0.5);
  });

  it('leaves unlabelled cells out, takes strings, and names bad input', () => {
    const { x, group } = clusters(2, 30, 2, 2);
    const names = Array.from(group, (g, i) => (i < 5 ? null : g === 0 ? 'T' : 'B'));
    expect(knnAccuracy(x, names, { k: 5 })).toBe(1);
    expect(() => knnAccuracy(x, group.subarray(1))).toThrow(/argument 'labels' must hold one entry per cell \(60\), got 59/);
    expect(() => knnAccuracy(x, group, { k: 0 })).toThrow(/option 'k' must be an integer in \[1, 48\], got number 0/);
    expect(() => knnAccuracy(new DenseArray(new Float32Array([0, Number.NaN]), 2, 1), new Int32Array(2))).toThrow(/finite numbers, got NaN/);
  });
});

describe('batchEntropy', () => {
  it('batches interleaved within clusters: near 1; batches that are the clusters: 0', () => {
    const { x, group } = clusters(2, 60, 3, 3);
    const interleaved = Int32Array.from(group, (_, i) => Math.floor(i / 2) % 2);
    expect(batchEntropy(x, interleaved, { k: 20 })).toBeGreaterThan(0.9);
    expect(batchEntropy(x, group, { k: 20 })).toBe(0);
    expect(() => batchEntropy(x, new Int32Array(120))).toThrow(/at least two batches, got 1/);
  });
});
