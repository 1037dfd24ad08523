import { Independent, Normal, StudentTLike } from '../../test/test-models.js';
import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, elbo, iwae, reparameterize, reparameterizeNormal, scaleFromLogVar } from '../index.js';

import type { Tensor } from '@vitae/tensor';

// The conjugate model z ~ N(0, 1), x | z ~ N(z, s²) (per batch element) has everything in closed
// form: log p(x) = log N(x; 0, 1 + s²) and the posterior N(x / (1 + s²), s² / (1 + s²)). With the
// exact posterior every importance weight equals p(x), so ELBO = IWAE_K = log p(x) for every draw.
const S2 = 0.5;
const xs = [-1.3, 0.2, 2.1];
const logPx = xs.map((x) => -0.5 * Math.log(2 * Math.PI * (1 + S2)) - (x * x) / (2 * (1 + S2)));
const logLikelihood = (xT: Tensor) => (z: Tensor) => {
  const d = t.sub(xT, z); // [K, B]
  return t.sub(t.mul(t.square(d), -0.5 / S2), 0.5 * Math.log(2 * Math.PI * S2));
};

function exactPosterior(): Normal {
  return new Normal(xs.map((x) => x / (1 + S2)), Math.sqrt(S2 / (1 + S2)));
}

describe('elbo and iwae on the conjugate Gaussian model', () => {
  it('equal log p(x) exactly at the true posterior, for any K, analytic or Monte Carlo KL', () => {
    t.tidy(() => {
      const x = t.tensor(xs);
      const prior = new Normal(0, 1);
      // Monte Carlo KL on the same draws: log p(x|z) + log p(z) - log q(z) = log p(x) for every z.
      const mc = elbo({ posterior: exactPosterior(), prior, logLikelihood: logLikelihood(x), samples: 4, seed: 1, kl: 'mc' });
      expect(mc.analyticKl).toBe(false);
      Array.from(mc.elbo.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(logPx[i] as number, 4));
      // Analytic KL: only the reconstruction is estimated (SE ~ 0.005 with 20,000 draws).
      const an = elbo({ posterior: exactPosterior(), prior, logLikelihood: logLikelihood(x), samples: 20_000, seed: 1, kl: 'analytic' });
      expect(an.analyticKl).toBe(true);
      Array.from(an.elbo.dataSync()).forEach((v, i) => expect(Math.abs(v - (logPx[i] as number))).toBeLessThan(0.025));
      const w = iwae({ posterior: exactPosterior(), prior, logLikelihood: logLikelihood(x), samples: 16, seed: 2 });
      Array.from(w.bound.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(logPx[i] as number, 4));
      Array.from(w.weights.dataSync()).forEach((v) => expect(v).toBeCloseTo(1 / 16, 5));
    });
  });

  it('IWAE with K = 1 is the ELBO with the Monte Carlo KL (same seed, same draw)', () => {
    t.tidy(() => {
      const x = t.tensor(xs);
      const q = new Normal([0.3, -0.2, 1], [0.8, 1.1, 0.6]);
      const prior = new Normal(0, 1);
      const e = elbo({ posterior: q, prior, logLikelihood: logLikelihood(x), samples: 1, seed: 9, kl: 'mc' }).elbo.dataSync();
      const w = iwae({ posterior: q, prior, logLikelihood: logLikelihood(x), samples: 1, seed: 9 }).bound.dataSync();
      Array.from(e).forEach((v, i) => expect(v).toBeCloseTo(w[i] as number, 5));
    });
  });

  it('with a poor posterior: ELBO < IWAE_8 < IWAE_64 <= log p(x) (averaged over seeds)', () => {
    t.tidy(() => {
      const x = t.tensor(xs);
      const prior = new Normal(0, 1);
      const q = new Normal([0, 0, 0], 1);
      const avg = (f: (seed: number) => Tensor) => {
        let acc = t.zeros([3]);
        for (let s = 0; s < 200; s++) acc = t.add(acc, f(s));
        return Array.from(t.div(acc, 200).dataSync());
      };
      const e = avg((seed) => elbo({ posterior: q, prior, logLikelihood: logLikelihood(x), samples: 1, seed }).elbo);
      const i8 = avg((seed) => iwae({ posterior: q, prior, logLikelihood: logLikelihood(x), samples: 8, seed }).bound);
      const i64 = avg((seed) => iwae({ posterior: q, prior, logLikelihood: logLikelihood(x), samples: 64, seed }).bound);
      xs.forEach((_, i) => {
        expect(e[i] as number).toBeLessThan(i8[i] as number);
        expect(i8[i] as number).toBeLessThan(i64[i] as number);
        expect(i64[i] as number).toBeLessThanOrEqual((logPx[i] as number) + 1e-3);
      });
    });
  });

  it('the ELBO gradient vanishes at the exact posterior and ascends towards it elsewhere', () => {
    const locs = t.variable(t.tensor([0, 0, 0]));
    const rawScale = t.variable(t.zeros([3]));
    const x = t.tensor(xs);
    const prior = new Normal(0, 1);
    const opt = new Adam([locs, rawScale], { lr: 0.05 });
    for (let step = 0; step < 600; step++) {
      if (step === 300) opt.lr = 0.005; // settle the Monte Carlo noise
      const { value, grads } = t.variableGrads(() => {
        const q = new Normal(locs, t.softplus(rawScale));
        return elbo({ posterior: q, prior, logLikelihood: logLikelihood(x), samples: 8, seed: step }).loss as never;
      }, [locs, rawScale]);
      opt.step(grads);
      t.dispose([value, ...Object.values(grads)]);
    }
    const fitted = Array.from(locs.dataSync());
    xs.forEach((xi, i) => expect(Math.abs((fitted[i] as number) - xi / (1 + S2))).toBeLessThan(0.05));
    const scale = Array.from(t.softplus(rawScale).dataSync());
    scale.forEach((s) => expect(Math.abs(s - Math.sqrt(S2 / (1 + S2)))).toBeLessThan(0.05));
    t.dispose([locs, rawScale, x]);
    prior.dispose();
    opt.dispose();
  });

  it('splits reconstruction and KL, weights the KL in the loss only, and handles vector latents', () => {
    t.tidy(() => {
      // z ∈ R², x | z ~ N(z₁ + z₂, 1): Independent posterior and prior.
      const q = new Independent(new Normal([[0.1, 0.2], [0.3, -0.4]], [[0.5, 0.6], [0.7, 0.8]]), 1);
      const prior = new Independent(new Normal(t.zeros([2]), t.ones([2])), 1);
      const x = t.tensor([0.5, -1]);
      const ll = (z: Tensor) => t.mul(t.square(t.sub(x, t.sum(z, -1))), -0.5);
      const r = elbo({ posterior: q, prior, logLikelihood: ll, samples: 3, seed: 5, klWeight: 0.25 });
      expect(r.elbo.shape).toEqual([2]);
      const rec = Array.from(r.reconstruction.dataSync());
      const kl = Array.from(r.kl.dataSync());
      Array.from(r.elbo.dataSync()).forEach((v, i) => expect(v).toBeCloseTo((rec[i] as number) - (kl[i] as number), 5));
      const expectedLoss = -((rec[0] as number) + (rec[1] as number) - 0.25 * ((kl[0] as number) + (kl[1] as number))) / 2;
      expect(r.loss.dataSync()[0] as number).toBeCloseTo(expectedLoss, 5);
      // KL(N(m, s) || N(0, 1)) summed over the two dims, the VAE formula.
      const m = [[0.1, 0.2], [0.3, -0.4]];
      const s = [[0.5, 0.6], [0.7, 0.8]];
      m.forEach((row, b) => {
        const want = -0.5 * row.reduce((acc, mi, j) => acc + 1 + Math.log((s[b]?.[j] as number) ** 2) - mi * mi - (s[b]?.[j] as number) ** 2, 0);
        expect(kl[b] as number).toBeCloseTo(want, 5);
      });
    });
  });

  it('uses a Monte Carlo KL automatically when no closed form is registered', () => {
    t.tidy(() => {
      const q = new Normal([0.1, -0.2], 1);
      const prior = new StudentTLike();
      const r = elbo({ posterior: q, prior, logLikelihood: (z) => t.zeros(z.shape), samples: 2, seed: 3 });
      expect(r.analyticKl).toBe(false);
      expect(() => elbo({ posterior: q, prior, logLikelihood: (z) => t.zeros(z.shape), seed: 3, kl: 'analytic' })).toThrow(
        /elbo: option kl = 'analytic' but no closed form is registered for KL\(Normal \|\| StudentTLike\)/,
      );
    });
  });

  it('checks its arguments and frees every intermediate', () => {
    const q = new Normal([0, 0], 1);
    const prior = new Normal(0, 1);
    const ll = (z: Tensor) => t.mul(z, 0);
    expect(() => elbo({ posterior: {} as never, prior, logLikelihood: ll, seed: 1 })).toThrow(/elbo: option 'posterior' must be a Distribution/);
    expect(() => elbo({ posterior: q, prior, logLikelihood: ll, seed: 1, samples: 0 })).toThrow(/elbo: argument 'samples' must be an integer >= 1, got 0/);
    expect(() => elbo({ posterior: q, prior, logLikelihood: (z) => t.sum(z), seed: 1 })).toThrow(/elbo: option 'logLikelihood' must return a Tensor of shape \[1, 2\]/);
    expect(() => iwae({ posterior: q, prior, logLikelihood: ll, seed: 1, samples: 1.5 })).toThrow(/iwae: argument 'samples' must be an integer >= 1/);
    expect(() => reparameterizeNormal([0, 0, 0], [1, 1], { seed: 1 })).toThrow(/reparameterizeNormal: the shapes of 'loc' \[3\] and 'scale' \[2\] do not broadcast/);
    const before = t.numTensors();
    for (let i = 0; i < 200; i++) {
      const r = elbo({ posterior: q, prior, logLikelihood: ll, seed: i, samples: 2 });
      const w = iwae({ posterior: q, prior, logLikelihood: ll, seed: i, samples: 2 });
      t.dispose([r.elbo, r.reconstruction, r.kl, r.loss, w.bound, w.loss, w.weights]);
    }
    expect(t.numTensors()).toBe(before);
    q.dispose();
    prior.dispose();
  });
});

