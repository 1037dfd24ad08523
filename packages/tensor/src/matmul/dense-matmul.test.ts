// The wasm backend's swappable dense product (dense-matmul.ts, register.ts) with a plain
// JavaScript implementation set: layouts, batch broadcasting, the fallback to tfjs' kernel, the
// scratch it allocates, the gradient's transposed-flag path, and bad implementations. On the cpu
// backend the implementation is not used, and the same products must come from tfjs.
import * as tf from '#tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import * as t from '../index.js';
import { denseMatMulProvider, setDenseMatMulImpl, transposedMatMulIsFast } from './dense-matmul.js';

import type { DenseMatMulCall, DenseMatMulImpl } from './dense-matmul.js';

/** A naive float64-accumulating product on the views it is given; counts its calls. */
function naiveImpl(): DenseMatMulImpl & { calls: DenseMatMulCall[] } {
  const calls: DenseMatMulCall[] = [];
  return {
    provider: 'naive-test',
    calls,
    scratchBytes: (m, n, k) => 4 * (m + n + k),
    run(call) {
      calls.push(call);
      const { m, n, k, a, b, out, aRow, aCol, bRow, bCol, scratch } = call;
      expect(scratch.length).toBeGreaterThanOrEqual(m + n + k);
      expect(scratch.byteOffset % 16).toBe(0);
      scratch.fill(Number.NaN); // scratch is the implementation's: nothing may depend on its content
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += (a[i * aRow + p * aCol] as number) * (b[p * bRow + j * bCol] as number);
          out[i * n + j] = s;
        }
      }
    },
  };
}

/** float64 reference of op(A) · op(B) for rank-2 arrays. */
function reference(a: number[][], b: number[][], tA: boolean, tB: boolean): number[][] {
  const A = tA ? (a[0] as number[]).map((_, j) => a.map((r) => r[j] as number)) : a;
  const B = tB ? (b[0] as number[]).map((_, j) => b.map((r) => r[j] as number)) : b;
  return A.map((row) => (B[0] as number[]).map((_, j) => row.reduce((s, v, p) => s + v * ((B[p] as number[])[j] as number), 0)));
}

const onWasm = t.getBackend() === 'wasm';
let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

describe(`matMul through a dense product implementation (${t.getBackend()} backend)`, () => {
  it('reports the provider, and the gradient uses transpose flags only where the implementation runs', () => {
    expect(denseMatMulProvider()).toBe('tfjs');
    expect(transposedMatMulIsFast()).toBe(false);
    restore = setDenseMatMulImpl(naiveImpl());
    expect(denseMatMulProvider()).toBe('naive-test');
    expect(transposedMatMulIsFast()).toBe(onWasm);
    restore();
    restore = null;
    expect(denseMatMulProvider()).toBe('tfjs');
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('transposeA %s, transposeB %s: the float64 product, computed by the implementation on wasm', (tA, tB) => {
    const impl = naiveImpl();
    restore = setDenseMatMulImpl(impl);
    const [m, k, n] = [5, 7, 3];
    const a = t.tidy(() => t.randomNormal(tA ? [k, m] : [m, k], { seed: 1 }).arraySync() as number[][]);
    const b = t.tidy(() => t.randomNormal(tB ? [n, k] : [k, n], { seed: 2 }).arraySync() as number[][]);
    const got = t.tidy(() => t.matMul(t.tensor2d(a), t.tensor2d(b), tA, tB).arraySync() as number[][]);
    expect(impl.calls.length).toBe(onWasm ? 1 : 0);
    const want = reference(a, b, tA, tB);
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i] as number, 5));
  });

  it.each([
    [[3, 4, 6], [6, 2]],
    [[4, 6], [3, 6, 2]],
    [[2, 3, 4, 6], [2, 3, 6, 2]],
    [[1, 4, 6], [3, 6, 2]],
  ])('batch shapes %j × %j: one implementation call per output matrix, as tfjs computes it', (aShape, bShape) => {
    const impl = naiveImpl();
    const [a, b] = [t.randomNormal(aShape, { seed: 3 }), t.randomNormal(bShape, { seed: 4 })];
    const want = t.tidy(() => t.matMul(a, b).arraySync() as number[]);
    restore = setDenseMatMulImpl(impl);
    const got = t.tidy(() => t.matMul(a, b));
    const batch = got.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    expect(impl.calls.length).toBe(onWasm ? batch : 0);
    const [g, w] = [(got.arraySync() as number[]).flat(3) as number[], (want as number[]).flat(3) as number[]];
    g.forEach((v, i) => expect(v).toBeCloseTo(w[i] as number, 5));
    t.dispose([a, b, got]);
  });

  it('leaves to tfjs what it does not cover: batches broadcast both ways, int32, mismatched inner sizes', () => {
    const impl = naiveImpl();
    restore = setDenseMatMulImpl(impl);
    const both = t.tidy(() => t.matMul(t.ones([2, 1, 3, 4]), t.ones([1, 5, 4, 2])).shape);
    expect(impl.calls.length).toBe(0);
    expect(both).toEqual([2, 5, 3, 2]);
    expect(() => t.tidy(() => t.matMul(t.ones([3, 4]), t.ones([5, 2])))).toThrow(/inner shapes/);
    expect(impl.calls.length).toBe(0);
  });

  it('frees its scratch and leaks no tensor, with and without an implementation', () => {
    const backend = tf.backend();
    const a = t.randomNormal([16, 9], { seed: 5 });
    const b = t.randomNormal([9, 12], { seed: 6 });
    for (const impl of [null, naiveImpl()]) {
      restore = setDenseMatMulImpl(impl);
      const [tensors, buffers] = [t.memory().numTensors, backend.numDataIds()];
      for (let r = 0; r < 20; r++) t.tidy(() => void t.grads((x: t.Tensor, y: t.Tensor) => t.sum(t.matMul(x, y, false, false)))([a, b]));
      expect(t.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(buffers);
      restore();
      restore = null;
    }
    t.dispose([a, b]);
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('gradients with transposeA %s, transposeB %s equal those of the explicit-transpose path', (tA, tB) => {
    const [m, k, n] = [4, 6, 5];
    const a = t.randomNormal(tA ? [k, m] : [m, k], { seed: 7 });
    const b = t.randomNormal(tB ? [n, k] : [k, n], { seed: 8 });
    const w = t.randomNormal([m, n], { seed: 9 });
    const gradients = () => t.tidy(() => t.grads((x: t.Tensor, y: t.Tensor) => t.sum(t.mul(w, t.matMul(x, y, tA, tB))))([a, b]).map((g) => g.arraySync() as number[][]));
    const explicit = gradients();
    const impl = naiveImpl();
    restore = setDenseMatMulImpl(impl);
    const flagged = gradients();
    // forward + dA + dB, each one product through the implementation
    expect(impl.calls.length).toBe(onWasm ? 3 : 0);
    flagged.forEach((g, q) => g.flat().forEach((v, i) => expect(v).toBeCloseTo((explicit[q] as number[][]).flat()[i] as number, 4)));
    t.dispose([a, b, w]);
  });

  it('rejects an implementation that is not one', () => {
    expect(() => setDenseMatMulImpl({ provider: 'x' } as unknown as DenseMatMulImpl)).toThrow(/argument 'impl' must be null or an object with provider/);
    expect(() => setDenseMatMulImpl(42 as unknown as DenseMatMulImpl)).toThrow(/argument 'impl'/);
    expect(denseMatMulProvider()).toBe('tfjs');
  });
});
