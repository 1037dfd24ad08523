// randomGamma's gradient kernel (dx/dα of Gamma(α, 1) draws) in the module against the float64
// JS implementation of @vitae/tensor (standardGammaGradScalar), on the typed arrays and through
// the op on the current backend (the suite runs on both).
import * as t from '@vitae/tensor';
import { listArrayKernels, standardGammaGradScalar } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';

import type { KernelModule } from './index.js';

let kernels: KernelModule;
beforeAll(async () => {
  kernels = await installWasmKernels();
});

/** α log-uniform in [lo, hi] and x at quantile-like multiples of α around the bulk and in both tails, plus the edge cases. */
function grid(n: number, lo: number, hi: number): { x: Float32Array; alpha: Float32Array } {
  const x = new Float32Array(n);
  const alpha = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.exp(Math.log(lo) + ((i * 0.6180339887) % 1) * (Math.log(hi) - Math.log(lo)));
    // x / α from 1e-4 to 1e1, log-uniform, denser near 1 (the series / fraction switch and, for α >= 1e3, the expansion)
    const u = (i * 0.7548776662) % 1;
    const ratio = i % 3 === 0 ? 1 + (u - 0.5) * 0.4 : Math.exp((u - 0.8) * 11.5);
    alpha[i] = a;
    x[i] = a * ratio;
  }
  return { x, alpha };
}

function worstRelative(actual: Float32Array, x: Float32Array, alpha: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const want = Math.fround(standardGammaGradScalar(x[i] as number, alpha[i] as number));
    const got = actual[i] as number;
    if (want === got) continue;
    worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
  }
  return worst;
}

/** The largest distance, in float32 ulps, of `actual` from the float64 JS kernel rounded to float32. */
function maxUlps(actual: Float32Array, x: Float32Array, alpha: Float32Array): number {
  let ulps = 0;
  for (let i = 0; i < actual.length; i++) {
    const want = Math.fround(standardGammaGradScalar(x[i] as number, alpha[i] as number));
    const g = actual[i] as number;
    if (g !== want) ulps = Math.max(ulps, Math.abs(g - want) / (Math.abs(want) * 2 ** -23));
  }
  return ulps;
}

describe('standardGammaGrad kernel', () => {
  it('agrees with the float64 JS kernel to 1e-6 relative for α in [1e-3, 1e5], over chunk boundaries', () => {
    const { x, alpha } = grid(16384 * 2 + 5, 1e-3, 1e5);
    expect(worstRelative(kernels.binary('standardGammaGrad', x, alpha), x, alpha)).toBeLessThan(1e-6);
  });

  it('agrees where the draws of veloVI live (α in [0.05, 20], x ~ Gamma(α)): float32 results equal or one ulp apart', () => {
    const n = 20000;
    const alpha = new Float32Array(n);
    for (let i = 0; i < n; i++) alpha[i] = 0.05 + 20 * ((i * 0.6180339887) % 1);
    const x = t.tidy(() => t.randomGamma([n], t.tensor1d(alpha), { seed: 3 }).dataSync()) as Float32Array;
    expect(maxUlps(kernels.binary('standardGammaGrad', x, alpha), x, alpha)).toBeLessThanOrEqual(1);
  });

  it('where the series also covers x in [α + 1, α + 4) (α < 8): float32 results equal to the JS kernel or one ulp apart', () => {
    const n = 50000;
    const alpha = new Float32Array(n);
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      alpha[i] = Math.exp(Math.log(1e-3) + ((i * 0.6180339887) % 1) * Math.log(8 / 1e-3));
      x[i] = (alpha[i] as number) + 1 + 3 * ((i * 0.7548776662) % 1);
    }
    expect(maxUlps(kernels.binary('standardGammaGrad', x, alpha), x, alpha)).toBeLessThanOrEqual(1);
  });

  it('gives a draw the same bits whichever draw shares its f64x2 lanes, or none (any order, any thread count)', () => {
    // series draws run two at a time, paired in the order they come; a fraction draw between them
    // does not take part, and an odd one out runs alone
    const n = 4001;
    const alpha = new Float32Array(n);
    for (let i = 0; i < n; i++) alpha[i] = 0.05 + 12 * ((i * 0.6180339887) % 1);
    const x = t.tidy(() => t.randomGamma([n], t.tensor1d(alpha), { seed: 5 }).dataSync()) as Float32Array;
    const inOrder = kernels.binary('standardGammaGrad', x, alpha);
    const reversed = kernels.binary('standardGammaGrad', x.slice().reverse(), alpha.slice().reverse()).reverse();
    const shifted = kernels.binary('standardGammaGrad', x.subarray(1), alpha.subarray(1));
    expect(reversed).toEqual(inOrder);
    expect(shifted).toEqual(inOrder.subarray(1));
    for (const i of [0, 1, 2, 1000, 4000]) {
      expect(kernels.binary('standardGammaGrad', x.subarray(i, i + 1), alpha.subarray(i, i + 1))[0]).toBe(inOrder[i]);
    }
  });

  it('edge cases as the JS kernel: x = 0 → 0, x = ∞ → ∞, α <= 0, x < 0 and NaN → NaN, tiny x', () => {
    const x = new Float32Array([0, Infinity, 1, 1, -1, Number.NaN, 1, 1.1754943508222875e-38, 1e-30, 5e4]);
    const alpha = new Float32Array([1, 2, 0, -1, 1, 1, Number.NaN, 1e-3, 0.01, 5e4]);
    const got = kernels.binary('standardGammaGrad', x, alpha);
    const want = Array.from(x, (v, i) => Math.fround(standardGammaGradScalar(v, alpha[i] as number)));
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(want[i])) expect(got[i]).toBeNaN();
      else if (!Number.isFinite(want[i]) || want[i] === 0) expect(got[i]).toBe(want[i]);
      else expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThanOrEqual(1e-6 * Math.abs(want[i] as number));
    }
  });

  it('is the implementation of the op once installed, and the op agrees with the JS kernel', () => {
    expect(listArrayKernels().find((k) => k.kernelName === 'VitaeStandardGammaGrad')?.provider).toBe(WASM_SIMD_PROVIDER);
    const { x, alpha } = grid(3001, 1e-2, 1e3);
    const before = t.memory().numTensors;
    const got = t.tidy(() => t.standardGammaGrad(t.tensor1d(x), t.tensor1d(alpha)).dataSync()) as Float32Array;
    expect(t.memory().numTensors).toBe(before);
    expect(worstRelative(got, x, alpha)).toBeLessThan(1e-6);
  });
});
