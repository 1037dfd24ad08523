import { describe, expect, it } from 'vitest';
import * as t from '../index.js';

// log1p must keep float32 accuracy near 0 on every backend (tfjs-backend-wasm's own kernel
// computes log(1 + x), which is 1.3% off at -1e-6 and 0 below 2^-25: log1p-wasm.ts).
describe('log1p', () => {
  const xs = [-0.75, -0.4999, -0.3, -1e-3, -1e-6, -3e-8, -1e-12, -0, 0, 1e-30, 1e-9, 2.5e-7, 1e-4, 0.1, 0.4999, 0.5, 3, 1e6];

  it('is within one float32 ulp of Math.log1p, from tiny |x| to large x', () => {
    const got = t.tidy(() => t.log1p(t.tensor(xs)).dataSync());
    xs.forEach((x, i) => {
      const want = Math.log1p(Math.fround(x));
      const ulp = want === 0 ? 0 : 2 ** (Math.floor(Math.log2(Math.abs(want))) - 23);
      expect(Math.abs((got[i] as number) - want), `log1p(${x}) = ${got[i]}, want ${want}`).toBeLessThanOrEqual(ulp);
    });
  });

  it('keeps the sign of zero and gives NaN below -1', () => {
    const got = t.tidy(() => t.log1p(t.tensor([-0, -2, -1])).dataSync());
    expect(Object.is(got[0], -0)).toBe(true);
    expect(got[1]).toBeNaN();
    expect(got[2]).toBe(-Infinity);
  });

  it('has the gradient 1 / (1 + x) and leaks nothing', () => {
    const before = t.numTensors();
    const xs = [-1e-6, 0.25, 3];
    const g = t.tidy(() => t.grad((x: t.Tensor) => t.sum(t.log1p(x)))(t.tensor(xs)).dataSync());
    xs.forEach((x, i) => expect(Math.abs((g[i] as number) * (1 + x) - 1), `x = ${x}`).toBeLessThan(3e-7));
    expect(t.numTensors()).toBe(before);
  });
});