describe('reparameterization helpers', () => {
  it('reparameterizeNormal draws loc + scale · ε and differentiates through both', () => {
    t.tidy(() => {
      const z = reparameterizeNormal([1, 2], [0.5, 0.1], { seed: 4, samples: 20_000 });
      expect(z.shape).toEqual([20_000, 2]);
      const { mean, variance } = t.moments(z, 0);
      const m = Array.from(mean.dataSync());
      const v = Array.from(variance.dataSync());
      expect(Math.abs((m[0] as number) - 1)).toBeLessThan(0.02);
      expect(Math.abs((v[1] as number) - 0.01)).toBeLessThan(0.0006);
      const g = t.grad((loc: Tensor) => t.sum(reparameterizeNormal(loc, 1, { seed: 1 })))(t.tensor([0, 0]));
      expect(Array.from(g.dataSync())).toEqual([1, 1]);
      expect(scaleFromLogVar([0, Math.log(4)]).dataSync()[1] as number).toBeCloseTo(2, 5);
    });
  });

  it('reparameterize names the family when it has no rsample', async () => {
    const { Poisson } = await import('@vitae/distributions');
    expect(() => reparameterize(new Poisson(1), { seed: 1 })).toThrow(/reparameterize: Poisson has no reparameterized sampler/);
  });
});
