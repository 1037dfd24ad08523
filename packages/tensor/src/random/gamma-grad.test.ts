import { loadFixture } from '@vitae/fixtures/load';
import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { listArrayKernels } from '../kernels/array-kernel.js';
import { ASYMPTOTIC_ALPHA, ASYMPTOTIC_Y, standardGammaGradScalar } from './gamma-grad.js';
import { RandomKernel } from './kernel-names.js';

interface GammaGradTable {
  alpha: number[];
  x: number[];
  quantile: (number | null)[];
  dxdalpha: number[];
  torch64: number[];
  torch32: number[];
}
const fixture = loadFixture<{ grid: GammaGradTable; largeAlpha: GammaGradTable }>('gamma-grad');
const F32_TINY = 1.1754943508222875e-38;

function values(t: vt.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** The largest relative error of `got` against `want`, with where it happened. */
function worstRelative(table: GammaGradTable, got: ArrayLike<number>, want: ArrayLike<number> = table.dxdalpha) {
  let worst = { rel: 0, alpha: NaN, x: NaN, got: NaN, want: NaN };
  for (let i = 0; i < table.x.length; i++) {
    const w = want[i] as number;
    const rel = Math.abs((got[i] as number) - w) / Math.abs(w);
    if (!(rel <= worst.rel)) worst = { rel, alpha: table.alpha[i] as number, x: table.x[i] as number, got: got[i] as number, want: w };
  }
  return worst;
}

const backend = process.env.VITAE_BACKEND;

describe(`standardGammaGrad against the mpmath fixture (${backend} backend)`, () => {
  it('the kernel is defined with the portable JS implementation', () => {
    expect(listArrayKernels()).toContainEqual({ kernelName: RandomKernel.StandardGammaGrad, provider: 'js' });
  });

  // float64 scalar: limited only by double rounding (measured worst 7e-15 on this grid).
  it.each(['grid', 'largeAlpha'] as const)('float64 scalar, %s: relative error <= 1e-12', (name) => {
    const table = fixture[name];
    const got = table.x.map((x, i) => standardGammaGradScalar(x, table.alpha[i] as number));
    const worst = worstRelative(table, got);
    expect(worst.rel, JSON.stringify(worst)).toBeLessThanOrEqual(1e-12);
  });

  // float32 op: the float64 result rounded once to float32 (half an ulp is 6e-8).
  it.each(['grid', 'largeAlpha'] as const)('float32 op, %s: relative error <= 1e-6', (name) => {
    const table = fixture[name];
    const got = values(vt.standardGammaGrad(table.x, table.alpha));
    const worst = worstRelative(table, got);
    expect(worst.rel, JSON.stringify(worst)).toBeLessThanOrEqual(1e-6);
    expect(table.x.length).toBeGreaterThan(name === 'grid' ? 500 : 50);
  });

  it('agrees with torch._standard_gamma_grad (float64) to the accuracy torch has', () => {
    // torch 1.13's float64 result differs from the reference by up to 1.9e-2 relative (tiny
    // alpha, upper tail; 1.4e-3 for alpha in [1, 100], median 1e-5), so ours can agree with torch
    // only that well: the test is that our distance to torch never exceeds torch's own error.
    for (const name of ['grid', 'largeAlpha'] as const) {
      const table = fixture[name];
      const ours = table.x.map((x, i) => standardGammaGradScalar(x, table.alpha[i] as number));
      const vsTorch = worstRelative(table, ours, table.torch64);
      const torchVsRef = worstRelative(table, table.torch64);
      expect(vsTorch.rel, JSON.stringify(vsTorch)).toBeLessThanOrEqual(torchVsRef.rel * (1 + 1e-6) + 1e-12);
    }
  });
});

describe(`standardGammaGrad: limits, switches and arguments (${backend} backend)`, () => {
  it('x = 0 gives 0 and x = Infinity gives Infinity; invalid arguments give NaN', () => {
    expect(standardGammaGradScalar(0, 0.001)).toBe(0);
    expect(standardGammaGradScalar(0, 5)).toBe(0);
    expect(standardGammaGradScalar(Infinity, 2)).toBe(Infinity);
    for (const [x, a] of [[-1, 1], [1, 0], [1, -2], [1, Infinity], [NaN, 1], [1, NaN]] as const) {
      expect(standardGammaGradScalar(x, a)).toBeNaN();
    }
    expect(values(vt.standardGammaGrad([0, Infinity, -1, 2], [0.5, 0.5, 0.5, 0]))).toEqual([0, Infinity, NaN, NaN]);
  });

  it('a draw clamped to the smallest normal float32 (tiny alpha) has a finite, tiny, positive gradient', () => {
    for (const alpha of [1e-3, 1e-2, 0.1]) {
      const g = standardGammaGradScalar(F32_TINY, alpha);
      // leading term of the series: (x / alpha) (ψ(alpha + 1) - log x)
      expect(g).toBeGreaterThan(0);
      expect(g / ((F32_TINY / alpha) * 87.3)).toBeCloseTo(1, 1);
    }
    const [g] = values(vt.standardGammaGrad(F32_TINY, 1e-3));
    expect(g).toBeGreaterThan(0);
  });

  it('huge x and huge alpha stay finite and positive', () => {
    // x >> alpha: dx/dalpha ≈ log x - ψ(alpha)
    expect(standardGammaGradScalar(1e30, 1) / (Math.log(1e30) + 0.5772156649015329)).toBeCloseTo(1, 10);
    expect(standardGammaGradScalar(3e38, 0.5)).toBeGreaterThan(80);
    for (const alpha of [1e10, 1e20, 1e30]) {
      expect(standardGammaGradScalar(alpha, alpha)).toBeCloseTo(1 + 1 / (6 * alpha), 14); // D_0(0) + D_1(0)/alpha
      expect(standardGammaGradScalar(alpha / 2, alpha)).toBeCloseTo(Math.log(2), 6); // λ log λ / (λ - 1) at λ = 1/2
      expect(standardGammaGradScalar(2 * alpha, alpha)).toBeCloseTo(2 * Math.log(2), 6);
    }
    expect(values(vt.standardGammaGrad(3e38, 1e30))[0]).toBeGreaterThan(0);
  });

  it('is continuous across the series / continued-fraction switch at x = alpha + 1', () => {
    for (const alpha of [1e-3, 0.5, 1, 7.5, 100, 999]) {
      const x = alpha + 1;
      const below = standardGammaGradScalar(x * (1 - 1e-15), alpha);
      const at = standardGammaGradScalar(x, alpha);
      expect(Math.abs(below - at) / at).toBeLessThan(1e-13);
    }
  });

  it('the large-alpha expansion matches the exact sums where it takes over', () => {
    // Just inside the expansion's region vs just outside (the series / continued fraction).
    for (const alpha of [ASYMPTOTIC_ALPHA, 3e3, 1e5, 1e7]) {
      for (const side of [-1, 1]) {
        const inside = standardGammaGradScalar(alpha * (1 + side * ASYMPTOTIC_Y), alpha);
        const outside = standardGammaGradScalar(alpha * (1 + side * ASYMPTOTIC_Y * (1 + 1e-12)), alpha);
        expect(Math.abs(inside - outside) / outside).toBeLessThan(1e-12);
      }
    }
  });

  it('broadcasts x and alpha, casts int32, and names a bad argument', () => {
    const g = vt.standardGammaGrad([[1], [2]], vt.tensor([1, 3, 5], undefined, 'int32'));
    expect(g.shape).toEqual([2, 3]);
    const v = values(g);
    expect(v[4]).toBeCloseTo(standardGammaGradScalar(2, 3), 5);
    expect(() => vt.standardGammaGrad([1, 2, 3], [1, 2])).toThrow(/standardGammaGrad: arguments 'x' \[3\] and 'alpha' \[2\] cannot be broadcast together/);
    expect(() => vt.standardGammaGrad('a' as never, 1)).toThrow(/standardGammaGrad: argument 'x' must be a Tensor/);
  });
});
