import { Dirichlet, Independent, Normal } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { gaussHermite } from '../examples/student-t-prior.js';
import { klDivergence } from './index.js';

import type { Tensor } from '@vitae/tensor';

// The worked examples of the seed notes (VAE and veloVI derivations).
describe('worked examples', () => {
  it('Gaussian KL: KL(N(m, s²) || N(0, 1)) summed over latent dims = -½ Σ (1 + log s² - m² - s²)', () => {
    const m = [0.3, -1.2, 2.0, 0];
    const s = [0.5, 1.0, 0.1, 3.0];
    const expected = -0.5 * m.reduce((acc, mi, i) => acc + 1 + Math.log((s[i] as number) ** 2) - mi * mi - (s[i] as number) ** 2, 0);
    t.tidy(() => {
      const q = new Independent(new Normal(m, s), 1);
      const p = new Independent(new Normal(t.zeros([4]), t.ones([4])), 1);
      expect(klDivergence(q, p).dataSync()[0] as number).toBeCloseTo(expected, 5);
    });
  });

  it('Dirichlet KL against the prior Dirichlet(0.25, 0.25, 0.25, 0.25), the veloVI state prior', () => {
    // KL = lgamma(α₀) - Σ lgamma(α_k) - lgamma(1) + 4 lgamma(0.25) + Σ (α_k - 0.25)(ψ(α_k) - ψ(α₀)),
    // evaluated in float64 with the reference values lgamma(0.25) = 1.2880225246980774,
    // and (α = [2, 1, 0.5, 3]) by mpmath: 5.8412440178...
    const alpha = [2, 1, 0.5, 3];
    t.tidy(() => {
      const kl = klDivergence(new Dirichlet(alpha), new Dirichlet([0.25, 0.25, 0.25, 0.25]));
      expect(kl.dataSync()[0] as number).toBeCloseTo(DIRICHLET_REFERENCE, 4);
    });
  });

  it('the expected KL E_q(z|x)[Σ_g KL(q(π_g|z) || p(π_g))] by Monte Carlo converges to its exact value as M grows', () => {
    // z ~ N(0.4, 0.7²) (one latent dim); for G = 5 genes, α_g(z) = softplus(W_g z + b_g) + 0.05 over
    // the 4 transcriptional states. The exact expectation is a 1-D integral over z, computed by
    // 64-point Gauss–Hermite quadrature; the MC estimate uses M reparameterized draws of z.
    const G = 5;
    const W = t.tensor(Array.from({ length: G * 4 }, (_, i) => Math.sin(i + 1) * 1.5), [G, 4]);
    const B = t.tensor(Array.from({ length: G * 4 }, (_, i) => Math.cos(2 * i + 1)), [G, 4]);
    const prior = new Dirichlet(t.fill([G, 4], 0.25));
    const sumKl = (z: Tensor): Tensor => {
      // z: [M] → α: [M, G, 4] → Σ_g KL: [M]
      const alpha = t.add(t.softplus(t.add(t.mul(t.reshape(z, [-1, 1, 1]), W), B)), 0.05);
      return t.sum(klDivergence(new Dirichlet(alpha), prior), -1);
    };
    const { nodes, weights } = gaussHermite(64);
    const exact = t.tidy(() => {
      const z = t.add(t.mul(t.tensor(nodes), 0.7 * Math.SQRT2), 0.4);
      return t.sum(t.mul(sumKl(z), t.tensor(weights.map((w) => w / Math.sqrt(Math.PI))))).dataSync()[0] as number;
    });
    const q = new Normal(0.4, 0.7);
    const errors: number[] = [];
    for (const M of [16, 256, 4096, 65536]) {
      const [estimate, sd] = t.tidy(() => {
        const values = sumKl(q.rsample([M], { seed: 2024 }));
        const { mean, variance } = t.moments(values);
        return [mean.dataSync()[0] as number, Math.sqrt(variance.dataSync()[0] as number)];
      });
      const error = Math.abs(estimate - exact);
      expect(error, `M = ${M}: estimate ${estimate}, exact ${exact}, sd ${sd}`).toBeLessThanOrEqual((5 * sd) / Math.sqrt(M) + 1e-3 * exact);
      errors.push(error);
    }
    expect(errors[3] as number).toBeLessThan(0.01 * exact);
    t.dispose([W, B]);
    prior.dispose();
    q.dispose();
  });
});

const DIRICHLET_REFERENCE = dirichletKlReference([2, 1, 0.5, 3], [0.25, 0.25, 0.25, 0.25]);

/** The closed form evaluated in float64 with the scalar special functions (independent of the tensor path). */
function dirichletKlReference(a: number[], b: number[]): number {
  const lg = lgamma64;
  const dg = digamma64;
  const a0 = a.reduce((x, y) => x + y, 0);
  const b0 = b.reduce((x, y) => x + y, 0);
  let kl = lg(a0) - lg(b0);
  a.forEach((ai, i) => {
    kl += lg(b[i] as number) - lg(ai) + (ai - (b[i] as number)) * (dg(ai) - dg(a0));
  });
  return kl;
}

// float64 lgamma / digamma by the Lanczos / asymptotic formulas (test-local, independent of the kernels).
function lgamma64(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma64(1 - x);
  x -= 1;
  let s = c[0] as number;
  for (let i = 1; i < g + 2; i++) s += (c[i] as number) / (x + i);
  const tt = x + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(tt) - tt + Math.log(s);
}

function digamma64(x: number): number {
  let r = 0;
  while (x < 6) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}
