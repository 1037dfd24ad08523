// The packed SIMD matrix product (assembly/gemm.ts, gemm-module.ts) and its threads
// (gemm-threads.ts): on typed arrays against a float64 product, across the micro-kernel's tile
// edges (4 × 8) and k blocks (256); through `matMul` on the wasm backend against tfjs-backend-
// wasm's own kernel, in every layout and with batches; split across worker threads, bit for bit
// the single-threaded result. On the cpu backend matMul is tfjs' own and the same products must
// come out.
import * as t from '@vitae/tensor';
import { denseMatMulProvider, setDenseMatMulImpl } from '@vitae/tensor/kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN_MULTIPLY_ADDS } from './gemm-module.js';
import { defaultThreads } from './threads.js';
import { GemmModule, installWasmKernels } from './index.js';

let single: GemmModule;
let threaded: GemmModule;
beforeAll(async () => {
  await installWasmKernels();
  single = await GemmModule.load(1);
  threaded = await GemmModule.load(3);
});
afterAll(async () => {
  await threaded.setThreads(1);
});

/** Deterministic values in [−1, 1) (golden-ratio sequence), a few exact zeros and large ones. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let u = seed * 0.381966;
  for (let i = 0; i < n; i++) {
    u = (u + 0.6180339887) % 1;
    out[i] = i % 11 === 3 ? 0 : i % 17 === 5 ? 64 * (2 * u - 1) : 2 * u - 1;
  }
  return out;
}

/** float64 op(A) · op(B) and, per element, Σ |a||b| (the scale of float32 rounding). */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean) {
  const at = (i: number, p: number) => a[tA ? p * m + i : i * k + p] as number;
  const bt = (p: number, j: number) => b[tB ? j * k + p : p * n + j] as number;
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let z = 0;
      for (let p = 0; p < k; p++) {
        s += at(i, p) * bt(p, j);
        z += Math.abs(at(i, p) * bt(p, j));
      }
      value[i * n + j] = s;
      scale[i * n + j] = z;
    }
  }
  return { value, scale };
}

const LAYOUTS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('GemmModule.multiply (typed arrays)', () => {
  // tile edges (m % 4, n % 8), one and several k blocks, degenerate sizes
  const SHAPES: Array<[number, number, number]> = [
    [1, 1, 1],
    [4, 8, 8],
    [5, 3, 9],
    [7, 300, 13],
    [33, 513, 17],
    [12, 1, 40],
    [3, 0, 5],
  ];
  for (const [tA, tB] of LAYOUTS) {
    it.each(SHAPES)(`transposeA ${tA}, transposeB ${tB}: [%i, %i] × [·, %i] within float32 rounding of the float64 product`, (m, k, n) => {
      const a = values(m * k, 1);
      const b = values(k * n, 2);
      const out = new Float32Array(m * n).fill(Number.NaN);
      single.multiply(a, b, m, k, n, out, { transposeA: tA, transposeB: tB });
      const { value, scale } = reference(a, b, m, k, n, tA, tB);
      // a sequential float32 sum of k products: |error| <= k · 2⁻²⁴ · Σ|a||b| (loosely)
      out.forEach((v, i) => expect(Math.abs(v - (value[i] as number))).toBeLessThanOrEqual(Math.max(k, 1) * 2 ** -23 * (scale[i] as number) + 1e-30));
    });
  }

  it('names the argument, the constraint and the value on bad input', () => {
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    expect(() => single.multiply(a, b, 2, 3, 2, new Float32Array(3))).toThrow(/argument 'out' must hold 4 elements for m 2, k 3, n 2, got 3/);
    expect(() => single.multiply(a, b, 2, 2, 2, new Float32Array(4))).toThrow(/argument 'a' must hold 4 elements/);
    expect(() => single.multiply(a, b, -1, 3, 2, new Float32Array(0))).toThrow(/argument 'm' must be a non-negative integer, got -1/);
    expect(() => single.multiply([1, 2] as unknown as Float32Array, b, 1, 2, 3, new Float32Array(3))).toThrow(/argument 'a' must be a Float32Array/);
    return expect(single.setThreads(0)).rejects.toThrow(/argument 'threads' must be a positive integer, got 0/);
  });

  it('reads VITAE_THREADS for the default thread count, and rejects a bad value', async () => {
    const saved = process.env.VITAE_THREADS;
    try {
      process.env.VITAE_THREADS = '3';
      expect(await defaultThreads()).toBe(3);
      process.env.VITAE_THREADS = 'two';
      await expect(defaultThreads()).rejects.toThrow(/VITAE_THREADS must be a positive integer, got 'two'/);
      delete process.env.VITAE_THREADS;
      expect(await defaultThreads()).toBeGreaterThanOrEqual(1);
    } finally {
      if (saved === undefined) delete process.env.VITAE_THREADS;
      else process.env.VITAE_THREADS = saved;
    }
  });
});

