// The unary and binary kernels of KernelModule split across worker threads
// and the NB / ZINB log-likelihood (elementwise-threads.ts): the single-threaded bits for every kernel, above and below the size
// at which the split starts, with odd lengths; and setWasmThreads' argument check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELEMENTWISE_KERNELS } from './elementwise-threads.js';
import { KernelModule, PARALLEL_MIN_ELEMENTS } from './kernel-module.js';
import { setWasmThreads } from './index.js';

import type { BinaryKernelName, UnaryKernelName } from './kernel-module.js';

let single: KernelModule;
let threaded: KernelModule;
beforeAll(async () => {
  single = await KernelModule.load(1);
  threaded = await KernelModule.load(3);
});
afterAll(async () => {
  await threaded.setThreads(1);
});

/** Positive values spread over [1e-3, 1e3] (golden-ratio sequence in log space). */
function positives(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.exp(Math.log(1e-3) + (((i + seed) * 0.6180339887) % 1) * Math.log(1e6)));
}

const UNARY: UnaryKernelName[] = ['lgamma', 'digamma', 'trigamma', 'log1pExp', 'logSigmoid'];
const BINARY: BinaryKernelName[] = ['xlogy', 'logBeta', 'standardGammaGrad'];

describe('KernelModule on three threads', () => {
  it('covers every unary and binary kernel', () => {
    expect([...UNARY, ...BINARY].sort()).toEqual([...ELEMENTWISE_KERNELS].sort());
    expect(threaded.threads).toBe(3);
    expect(single.threads).toBe(1);
  });

  for (const n of [PARALLEL_MIN_ELEMENTS - 1, PARALLEL_MIN_ELEMENTS + 3, 200_003]) {
    it.each(UNARY)(`%s over ${n} elements: the single-threaded bits`, (name) => {
      const x = positives(n, 1);
      const one = single.unary(name, x);
      const three = threaded.unary(name, x);
      expect(three.findIndex((v, i) => !Object.is(v, one[i]))).toBe(-1);
    });
    it.each(BINARY)(`%s over ${n} elements: the single-threaded bits`, (name) => {
      const [a, b] = [positives(n, 2), positives(n, 3)];
      const one = single.binary(name, a, b);
      const three = threaded.binary(name, a, b);
      expect(three.findIndex((v, i) => !Object.is(v, one[i]))).toBe(-1);
    });
  }

  it.each([
    { zi: true, grad: true, periodicTheta: true },
    { zi: true, grad: false, periodicTheta: false },
    { zi: false, grad: true, periodicTheta: true },
    { zi: false, grad: false, periodicTheta: true },
  ])('the count likelihood (zero-inflated $zi, gradients $grad, θ per gene $periodicTheta): the single-threaded bits', ({ zi, grad, periodicTheta }) => {
    // 67 cells × 2003 genes (n above the threshold, odd), counts mostly zero
    const [cells, genes] = [67, 2003];
    const n = cells * genes;
    const x = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 10 < 7 ? 0 : 1 + ((i * 31) % 40)));
    const mu = positives(n, 5);
    const theta = positives(periodicTheta ? genes : n, 6);
    const pi = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const results = [single, threaded].map((kernels) => {
      const outputs = { value: new Float32Array(n), ...(grad ? { mu: new Float32Array(n), theta: new Float32Array(n), ...(zi ? { pi: new Float32Array(n) } : {}) } : {}) };
      kernels.countLikelihood({ x, mu, theta, ...(zi ? { pi } : {}) }, outputs, 1e-8);
      return Object.values(outputs) as Float32Array[];
    });
    const [one, three] = results as [Float32Array[], Float32Array[]];
    expect(three.length).toBe(grad ? (zi ? 4 : 3) : 1);
    three.forEach((o, j) => expect(o.findIndex((v, i) => !Object.is(v, (one[j] as Float32Array)[i]))).toBe(-1));
    expect(n).toBeGreaterThanOrEqual(PARALLEL_MIN_ELEMENTS);
  });

  it('writes into a given output view, leaving the rest of its buffer alone', () => {
    const n = PARALLEL_MIN_ELEMENTS * 2;
    const x = positives(n, 4);
    const buffer = new Float32Array(n + 8).fill(-7);
    threaded.unary('lgamma', x, buffer.subarray(4, 4 + n));
    expect(Array.from(buffer.subarray(0, 4))).toEqual([-7, -7, -7, -7]);
    expect(Array.from(buffer.subarray(n + 4))).toEqual([-7, -7, -7, -7]);
    const one = single.unary('lgamma', x);
    expect(buffer.subarray(4, 4 + n).findIndex((v, i) => !Object.is(v, one[i]))).toBe(-1);
  });

  it('names the argument and the constraint on a bad thread count', async () => {
    await expect(setWasmThreads(0)).rejects.toThrow(/argument 'threads' must be a positive integer, got 0/);
    await expect(single.setThreads(1.5)).rejects.toThrow(/argument 'threads' must be a positive integer, got 1.5/);
  });
});
