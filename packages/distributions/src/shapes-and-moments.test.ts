import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { zoo } from '../test/zoo.js';

// Sample moments at a fixed seed against the closed-form mean and variance. With n draws the
// standard error of the sample mean is sd / √n; of the sample variance about
// var · √((kurtosis - 1) / n). The tolerances below allow 5 such errors for n = 40,000 plus the
// heavier tails of the skewed families (Gamma 0.3, Poisson 0.1, NB theta 0.7, ZINB).
const N = 40_000;

describe.each(zoo)('$name', ({ make, eventShape }) => {
  it('samples have shape sampleShape ++ batchShape ++ eventShape, also after expand', () => {
    const d = make();
    expect(d.batchShape).toEqual([2, 3]);
    expect(d.eventShape).toEqual(eventShape);
    const x = d.sample([4, 5], { seed: 1 });
    expect(x.shape).toEqual([4, 5, 2, 3, ...eventShape]);
    const lp = d.logProb(x);
    expect(lp.shape).toEqual([4, 5, 2, 3]);
    expect(Array.from(lp.dataSync()).every((v) => Number.isFinite(v))).toBe(true);
    const one = d.sample({ seed: 2 });
    expect(one.shape).toEqual([2, 3, ...eventShape]);
    const e = d.expand([7, 2, 3]);
    expect(e.batchShape).toEqual([7, 2, 3]);
    const xe = e.sample([2], { seed: 3 });
    expect(xe.shape).toEqual([2, 7, 2, 3, ...eventShape]);
    expect(e.logProb(xe).shape).toEqual([2, 7, 2, 3]);
    t.dispose([x, lp, one, xe]);
    e.dispose();
    d.dispose();
  });

  it('the same seed gives the same sample', () => {
    const d = make();
    const a = d.sample([3], { seed: 11 });
    const b = d.sample([3], { seed: 11 });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    t.dispose([a, b]);
    d.dispose();
  });
});

describe.each(zoo.filter((z) => z.moments))('$name sample moments', ({ make }) => {
  it(`match mean and variance within Monte Carlo error (n = ${N})`, () => {
    const d = make();
    const x = d.sample([N], { seed: 2024 });
    const sampleMean = t.mean(x, 0);
    const sampleVar = t.mean(t.square(t.sub(x, sampleMean)), 0);
    const mean = d.mean.dataSync();
    const variance = d.variance.dataSync();
    const m = sampleMean.dataSync();
    const v = sampleVar.dataSync();
    for (let i = 0; i < mean.length; i++) {
      const sd = Math.sqrt(variance[i] as number);
      expect(Math.abs((m[i] as number) - (mean[i] as number))).toBeLessThanOrEqual((6 * sd) / Math.sqrt(N) + 1e-6);
      expect(Math.abs((v[i] as number) - (variance[i] as number))).toBeLessThanOrEqual(0.06 * (variance[i] as number) + 1e-6);
    }
    t.dispose([x, sampleMean, sampleVar]);
    d.dispose();
  });
});
