import { describe, expect, it } from 'vitest';
import * as vt from '@vitae/tensor';
import { gumbelSoftmax, sampleGumbel } from './index.js';

const values = (t: vt.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('sampleGumbel', () => {
  it('has the standard Gumbel mean (Euler–Mascheroni) and variance pi^2 / 6', () => {
    // n = 200,000: tolerances of about 5 standard errors (sd = pi / sqrt(6) = 1.28).
    const n = 200_000;
    const g = values(sampleGumbel([n], { seed: 3 }));
    const mean = g.reduce((a, b) => a + b, 0) / n;
    const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean - 0.5772156649)).toBeLessThan(5 * Math.sqrt(Math.PI ** 2 / 6 / n));
    expect(Math.abs(variance - Math.PI ** 2 / 6)).toBeLessThan(0.05);
    expect(g.every(Number.isFinite)).toBe(true);
  });
  it('same seed, same draws', () => {
    expect(values(sampleGumbel([2, 3], { seed: 9 }))).toEqual(values(sampleGumbel([2, 3], { seed: 9 })));
    expect(() => sampleGumbel([2], {} as never)).toThrow("sampleGumbel: argument 'seed' must be an integer in [0, 2^53), got undefined");
  });
});

describe('gumbelSoftmax', () => {
  const logits = [
    [1, 0, -1, 2],
    [0.5, 0.5, 0.5, 0.5],
    [-3, 4, 0, 1],
  ];

  it('rows are probability vectors summing to 1', () => {
    for (const temperature of [0.1, 1, 10]) {
      const y = gumbelSoftmax(vt.tensor2d(logits), { temperature, seed: 1 });
      expect(y.shape).toEqual([3, 4]);
      const sums = values(vt.sum(y, -1));
      for (const s of sums) expect(s).toBeCloseTo(1, 6);
      expect(values(y).every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it('hard mode is exactly one-hot, at the argmax of the soft sample with the same seed', () => {
    const x = vt.tensor2d(logits);
    const soft = values(gumbelSoftmax(x, { temperature: 0.7, seed: 5 }));
    const hard = values(gumbelSoftmax(x, { temperature: 0.7, seed: 5, hard: true }));
    for (let r = 0; r < 3; r++) {
      const row = hard.slice(4 * r, 4 * r + 4);
      expect(row.filter((v) => v === 1)).toHaveLength(1);
      expect(row.filter((v) => v === 0)).toHaveLength(3);
      const softRow = soft.slice(4 * r, 4 * r + 4);
      expect(row.indexOf(1)).toBe(softRow.indexOf(Math.max(...softRow)));
    }
    x.dispose();
  });

  it('the hard (straight-through) gradient equals the soft gradient', () => {
    const x = vt.tensor2d(logits);
    const weights = vt.tensor2d([
      [1, -2, 3, 0.5],
      [0, 1, 0, -1],
      [2, 2, -1, 1],
    ]);
    const gradOf = (hard: boolean) => values(vt.grad((l: vt.Tensor) => vt.sum(vt.mul(weights, gumbelSoftmax(l, { temperature: 0.5, seed: 11, hard }))))(x));
    const soft = gradOf(false);
    expect(gradOf(true)).toEqual(soft);
    expect(soft.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    vt.dispose([x, weights]);
  });

  it('as tau -> 0 the samples approach one-hot draws from softmax(logits)', () => {
    // n = 100,000 rows, tau = 0.05: the mean of the soft samples matches softmax(logits) within
    // 5 standard errors sqrt(p (1 - p) / n) + 2e-3 (the residual softness at tau = 0.05).
    const n = 100_000;
    const l = [1, 0, -1, 2];
    const probs = l.map((v) => Math.exp(v)).map((e, _i, a) => e / a.reduce((s, x) => s + x, 0));
    const x = vt.tile(vt.tensor2d([l]), [n, 1]);
    for (const hard of [false, true]) {
      const mean = values(vt.tidy(() => vt.mean(gumbelSoftmax(x, { temperature: 0.05, seed: 2024, hard }), 0)));
      mean.forEach((m, k) => {
        const p = probs[k] as number;
        expect(Math.abs(m - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 2e-3);
      });
    }
    x.dispose();
  });

  it('works on rank-1 and rank-3 logits (last axis = categories)', () => {
    expect(values(vt.sum(gumbelSoftmax(vt.tensor1d([0, 1, 2]), { temperature: 1, seed: 1 })))[0]).toBeCloseTo(1, 6);
    const y = gumbelSoftmax(vt.zeros([2, 3, 5]), { temperature: 0.3, seed: 1, hard: true });
    expect(y.shape).toEqual([2, 3, 5]);
    expect(values(vt.sum(y, -1))).toEqual([1, 1, 1, 1, 1, 1]);
    y.dispose();
  });

  it('same seed gives the same sample, another seed a different one', () => {
    const x = vt.tensor2d(logits);
    const a = values(gumbelSoftmax(x, { temperature: 1, seed: 7 }));
    expect(values(gumbelSoftmax(x, { temperature: 1, seed: 7 }))).toEqual(a);
    expect(values(gumbelSoftmax(x, { temperature: 1, seed: 8 }))).not.toEqual(a);
    x.dispose();
  });

  it('leaks no tensors (forward, hard, and under grad)', () => {
    const x = vt.tensor2d(logits);
    const before = vt.numTensors();
    for (let i = 0; i < 5; i++) {
      gumbelSoftmax(x, { temperature: 1, seed: i }).dispose();
      gumbelSoftmax(x, { temperature: 1, seed: i, hard: true }).dispose();
      vt.grad((l: vt.Tensor) => vt.sum(gumbelSoftmax(l, { temperature: 1, seed: i, hard: true })))(x).dispose();
      sampleGumbel([3], { seed: i }).dispose();
    }
    expect(vt.numTensors()).toBe(before);
    x.dispose();
  });

  it('refuses bad arguments', () => {
    const x = vt.tensor2d(logits);
    expect(() => gumbelSoftmax(x, { temperature: 0, seed: 1 })).toThrow("gumbelSoftmax: argument 'temperature' must be a finite number > 0, got 0");
    expect(() => gumbelSoftmax(x, { temperature: 1 } as never)).toThrow("gumbelSoftmax: argument 'seed' must be an integer in [0, 2^53), got undefined");
    expect(() => gumbelSoftmax(x, { temperature: 1, seed: 1, hard: 'yes' as never })).toThrow("gumbelSoftmax: argument 'hard' must be a boolean, got 'yes'");
    expect(() => gumbelSoftmax(vt.scalar(1), { temperature: 1, seed: 1 })).toThrow("gumbelSoftmax: argument 'logits' must have at least one axis");
    expect(() => gumbelSoftmax('x' as never, { temperature: 1, seed: 1 })).toThrow(/gumbelSoftmax: argument 'logits' must be a Tensor/);
    x.dispose();
  });
});
