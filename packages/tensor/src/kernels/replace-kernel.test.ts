// withTfjsKernels: tfjs' own kernels and gradients in place of vitae's replacements while the
// function runs, vitae's back afterwards (also when it throws), the same results either way.
import * as tf from '#tfjs';
import { describe, expect, it } from 'vitest';
import * as t from '../index.js';
import { denseMatMulProvider, setDenseMatMulImpl } from '../matmul/dense-matmul.js';
import { withTfjsKernels } from './replace-kernel.js';

import type { DenseMatMulImpl } from '../matmul/dense-matmul.js';

const backend = t.getBackend();
const REPLACED = backend === 'wasm' ? [tf.Tile, tf.Identity, tf.Sum, tf.Mean, tf.BatchMatMul] : [tf.Tile];

describe(`withTfjsKernels (${backend} backend)`, () => {
  it("swaps tfjs' kernels and gradients in, and vitae's back, even when the function throws", () => {
    const vitae = REPLACED.map((k) => tf.getKernel(k, backend)?.kernelFunc);
    const vitaeGradients = [tf.getGradient(tf.BatchMatMul)?.gradFunc, tf.getGradient(tf.Tile)?.gradFunc];
    const inside = withTfjsKernels(() => ({
      kernels: REPLACED.map((k) => tf.getKernel(k, backend)?.kernelFunc),
      gradients: [tf.getGradient(tf.BatchMatMul)?.gradFunc, tf.getGradient(tf.Tile)?.gradFunc],
    }));
    inside.kernels.forEach((f, i) => expect(f).not.toBe(vitae[i]));
    inside.gradients.forEach((f, i) => expect(f).not.toBe(vitaeGradients[i]));
    expect(REPLACED.map((k) => tf.getKernel(k, backend)?.kernelFunc)).toEqual(vitae);
    expect(() =>
      withTfjsKernels(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(REPLACED.map((k) => tf.getKernel(k, backend)?.kernelFunc)).toEqual(vitae);
    expect([tf.getGradient(tf.BatchMatMul)?.gradFunc, tf.getGradient(tf.Tile)?.gradFunc]).toEqual(vitaeGradients);
  });

  it("uses tfjs' own dense product inside, and restores the one set", () => {
    const impl: DenseMatMulImpl = { provider: 'test', scratchBytes: () => 0, run: () => undefined };
    const restore = setDenseMatMulImpl(impl);
    try {
      expect(withTfjsKernels(() => denseMatMulProvider())).toBe('tfjs');
      expect(denseMatMulProvider()).toBe('test');
    } finally {
      restore();
    }
  });

  it('computes the same tile, sums, products and gradients', () => {
    const x = t.randomNormal([6, 5], { seed: 1 });
    const w = t.randomNormal([5, 4], { seed: 2 });
    const run = () =>
      t.tidy(() => {
        const f = (a: t.Tensor, b: t.Tensor) => t.sum(t.mean(t.tile(t.matMul(a, b), [2, 1]), 0));
        return [f(x, w), ...t.grads(f)([x, w])].map((v) => Array.from(v.dataSync()));
      });
    const before = t.memory().numTensors;
    const [ours, theirs] = [run(), withTfjsKernels(run)];
    expect(t.memory().numTensors).toBe(before);
    ours.forEach((v, q) => v.forEach((y, i) => expect(y).toBeCloseTo((theirs[q] as number[])[i] as number, 4)));
    t.dispose([x, w]);
  });
});
