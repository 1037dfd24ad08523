import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { ContinuousBernoulli } from '../index.js';

import type { Tensor } from '@vitae/tensor';

// Values against mpmath are in reference-values.test.ts (fixture ContinuousBernoulli/*); these
// check the gradients, the sampler and the errors. Float64 references in JavaScript:
const LIMIT = Math.log((1 - 2 ** -23) / 2 ** -23); // the clamp of the logits (torch's clamp_probs)
const clamp = (l: number) => Math.max(-LIMIT, Math.min(LIMIT, l));
/** Var[x] = (1/a² − 1/sinh² a) / 4 with a = l/2, which is also dE[x]/dl (an exponential family). */
const variance = (l: number) => (l === 0 ? 1 / 12 : (4 / l ** 2 - 1 / Math.sinh(l / 2) ** 2) / 4);
const logNorm = (l: number) => (l === 0 ? Math.LN2 : Math.log(l / Math.tanh(l / 2)));
const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
const logProb = (l: number, x: number) => x * l - softplus(l) + logNorm(clamp(l));

describe('ContinuousBernoulli', () => {
  const logits = [-3, -0.4, 0, 1e-3, 0.3, 2, 20];

  it('logProb has the gradient x − sigmoid(l) + d log C / dl (zero past the clamp)', () => {
    const x = [0.1, 0.9, 0.5, 0, 1, 0.7, 0.2];
    const before = t.numTensors();
    const g = t.tidy(() => Array.from(t.grad((l: Tensor) => t.sum(new ContinuousBernoulli({ logits: l }).logProb(x)))(t.tensor(logits)).dataSync()));
    logits.forEach((l, i) => {
      const h = 1e-5;
      const want = (logProb(l + h, x[i]!) - logProb(l - h, x[i]!)) / (2 * h);
      expect(Math.abs(g[i]! - want), `l = ${l}: got ${g[i]}, want ${want}`).toBeLessThan(2e-6 + 1e-5 * Math.abs(want));
    });
    expect(t.numTensors()).toBe(before);
  });

  it('rsample is pathwise: d/dl of the mean of the draws is Var[x] (= dE[x]/dl)', () => {
    const n = 40_000;
    const g = t.tidy(() => {
      const f = (l: Tensor) => t.sum(t.mean(new ContinuousBernoulli({ logits: t.broadcastTo(l, [n, logits.length]) }).rsample([], { seed: 3 }), 0));
      return Array.from(t.grad(f)(t.tensor(logits)).dataSync());
    });
    logits.forEach((l, i) => {
      const want = Math.abs(l) > LIMIT ? 0 : variance(l);
      expect(Math.abs(g[i]! - want), `l = ${l}: got ${g[i]}, want ${want}`).toBeLessThan(0.03 * want + 1e-4);
    });
  });

  it('draws lie in [0, 1] with the distribution mean', () => {
    const n = 50_000;
    const [means, lo, hi] = t.tidy(() => {
      const d = new ContinuousBernoulli({ logits: [-6, 0, 0.5, 25] });
      const x = d.sample([n], { seed: 11 });
      return [Array.from(t.mean(x, 0).dataSync()), t.min(x).dataSync()[0]!, t.max(x).dataSync()[0]!, Array.from(d.mean.dataSync())] as const;
    });
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    const exact = t.tidy(() => Array.from(new ContinuousBernoulli({ logits: [-6, 0, 0.5, 25] }).mean.dataSync()));
    means.forEach((m, i) => expect(Math.abs(m - exact[i]!)).toBeLessThan(5e-3));
  });

  it('rejects bad arguments with the argument, the constraint and the value', () => {
    expect(() => new ContinuousBernoulli({ probs: [0.2, 1.5] })).toThrow(/ContinuousBernoulli: argument 'probs' must be in \[0, 1\].*got 1.5 at index 1/);
    expect(() => new ContinuousBernoulli({ logits: [0, Number.NaN] })).toThrow(/ContinuousBernoulli: argument 'logits' must be a real number/);
    expect(() => new ContinuousBernoulli({ logits: 0, probs: 0.5 } as never)).toThrow(/pass exactly one of 'logits' or 'probs', got both/);
    const d = new ContinuousBernoulli({ logits: [0.5] });
    expect(() => d.logProb([1.2])).toThrow(/must be in \[0, 1\]/);
    expect(() => d.icdf([-0.1])).toThrow(/ContinuousBernoulli.icdf: argument 'value' must be in \[0, 1\] \(constraint interval\(0, 1\)\), got -0\.1\d* at index 0/);
    d.dispose();
  });
});
