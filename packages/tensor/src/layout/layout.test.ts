import * as tf from '#tfjs';
import { describe, expect, it } from 'vitest';
import { getBackend, numTensors } from '../index.js';
import { leadingSumImpl, leadingSumProvider, setLeadingSumImpl, sumLeadingInto } from './leading-sum.js';
import { tileInto } from './tile.js';

import type { LeadingSumCall, LeadingSumImpl } from './leading-sum.js';

// The replacement Tile kernel against the definition out[i] = x[i mod shape] (computed here
// element by element), over ranks 0-4, reps of 1 and more on every axis, all numeric dtypes;
// and the Identity kernel that shares its input's memory.

/** tile by the definition: each output multi-index reads x at the index modulo x's shape. */
function tileByDefinition(values: ArrayLike<number>, shape: number[], reps: number[]): number[] {
  const outShape = shape.map((s, d) => s * (reps[d] as number));
  const size = outShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let k = 0; k < size; k++) {
    let rest = k;
    let src = 0;
    let stride = 1;
    const coords = new Array<number>(outShape.length);
    for (let d = outShape.length - 1; d >= 0; d--) {
      coords[d] = rest % (outShape[d] as number);
      rest = Math.floor(rest / (outShape[d] as number));
    }
    for (let d = outShape.length - 1; d >= 0; d--) {
      src += ((coords[d] as number) % (shape[d] as number)) * stride;
      stride *= shape[d] as number;
    }
    out.push(values[src] as number);
  }
  return out;
}

const CASES: { shape: number[]; reps: number[] }[] = [
  { shape: [], reps: [] },
  { shape: [5], reps: [1] },
  { shape: [5], reps: [7] },
  { shape: [1, 2000], reps: [128, 1] }, // scVI: a per-gene parameter over a minibatch
  { shape: [3, 1], reps: [1, 9] },
  { shape: [2, 3], reps: [3, 2] },
  { shape: [2, 1, 3], reps: [3, 5, 1] },
  { shape: [2, 3, 1, 2], reps: [2, 1, 3, 3] },
  { shape: [0, 3], reps: [2, 2] },
  { shape: [2, 3], reps: [0, 2] },
  // short output rows with only the last axis repeated (one loop): veloVI's [..., 1] -> [..., 4]
  { shape: [3, 5, 1], reps: [1, 1, 4] },
  { shape: [2, 3], reps: [1, 5] },
  { shape: [4, 2], reps: [1, 8] }, // a row of 16: the block copies again
  // short runs with earlier axes repeated too (loops inside the block-copy scheme)
  { shape: [2, 1, 3], reps: [2, 3, 4] },
  { shape: [3, 2, 1], reps: [1, 2, 7] },
];

describe('tileInto (typed arrays)', () => {
  it.each(CASES)('$shape by $reps matches the definition', ({ shape, reps }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const src = Float32Array.from({ length: size }, (_, i) => i + 0.5);
    const dst = new Float32Array(shape.reduce((a, s, d) => a * s * (reps[d] as number), 1));
    tileInto(src, shape, reps, dst);
    expect(Array.from(dst)).toEqual(tileByDefinition(src, shape, reps));
  });
});

describe(`the Tile kernel (${getBackend()} backend)`, () => {
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    it.each(CASES)(`${dtype}: tile $shape by $reps matches the definition`, ({ shape, reps }) => {
      const before = numTensors();
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : dtype === 'int32' ? i - 4 : i * 0.25 - 1));
      const x = tf.tensor(values as number[], shape, dtype);
      const y = tf.tile(x, reps);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual(shape.map((s, d) => s * (reps[d] as number)));
      expect(Array.from(y.dataSync())).toEqual(tileByDefinition(values.map(Number), shape, reps));
      tf.dispose([x, y]);
      expect(numTensors()).toBe(before);
    });
  }
  it('broadcastTo goes through it: [2000] to [128, 2000]', () => {
    const x = tf.range(0, 2000);
    const y = tf.broadcastTo(x, [128, 2000]);
    const v = y.dataSync();
    expect(v[127 * 2000 + 1999]).toBe(1999);
    expect(v[64 * 2000 + 17]).toBe(17);
    tf.dispose([x, y]);
  });
});

describe(`the Identity kernel (${getBackend()} backend)`, () => {
  it('clone shares memory safely: disposing either leaves the other intact', () => {
    const before = numTensors();
    const x = tf.tensor([1, 2, 3]);
    const c = tf.clone(x);
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    const d = tf.clone(c);
    c.dispose();
    expect(Array.from(d.dataSync())).toEqual([1, 2, 3]);
    d.dispose();
    expect(numTensors()).toBe(before);
  });
  it('a variable assigned after a clone leaves the clone unchanged', () => {
    const v = tf.variable(tf.tensor([1, 2]));
    const c = tf.clone(v);
    tf.tidy(() => v.assign(tf.tensor([5, 6])));
    expect(Array.from(c.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    tf.dispose([v, c]);
  });
  it('gradients through clone are unchanged', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.clone(x), x)))(tf.tensor([1, 2, 3]));
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
    g.dispose();
  });
});

