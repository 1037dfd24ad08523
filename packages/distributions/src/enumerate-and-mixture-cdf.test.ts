import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { Bernoulli, Categorical, MixtureSameFamily, Normal, OneHotCategorical } from './index.js';

describe('enumerateSupport', () => {
  it('lists every outcome broadcast over the batch, and the probabilities sum to 1 over it', () => {
    t.tidy(() => {
      const b = new Bernoulli({ probs: [0.2, 0.7] });
      const bs = b.enumerateSupport();
      expect(bs.shape).toEqual([2, 2]);
      expect(Array.from(bs.dataSync())).toEqual([0, 0, 1, 1]);
      expect(Array.from(t.sum(t.exp(b.logProb(bs)), 0).dataSync()).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);

      const c = new Categorical({ logits: [[0, 1, 2], [2, 0, -1]] });
      const cs = c.enumerateSupport();
      expect(cs.shape).toEqual([3, 2]);
      expect(Array.from(cs.dataSync())).toEqual([0, 0, 1, 1, 2, 2]);
      expect(Array.from(t.sum(t.exp(c.logProb(cs)), 0).dataSync()).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);

      const o = new OneHotCategorical({ probs: [[0.1, 0.9], [0.5, 0.5], [1, 0]] });
      const os = o.enumerateSupport();
      expect(os.shape).toEqual([2, 3, 2]);
      expect(Array.from(t.sum(t.exp(o.logProb(os)), 0).dataSync()).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    });
  });
});

describe('MixtureSameFamily.cdf', () => {
  it('is the weighted sum of the component cdfs (values by scipy: 0.3 Φ((x+1)/0.5) + 0.7 Φ((x-2)/1.5))', () => {
    t.tidy(() => {
      const m = new MixtureSameFamily(new Categorical({ probs: [0.3, 0.7] }), new Normal([-1, 2], [0.5, 1.5]));
      // scipy: 0.3 * norm.cdf(x, -1, 0.5) + 0.7 * norm.cdf(x, 2, 1.5) at x = -2, 0, 2, 4
      const want = [0.00950631, 0.35702281, 0.65, 0.93615215];
      Array.from(m.cdf([-2, 0, 2, 4]).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 5));
    });
  });
});
