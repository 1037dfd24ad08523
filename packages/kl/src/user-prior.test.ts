import { Normal } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { registerStudentTPrior, StudentT } from '../examples/student-t-prior.js';
// Imported by package name, exactly as the example (user code outside vitae) imports it: the
// built package, so one registry is shared (turbo builds before testing).
import { klDivergence } from '@vitae/kl';

// The documented example of a prior defined outside vitae (examples/student-t-prior.ts).
let unregister: (() => void) | null = null;
afterEach(() => {
  unregister?.();
  unregister = null;
});

describe('a user-defined Student-t prior', () => {
  it('is a working distribution: logProb against scipy.stats.t, sample moments', () => {
    // scipy.stats.t(df=3, loc=0.5, scale=2).logpdf([-1, 0.5, 4])
    const d = new StudentT(3, 0.5, 2);
    const lp = Array.from(d.logProb([-1, 0.5, 4]).dataSync());
    [-2.0377365, -1.694036, -3.101056].forEach((w, i) => expect(lp[i] as number).toBeCloseTo(w, 4));
    const x = d.sample([50_000], { seed: 1 });
    expect(Math.abs((t.mean(x).dataSync()[0] as number) - 0.5)).toBeLessThan(0.05);
    d.dispose();
    x.dispose();
  });

  it('without registration: a clear error, or the Monte Carlo fallback on request', () => {
    const q = new Normal([0.3, -1], [0.8, 1.5]);
    const prior = new StudentT(3, 0, 1);
    expect(() => klDivergence(q, prior)).toThrow(/no closed form is registered for KL\(Normal \|\| StudentT\)/);
    const mc = klDivergence(q, prior, { fallback: 'mc', samples: 100_000, seed: 1 });
    expect(mc.shape).toEqual([2]);
    unregister = registerStudentTPrior();
    const quadrature = klDivergence(q, prior);
    // The registered quadrature and the MC estimate agree within MC error (SE ~ 0.003 here).
    const a = Array.from(quadrature.dataSync());
    const b = Array.from(mc.dataSync());
    a.forEach((v, i) => expect(Math.abs(v - (b[i] as number))).toBeLessThan(0.015));
    // Against scipy: KL(N(0.3, 0.8) || t3) = 0.1846969, KL(N(-1, 1.5) || t3) = 0.3154008 (scipy quad).
    expect(a[0] as number).toBeCloseTo(0.1846969, 4);
    expect(a[1] as number).toBeCloseTo(0.3154008, 4);
  });

  it('gives gradients through the registered closed form (a learnable posterior against the prior)', () => {
    unregister = registerStudentTPrior();
    const prior = new StudentT(3, 0, 1);
    const loc = t.variable(t.scalar(1.5));
    const rawScale = t.variable(t.scalar(0));
    const opt = t.train.adam(0.05);
    for (let i = 0; i < 300; i++) {
      opt.minimize(() => klDivergence(new Normal(loc, t.softplus(rawScale)), prior) as never);
    }
    // The KL-closest Gaussian to a centred t3 is centred.
    expect(Math.abs(loc.dataSync()[0] as number)).toBeLessThan(0.02);
    opt.dispose();
  });
});