describe(`matMul with the packed GEMM installed (${t.getBackend()} backend)`, () => {
  const onWasm = t.getBackend() === 'wasm';

  it('is the wasm backend’s dense product once installed', () => {
    expect(denseMatMulProvider()).toBe('wasm-simd');
  });

  /** matMul of the same operands with `impl` as the dense product (null: tfjs' own kernel). */
  const product = (impl: GemmModule | null, a: t.Tensor, b: t.Tensor, tA: boolean, tB: boolean): Float32Array => {
    const restore = setDenseMatMulImpl(impl);
    try {
      return t.tidy(() => t.matMul(a, b, tA, tB).dataSync() as Float32Array);
    } finally {
      restore();
    }
  };

  for (const [tA, tB] of LAYOUTS) {
    it(`transposeA ${tA}, transposeB ${tB}: within float32 rounding of the float64 product, as tfjs' own kernel`, () => {
      const [m, k, n] = [37, 300, 45];
      const [av, bv] = [values(m * k, 5), values(k * n, 6)];
      const a = t.tensor(av, tA ? [k, m] : [m, k]);
      const b = t.tensor(bv, tB ? [n, k] : [k, n]);
      const { value, scale } = reference(av, bv, m, k, n, tA, tB);
      for (const impl of [single, null]) {
        product(impl, a, b, tA, tB).forEach((v, i) => expect(Math.abs(v - (value[i] as number))).toBeLessThanOrEqual(k * 2 ** -23 * (scale[i] as number)));
      }
      // the plain layout: tfjs' XNNPACK kernel sums in the same order (1e-6 relative allows for
      // a runtime whose XNNPACK picks another micro-kernel)
      if (!tA && !tB) {
        const [ours, theirs] = [product(single, a, b, false, false), product(null, a, b, false, false)];
        ours.forEach((v, i) => expect(Math.abs(v - (theirs[i] as number))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(theirs[i] as number))));
      }
      t.dispose([a, b]);
    });
  }

  // products above the threading threshold, cut by columns (n >= m) and by rows (m > n), uneven
  const LARGE: Array<[number, number, number]> = [
    [128, 128, 2000],
    [130, 2000, 70],
    [301, 160, 90],
  ];
  // wasm only: on the cpu backend matMul is tfjs' own, and neither module is used
  it.skipIf(!onWasm).each(LARGE)('[%i, %i] × [·, %i] on three threads: the single-threaded bits, in every layout', (m, k, n) => {
    expect(m * n * k).toBeGreaterThanOrEqual(PARALLEL_MIN_MULTIPLY_ADDS);
    for (const [tA, tB] of LAYOUTS) {
      const a = t.tensor(values(m * k, 7), tA ? [k, m] : [m, k]);
      const b = t.tensor(values(k * n, 8), tB ? [n, k] : [k, n]);
      const one = product(single, a, b, tA, tB);
      const three = product(threaded, a, b, tA, tB);
      // (vitest's toEqual walks 256,000 elements slowly): the first differing element, if any
      expect(one.length).toBe(m * n);
      expect(three.findIndex((v, i) => !Object.is(v, one[i]))).toBe(-1);
      expect(threaded.threads).toBe(3);
      t.dispose([a, b]);
    }
  });

  it('multiplies batches, with a single matrix broadcast against a batch', () => {
    const a = t.tensor(values(3 * 6 * 5, 9), [3, 6, 5]);
    const b = t.tensor(values(5 * 4, 10), [5, 4]);
    const ours = product(single, a, b, false, false);
    const theirs = product(null, a, b, false, false);
    ours.forEach((v, i) => expect(Math.abs(v - (theirs[i] as number))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(theirs[i] as number))));
    t.dispose([a, b]);
  });

  it('trains a linear map: the gradients through transposed layouts match tfjs’ own, and nothing leaks', () => {
    const x = t.tensor(values(64 * 40, 11), [64, 40]);
    const w = t.variable(t.tidy(() => t.mul(t.tensor(values(40 * 300, 12), [40, 300]), 0.1)));
    const y = t.tensor(values(64 * 300, 13), [64, 300]);
    const gradOf = (impl: GemmModule | null) => {
      const restore = setDenseMatMulImpl(impl);
      try {
        return t.tidy(() => t.grads((a: t.Tensor, b: t.Tensor) => t.sum(t.square(t.sub(t.matMul(a, b), y))))([x, w]).map((g) => g.dataSync() as Float32Array));
      } finally {
        restore();
      }
    };
    const before = t.memory().numTensors;
    const [ours, theirs] = [gradOf(threaded), gradOf(null)];
    expect(t.memory().numTensors).toBe(before);
    ours.forEach((g, q) => g.forEach((v, i) => expect(Math.abs(v - ((theirs[q] as Float32Array)[i] as number))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs((theirs[q] as Float32Array)[i] as number)))));
    t.dispose([x, w, y]);
  });
});
