import { digammaScalar, lgammaScalar, logSumExpScalar, polygammaScalar, xlogyScalar } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels } from './index.js';

import type { KernelModule } from './index.js';

// The typed-array API on its own, across chunk boundaries (chunks are 16,384 floats), checked
// against the float64 scalar implementations of @vitae/tensor.
let kernels: KernelModule;
beforeAll(async () => {
  kernels = await installWasmKernels();
});

function logUniform(n: number, lo: number, hi: number): Float32Array {
  // A deterministic spread of inputs (no randomness needed): golden-ratio low-discrepancy points.
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.exp(Math.log(lo) + ((i * 0.6180339887) % 1) * (Math.log(hi) - Math.log(lo)));
  return out;
}

function worstRatio(actual: Float32Array, f: (i: number) => number): number {
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = f(i);
    worst = Math.max(worst, Math.abs((actual[i] as number) - e) / (1e-5 * Math.max(1, Math.abs(e))));
  }
  return worst;
}

describe('KernelModule (typed arrays, no tfjs)', () => {
  const n = 16384 * 3 + 7; // three full chunks and a ragged tail
  const x = logUniform(n, 1e-4, 1e4);

  it('unary kernels agree with the float64 scalar functions over chunk boundaries', () => {
    expect(worstRatio(kernels.unary('lgamma', x), (i) => lgammaScalar(x[i] as number))).toBeLessThanOrEqual(1);
    expect(worstRatio(kernels.unary('digamma', x), (i) => digammaScalar(x[i] as number))).toBeLessThanOrEqual(1);
    expect(worstRatio(kernels.unary('trigamma', x), (i) => polygammaScalar(1, x[i] as number))).toBeLessThanOrEqual(1);
    expect(worstRatio(kernels.polygamma(2, x.subarray(0, 5000)), (i) => polygammaScalar(2, x[i] as number))).toBeLessThanOrEqual(1);
  });
  it('writes into a caller-provided output and leaves the input untouched', () => {
    const input = Float32Array.from([1, 2, 3]);
    const out = new Float32Array(3);
    expect(kernels.unary('lgamma', input, out)).toBe(out);
    expect(Array.from(input)).toEqual([1, 2, 3]);
    expect(out[2]).toBeCloseTo(Math.log(2), 6);
  });
  it('binary kernels over chunk boundaries', () => {
    const y = logUniform(n, 1e-3, 1e3).reverse();
    const signed = x.map((v, i) => (i % 3 === 0 ? 0 : i % 2 ? v : -v));
    expect(worstRatio(kernels.binary('xlogy', signed, y), (i) => xlogyScalar(signed[i] as number, y[i] as number))).toBeLessThanOrEqual(1);
  });
  it('logSumExpRows with rows longer than a chunk and with many short rows', () => {
    const cols = 40000;
    const wide = logUniform(2 * cols, 1e-2, 1e2).map((v) => Math.log(v) * 10);
    const got = kernels.logSumExpRows(wide, 2, cols);
    expect(worstRatio(got, (r) => logSumExpScalar(wide, r * cols, cols))).toBeLessThanOrEqual(1);
    const narrow = logUniform(30000 * 3, 1e-2, 1e2);
    const got2 = kernels.logSumExpRows(narrow, 30000, 3);
    expect(worstRatio(got2, (r) => logSumExpScalar(narrow, r * 3, 3))).toBeLessThanOrEqual(1);
    expect(Array.from(kernels.logSumExpRows(new Float32Array(0), 2, 0))).toEqual([-Infinity, -Infinity]);
  });
  it('mismatched lengths are refused', () => {
    expect(() => kernels.binary('xlogy', new Float32Array(2), new Float32Array(3))).toThrow(/lengths differ/);
  });
});
