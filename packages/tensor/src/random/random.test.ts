import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { Prng } from './prng.js';

function values(t: vt.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}
const minOf = (v: number[]) => v.reduce((a, b) => Math.min(a, b), Infinity);
const maxOf = (v: number[]) => v.reduce((a, b) => Math.max(a, b), -Infinity);
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const varOf = (v: number[]) => {
  const m = meanOf(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
};

describe('seeded randomness', () => {
  it('the same seed gives the same numbers; another seed different ones', () => {
    const a = values(vt.randomNormal([1000], { seed: 7 }));
    const b = values(vt.randomNormal([1000], { seed: 7 }));
    const c = values(vt.randomNormal([1000], { seed: 8 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
  it('xoshiro128** matches the reference algorithm from state (1, 2, 3, 4)', () => {
    // Outputs of the authors' C code (Blackman & Vigna) compiled here: draws 1-6 and 1001.
    const prng = Prng.fromState([1, 2, 3, 4]);
    const first = Array.from({ length: 6 }, () => prng.nextUint32());
    for (let i = 0; i < 994; i++) prng.nextUint32();
    expect(first).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
    expect(prng.nextUint32()).toBe(136054147);
  });
  it('jump() advances xoshiro128** by 2^64 steps as the reference jump does', () => {
    // The authors' C code (xoshiro128starstar.c's next and jump) compiled here, from state (1, 2, 3, 4).
    const prng = Prng.fromState([1, 2, 3, 4]).jump();
    expect(Array.from({ length: 3 }, () => prng.nextUint32())).toEqual([1194304935, 745561276, 25819468]);
    prng.jump().jump();
    expect(Array.from({ length: 3 }, () => prng.nextUint32())).toEqual([917248472, 1207791854, 1017410153]);
  });
  it('state() continues the stream through fromState, and refuses while a normal is cached', () => {
    const prng = new Prng(9);
    prng.nextUint32();
    const copy = Prng.fromState(prng.state());
    expect(Array.from({ length: 5 }, () => copy.nextDouble())).toEqual(Array.from({ length: 5 }, () => prng.nextDouble()));
    prng.nextNormal();
    expect(() => prng.state()).toThrow(/Prng.state: a normal draw is cached/);
    prng.nextNormal();
    expect(() => prng.state()).not.toThrow();
  });
  it('the numbers are pinned (a change to seeding or sampling shows up here)', () => {
    expect(values(vt.randomUniform([3], { seed: 42 }))).toEqual([0.15377163887023926, 0.8504892587661743, 0.01808452606201172]);
    expect(Array.from(vt.permutation(6, { seed: 42 }))).toEqual([1, 3, 0, 4, 2, 5]);
  });
  it('seeds above 2^32 are distinct from their low 32 bits', () => {
    expect(values(vt.randomUniform([4], { seed: 2 ** 40 + 5 }))).not.toEqual(values(vt.randomUniform([4], { seed: 5 })));
  });
  it('SeedSequence and splitSeed derive distinct reproducible seeds', () => {
    const s = new vt.SeedSequence(3);
    const seeds = s.split(100);
    expect(new Set(seeds).size).toBe(100);
    expect(seeds.every((x) => Number.isSafeInteger(x) && x >= 0)).toBe(true);
    expect(vt.splitSeed(3, 100)).toEqual(seeds);
  });

  // Monte Carlo checks: n = 200,000 draws, tolerances of about 5 standard errors.
  const n = 200_000;
  it('uniform: mean 1/2, variance 1/12, inside (low, high)', () => {
    const v = values(vt.randomUniform([n], { seed: 1 }));
    expect(Math.abs(meanOf(v) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(varOf(v) - 1 / 12)).toBeLessThan(2e-3);
    expect(minOf(v)).toBeGreaterThan(0);
    expect(maxOf(v)).toBeLessThan(1);
    const w = values(vt.randomUniform([1000], { seed: 1, low: -2, high: 3 }));
    expect(minOf(w)).toBeGreaterThan(-2);
    expect(maxOf(w)).toBeLessThan(3);
  });
  it('normal: mean, variance and the 97.5% quantile', () => {
    const v = values(vt.randomNormal([n], { seed: 2, mean: 1, stddev: 2 }));
    expect(Math.abs(meanOf(v) - 1)).toBeLessThan(5 * 2 / Math.sqrt(n));
    expect(Math.abs(varOf(v) - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / n));
    const above = v.filter((x) => x > 1 + 2 * 1.959964).length / n;
    expect(Math.abs(above - 0.025)).toBeLessThan(5 * Math.sqrt(0.025 * 0.975 / n));
  });
  it.each([0.1, 0.7, 1, 3.5, 50])('gamma(alpha = %s): mean alpha, variance alpha', (alpha) => {
    const v = values(vt.randomGamma([n], alpha, { seed: 3 }));
    expect(Math.abs(meanOf(v) - alpha)).toBeLessThan(5 * Math.sqrt(alpha / n));
    expect(Math.abs(varOf(v) / alpha - 1)).toBeLessThan(0.05);
    expect(minOf(v)).toBeGreaterThan(0);
  });
  it('gamma with a per-element alpha tensor broadcast to the shape', () => {
    const v = vt.randomGamma([n / 2, 2], vt.tensor([0.5, 20]), { seed: 4 });
    const m = values(vt.mean(v, 0));
    v.dispose();
    expect(m[0]).toBeCloseTo(0.5, 1);
    expect(m[1]).toBeCloseTo(20, 0);
  });
  it.each([0.3, 4, 9.9, 10, 250])('poisson(rate = %s): mean and variance equal the rate, integers', (rate) => {
    const v = values(vt.randomPoisson([n], rate, { seed: 5 }));
    expect(Math.abs(meanOf(v) - rate)).toBeLessThan(5 * Math.sqrt(rate / n));
    expect(Math.abs(varOf(v) / rate - 1)).toBeLessThan(0.05);
    expect(v.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });
  it('bernoulli frequency', () => {
    const v = values(vt.randomBernoulli([n], 0.3, { seed: 6 }));
    expect(Math.abs(meanOf(v) - 0.3)).toBeLessThan(5 * Math.sqrt(0.21 / n));
  });
  it('categorical frequencies follow softmax(logits), per row', () => {
    const logits = vt.tensor([[0, Math.log(2), Math.log(7)], [5, -Infinity, 5]]);
    const s = vt.randomCategorical(logits, 100_000, { seed: 7 });
    expect(s.shape).toEqual([2, 100_000]);
    expect(s.dtype).toBe('int32');
    const v = values(s);
    const freq = (row: number, k: number) => v.slice(row * 100_000, (row + 1) * 100_000).filter((x) => x === k).length / 100_000;
    expect(freq(0, 0)).toBeCloseTo(0.1, 2);
    expect(freq(0, 2)).toBeCloseTo(0.7, 2);
    expect(freq(1, 1)).toBe(0);
    expect(freq(1, 0)).toBeCloseTo(0.5, 2);
    logits.dispose();
  });
  it('randomInt covers [low, high) uniformly; permutation is a permutation', () => {
    const v = values(vt.randomInt([60_000], -2, 4, { seed: 8 }));
    const se = Math.sqrt((1 / 6) * (5 / 6) / 60_000);
    for (let k = -2; k < 4; k++) expect(Math.abs(v.filter((x) => x === k).length / 60_000 - 1 / 6)).toBeLessThan(5 * se);
    const p = Array.from(vt.permutation(1000, { seed: 9 }));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
  it('every random op requires an explicit integer seed', () => {
    expect(() => vt.randomNormal([2], undefined as never)).toThrow(/randomNormal: argument 'options' must be an object with a 'seed', got undefined/);
    expect(() => vt.randomUniform([2], {} as never)).toThrow(/randomUniform: option 'seed' must be an integer in \[0, 2\^53\), got undefined/);
    expect(() => vt.randomGamma([2], 1, { seed: 1.5 })).toThrow(/randomGamma: option 'seed' .* got number 1.5/);
    expect(() => vt.permutation(3, { seed: -1 })).toThrow(/permutation: option 'seed'/);
  });
  it('parameter errors name the argument and the offending value', () => {
    expect(() => vt.randomGamma([3], [1, -1, 2], { seed: 1 })).toThrow(/randomGamma: argument 'alpha' must be finite and > 0, got -1 at index 1/);
    expect(() => vt.randomPoisson([2], [1, 2, 3], { seed: 1 })).toThrow(/randomPoisson: argument 'rate' of shape \[3\] cannot be broadcast to \[2\]/);
    expect(() => vt.randomNormal([-1], { seed: 1 })).toThrow(/randomNormal: argument 'shape' must be an array of non-negative integers/);
    expect(() => vt.randomUniform([2], { seed: 1, low: 2, high: 1 })).toThrow(/option 'high' must be > 'low'/);
  });
  it('random ops leak no tensors', () => {
    const before = vt.numTensors();
    for (let i = 0; i < 200; i++) {
      const alpha = vt.tensor([1, 2, 3, 4]);
      vt.randomGamma([4], alpha, { seed: i }).dispose();
      alpha.dispose();
      vt.randomCategorical([[0, 1]], 3, { seed: i }).dispose();
    }
    expect(vt.numTensors()).toBe(before + 0);
  });
});

describe('Prng.nextFloat32', () => {
  it('gives float32-exact values strictly inside (0, 1)', () => {
    const prng = new Prng(123);
    let bad = 0;
    for (let i = 0; i < 200_000; i++) {
      const u = prng.nextFloat32();
      if (!(Math.fround(u) === u && u > 0 && u < 1)) bad++;
    }
    expect(bad).toBe(0);
  });
});

describe('randomGumbel', () => {
  it('has the standard Gumbel mean (Euler γ) and variance π²/6, finite draws, and is seeded', () => {
    const g = vt.randomGumbel([200_000], { seed: 8 });
    const v = g.dataSync();
    expect(v.every(Number.isFinite)).toBe(true);
    const { mean, variance } = vt.moments(g);
    // SE of the mean: sqrt(1.645 / 2e5) ≈ 0.003; of the variance ≈ 1.645 · sqrt(4.4 / 2e5) ≈ 0.008.
    expect(Math.abs((mean.dataSync()[0] as number) - 0.5772157)).toBeLessThan(0.015);
    expect(Math.abs((variance.dataSync()[0] as number) - Math.PI ** 2 / 6)).toBeLessThan(0.04);
    expect(Array.from(vt.randomGumbel([4], { seed: 3 }).dataSync())).toEqual(Array.from(vt.randomGumbel([4], { seed: 3 }).dataSync()));
    expect(() => vt.randomGumbel([2], {} as never)).toThrow(/randomGumbel/);
    vt.dispose([g, mean, variance]);
  });
});
