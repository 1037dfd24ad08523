// The closed-form kinetics: the worked numbers of the issue, the float64 closed forms, and the
// ODEs they solve (checked by finite differences, independent of the formulas).
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { induction, repression } from './index.js';

function values(x: t.Tensor): number[] {
  return Array.from(x.dataSync());
}

/** Float64 closed forms, written out here independently of kinetics.ts. */
function inductionF64(a: number, b: number, c: number, time: number): [number, number] {
  const eps = 1e-6;
  return [(a / b) * (1 - Math.exp(-b * time)), (a / c) * (1 - Math.exp(-c * time)) + (a / (c - b + eps)) * (Math.exp(-c * time) - Math.exp(-b * time))];
}

describe('induction / repression', () => {
  it('alpha 0.85, beta 0.1, gamma 0.05, t 8: u = 4.68, s = 1.85 (float32)', () => {
    const before = t.numTensors();
    const [a, b, c, time] = [t.scalar(0.85), t.scalar(0.1), t.scalar(0.05), t.scalar(8)];
    const { u, s } = induction(a, b, c, time);
    expect(u.dtype).toBe('float32');
    const [uv, sv] = [u.dataSync()[0] as number, s.dataSync()[0] as number];
    expect(uv).toBeCloseTo(4.68, 2);
    expect(sv).toBeCloseTo(1.85, 2);
    // To float32 precision, the float64 closed form.
    const [u64, s64] = inductionF64(0.85, 0.1, 0.05, 8);
    expect(Math.abs(uv - u64)).toBeLessThan(4e-6 * u64);
    expect(Math.abs(sv - s64)).toBeLessThan(4e-5 * s64); // s subtracts two terms of size ~5
    t.dispose([a, b, c, time, u, s]);
    expect(t.numTensors()).toBe(before);
  });

  it('broadcasts per-gene rates [G] against times [B, G]', () => {
    const alpha = t.tensor1d([0.85, 2, 0.3]);
    const beta = t.tensor1d([0.1, 1.5, 0.4]);
    const gamma = t.tensor1d([0.05, 0.3, 0.9]);
    const time = t.tensor2d([[8, 1, 0], [0.5, 3, 12]]);
    const { u, s } = induction(alpha, beta, gamma, time);
    expect(u.shape).toEqual([2, 3]);
    const rates = [[0.85, 0.1, 0.05], [2, 1.5, 0.3], [0.3, 0.4, 0.9]];
    const times = [[8, 1, 0], [0.5, 3, 12]];
    times.forEach((row, i) =>
      row.forEach((tt, g) => {
        const [a, b, c] = rates[g] as [number, number, number];
        const [u64, s64] = inductionF64(a, b, c, tt);
        expect(values(u)[i * 3 + g]).toBeCloseTo(u64, 5);
        expect(values(s)[i * 3 + g]).toBeCloseTo(s64, 5);
      }),
    );
    // t = 0: (0, 0).
    expect(values(u)[2]).toBe(0);
    expect(values(s)[2]).toBeCloseTo(0, 7);
    t.dispose([alpha, beta, gamma, time, u, s]);
  });

  it('solve du/dt = α − βu, ds/dt = βu − γs (induction) and du/dt = −βu, ds/dt = βu − γs (repression)', () => {
    const [a, b, c] = [1.3, 0.7, 0.25];
    const h = 1e-2;
    const times = [0.5, 2, 5, 9];
    const grid = t.tensor1d(times.flatMap((x) => [x - h, x, x + h]));
    const [alpha, beta, gamma] = [t.scalar(a), t.scalar(b), t.scalar(c)];
    const ind = induction(alpha, beta, gamma, grid);
    const [u0, s0] = [t.scalar(2.1), t.scalar(3.4)];
    const rep = repression(u0, s0, beta, gamma, grid);
    const [iu, is, ru, rs] = [values(ind.u), values(ind.s), values(rep.u), values(rep.s)];
    times.forEach((_, k) => {
      const d = (arr: number[]) => ((arr[3 * k + 2] as number) - (arr[3 * k] as number)) / (2 * h);
      const at = (arr: number[]) => arr[3 * k + 1] as number;
      expect(d(iu)).toBeCloseTo(a - b * at(iu), 3);
      expect(d(is)).toBeCloseTo(b * at(iu) - c * at(is), 3);
      expect(d(ru)).toBeCloseTo(-b * at(ru), 3);
      expect(d(rs)).toBeCloseTo(b * at(ru) - c * at(rs), 3);
    });
    // Repression starts from (u0, s0).
    const zero = t.scalar(0);
    const start = repression(u0, s0, beta, gamma, zero);
    expect(start.u.dataSync()[0]).toBeCloseTo(2.1, 6);
    expect(start.s.dataSync()[0]).toBeCloseTo(3.4, 6);
    t.dispose([grid, alpha, beta, gamma, ind.u, ind.s, u0, s0, rep.u, rep.s, zero, start.u, start.s]);
  });

  it('the time-dependent rate α(t) = α₁ − (α₁ − α₀) e^{−λt} solves du/dt = α(t) − βu, ds/dt = βu − γs', () => {
    const [a0, a1, lam, b, c] = [0.4, 1.6, 0.35, 0.8, 0.3];
    const h = 1e-2;
    const times = [0.7, 3, 6];
    const grid = t.tensor1d(times.flatMap((x) => [x - h, x, x + h]));
    const [alpha, alpha1, lambdaAlpha, beta, gamma] = [a0, a1, lam, b, c].map((v) => t.scalar(v)) as [t.Tensor, t.Tensor, t.Tensor, t.Tensor, t.Tensor];
    const { u, s } = induction(alpha, beta, gamma, grid, { alpha1, lambdaAlpha });
    const [uv, sv] = [values(u), values(s)];
    times.forEach((x, k) => {
      const d = (arr: number[]) => ((arr[3 * k + 2] as number) - (arr[3 * k] as number)) / (2 * h);
      const at = (arr: number[]) => arr[3 * k + 1] as number;
      const rate = a1 - (a1 - a0) * Math.exp(-lam * x);
      expect(d(uv)).toBeCloseTo(rate - b * at(uv), 3);
      expect(d(sv)).toBeCloseTo(b * at(uv) - c * at(sv), 3);
    });
    t.dispose([grid, alpha, alpha1, lambdaAlpha, beta, gamma, u, s]);
  });
});
