import * as tf from '#tfjs';
import { describe, expect, it } from 'vitest';
import { numTensors } from '../index.js';

// The replacement Tile gradient against the definition: d/dx Σ w · tile(x, reps) sums w over
// every copy of each element of x.
describe('Tile / broadcastTo gradient', () => {
  it.each([
    { shape: [3], reps: [4] },
    { shape: [2, 3], reps: [1, 2] },
    { shape: [2, 1, 3], reps: [3, 5, 1] },
    { shape: [1, 4], reps: [6, 1] },
  ])('tile $shape by $reps matches the block-sum definition', ({ shape, reps }) => {
    const before = numTensors();
    tf.tidy(() => {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Array.from({ length: size }, (_, i) => i * 0.5 - 1), shape);
      const outShape = shape.map((s, i) => s * (reps[i] as number));
      const w = tf.tensor(Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)), outShape);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, reps), w)))(x);
      // Expected: for each output position, add w to the x element it copies.
      const expected = new Float64Array(size);
      const wv = w.dataSync();
      const strides = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));
      const os = strides(outShape);
      const xs = strides(shape);
      for (let k = 0; k < wv.length; k++) {
        let src = 0;
        outShape.forEach((_, d) => {
          const coord = Math.floor(k / (os[d] as number)) % (outShape[d] as number);
          src += (coord % (shape[d] as number)) * (xs[d] as number);
        });
        expected[src] = (expected[src] as number) + (wv[k] as number);
      }
      Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    });
    expect(numTensors()).toBe(before);
  });

  it('broadcastTo of a [4] vector to [60000, 4] differentiates in one reduction', () => {
    tf.tidy(() => {
      const a = tf.tensor([0.3, 1, 4.5, 30]);
      const w = tf.reshape(tf.range(0, 240000), [60000, 4]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.broadcastTo(v, [60000, 4]), tf.mod(w, 3))))(a);
      // Σ over rows of (4r + c) mod 3 for c = 0..3: each column holds 20,000 each of 0, 1, 2.
      expect(Array.from(g.dataSync())).toEqual([60000, 60000, 60000, 60000]);
    });
  });
});