describe(`Sum and Mean over leading axes (${getBackend()} backend)`, () => {
  /** Deterministic values with mixed signs and magnitudes, and a few exact zeros. */
  const values = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 13 === 4 ? 0 : Math.sin(i * 1.7) * 10 ** ((i % 7) - 3)));

  it.each([
    { shape: [128, 2000], axis: 0 as number | number[] },
    { shape: [128, 1, 20], axis: 0 },
    { shape: [4, 5, 6], axis: [1, 0] },
    { shape: [4, 5, 6], axis: [-3] },
    { shape: [7, 3], axis: [0] },
    { shape: [0, 3], axis: 0 },
  ])('$shape over $axis: the in-order float32 sum of each column, as tfjs sums a transposed copy', ({ shape, axis }) => {
    const before = numTensors();
    const x = tf.tensor(values(shape.reduce((a, b) => a * b, 1)), shape);
    const axes = tf.util.parseAxisParam(axis, shape);
    const r = axes.length;
    const rows = shape.slice(0, r).reduce((a, b) => a * b, 1);
    const cols = shape.slice(r).reduce((a, b) => a * b, 1);
    // the definition: a float32 running sum over the rows, in order
    const xs = x.dataSync() as Float32Array;
    const expected = new Float32Array(cols);
    const magnitude = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        expected[j] = Math.fround((expected[j] as number) + (xs[i * cols + j] as number));
        magnitude[j] = (magnitude[j] as number) + Math.abs(xs[i * cols + j] as number);
      }
    }
    for (const keepDims of [false, true]) {
      const sum = tf.sum(x, axis, keepDims);
      const mean = tf.mean(x, axis, keepDims);
      expect(sum.shape).toEqual(keepDims ? [...shape.slice(0, r).map(() => 1), ...shape.slice(r)] : shape.slice(r));
      expect(mean.shape).toEqual(sum.shape);
      const s = sum.dataSync();
      const m = mean.dataSync();
      for (let j = 0; j < cols; j++) {
        // the cpu backend (tfjs' own kernel) adds in another order: float32 rounding apart
        expect(Math.abs((s[j] as number) - (expected[j] as number))).toBeLessThanOrEqual(getBackend() === 'wasm' ? 0 : rows * 2 ** -23 * (magnitude[j] as number));
        // (the mean of no rows: NaN here, 0 on tfjs' cpu backend; not checked)
        if (rows > 0) expect(Math.abs((m[j] as number) - Math.fround((s[j] as number) / rows))).toBeLessThanOrEqual(getBackend() === 'wasm' ? 0 : 2 ** -22 * ((magnitude[j] as number) + Math.abs(m[j] as number)));
      }
      tf.dispose([sum, mean]);
    }
    x.dispose();
    expect(numTensors()).toBe(before);
  });

  it('leaves int32 tensors and reductions of inner or all axes to tfjs', () => {
    const x = tf.tensor([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    expect(Array.from(tf.sum(x, 0).dataSync())).toEqual([5, 7, 9]);
    expect(tf.sum(x, 0).dtype).toBe('int32');
    const y = tf.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(tf.sum(y, 1).dataSync())).toEqual([6, 15]);
    expect(Array.from(tf.mean(y).dataSync())).toEqual([3.5]);
    expect(Array.from(tf.mean(y, [0, 1]).dataSync())).toEqual([3.5]);
    tf.dispose([x, y]);
  });

  it('gradients through a bias add are the column sums of dy', () => {
    const dy = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const g = tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.zeros([3, 2]), b), dy)))(tf.tensor1d([0, 0]));
    expect(Array.from(g.dataSync())).toEqual([9, 12]);
    tf.dispose([dy, g]);
  });
});

describe(`sum over leading axes with an implementation set (${getBackend()} backend)`, () => {
  it('hands the wasm backend\'s sums to it (views of the heap, rows and cols), restores the loop, refuses a bad one', () => {
    const calls: LeadingSumCall[] = [];
    const recording: LeadingSumImpl = {
      provider: 'recording-test',
      run(call) {
        calls.push(call);
        sumLeadingInto(call.x, call.rows, call.cols, call.out);
      },
    };
    const restore = setLeadingSumImpl(recording);
    try {
      expect(leadingSumProvider()).toBe('recording-test');
      const x = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
      const sum = tf.sum(x, [0, 1]);
      expect(Array.from(sum.dataSync())).toEqual([60, 66, 72, 78]);
      if (getBackend() === 'wasm') {
        expect(calls.map(({ rows, cols }) => [rows, cols])).toEqual([[6, 4]]);
        const call = calls[0] as LeadingSumCall;
        expect(call.x.buffer).toBe(call.heap.buffer);
        expect(call.out.buffer).toBe(call.heap.buffer);
      } else {
        expect(calls).toEqual([]); // the cpu backend keeps tfjs' reduction
      }
      tf.dispose([x, sum]);
    } finally {
      restore();
    }
    expect(leadingSumProvider()).toBe(leadingSumImpl()?.provider ?? 'js');
    expect(leadingSumImpl()).not.toBe(recording);
    expect(() => setLeadingSumImpl({ provider: 'x' } as unknown as LeadingSumImpl)).toThrow(/setLeadingSumImpl: argument 'impl' must be null or an object with provider \(string\) and run\(\)/);
  });
});

