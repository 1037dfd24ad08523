import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { Beta, Dirichlet, Gamma, LogNormal, Normal, RelaxedOneHotCategorical } from './index.js';

import type { Tensor } from '@vitae/tensor';

// d/dθ E[f(x)] estimated by differentiating the Monte Carlo mean of f(rsample) against the
// analytic derivative. N draws at a fixed seed; the tolerance (relative, with a small absolute
// floor) is about 5 standard errors of the estimate for these parameters.
const N = 60_000;

/** Gradients of mean(f(x)) over N reparameterized draws with respect to each parameter. */
function pathwiseGrads(params: number[][], make: (...p: Tensor[]) => { rsample: (s: number[], o: { seed: number }) => Tensor; dispose: () => void }, f: (x: Tensor) => Tensor, seed = 7): number[][] {
  const tensors = params.map((p) => t.tensor(p));
  const g = t.grads((...ps: Tensor[]) => {
    const d = make(...ps);
    const value = t.mean(f(d.rsample([N], { seed })), 0);
    const total = t.sum(value);
    d.dispose();
    return total;
  });
  const out = g(tensors).map((x) => Array.from(x.dataSync()));
  t.dispose(tensors);
  return out;
}

function expectClose(actual: number[], expected: number[], rel: number, abs = 1e-3): void {
  expected.forEach((e, i) => expect(Math.abs((actual[i] as number) - e)).toBeLessThanOrEqual(rel * Math.abs(e) + abs));
}

describe('pathwise gradients of rsample match analytic derivatives of E[f(x)]', () => {
  it('Normal: E[x] = loc, E[x²] = loc² + scale²', () => {
    const loc = [0.5, -1.2];
    const scale = [0.3, 2];
    const [dLoc, dScale] = pathwiseGrads([loc, scale], (l, s) => new Normal(l as Tensor, s as Tensor), (x) => x);
    expectClose(dLoc as number[], [1, 1], 1e-6);
    expectClose(dScale as number[], [0, 0], 0, 0.03);
    const [dLoc2, dScale2] = pathwiseGrads([loc, scale], (l, s) => new Normal(l as Tensor, s as Tensor), t.square);
    expectClose(dLoc2 as number[], loc.map((m) => 2 * m), 0.03, 0.02);
    expectClose(dScale2 as number[], scale.map((s) => 2 * s), 0.03, 0.02);
  });

  it('LogNormal: E[x] = exp(loc + scale²/2)', () => {
    const loc = [0.1, -0.5];
    const scale = [0.2, 0.6];
    const [dLoc, dScale] = pathwiseGrads([loc, scale], (l, s) => new LogNormal(l as Tensor, s as Tensor), (x) => x);
    const m = loc.map((l, i) => Math.exp(l + (scale[i] as number) ** 2 / 2));
    expectClose(dLoc as number[], m, 0.02);
    expectClose(dScale as number[], m.map((v, i) => v * (scale[i] as number)), 0.04, 0.01);
  });

  it('Gamma (implicit reparameterization): E[x] = α/β, E[x²] = α(α+1)/β²', () => {
    const alpha = [0.3, 1, 4.5, 30];
    const beta = [1, 2, 0.5, 3];
    const [dA, dB] = pathwiseGrads([alpha, beta], (a, b) => new Gamma(a as Tensor, b as Tensor), (x) => x);
    expectClose(dA as number[], beta.map((b) => 1 / b), 0.03);
    expectClose(dB as number[], alpha.map((a, i) => -a / (beta[i] as number) ** 2), 0.03, 0.01);
    const [dA2] = pathwiseGrads([alpha, beta], (a, b) => new Gamma(a as Tensor, b as Tensor), t.square);
    expectClose(dA2 as number[], alpha.map((a, i) => (2 * a + 1) / (beta[i] as number) ** 2), 0.05, 0.01);
  });

  it('Beta: E[x] = a / (a + b)', () => {
    const a = [0.5, 2, 8];
    const b = [1.5, 2, 0.7];
    const [dA, dB] = pathwiseGrads([a, b], (p, q) => new Beta(p as Tensor, q as Tensor), (x) => x);
    expectClose(dA as number[], a.map((v, i) => (b[i] as number) / (v + (b[i] as number)) ** 2), 0.04, 2e-3);
    expectClose(dB as number[], a.map((v, i) => -v / (v + (b[i] as number)) ** 2), 0.04, 2e-3);
  });

  it('Dirichlet: E[w·x] = Σ w_k α_k / α₀ (veloVI prior shape 0.25 included)', () => {
    for (const alpha of [[0.25, 0.25, 0.25, 0.25], [2, 0.5, 1, 6]]) {
      const w = [1, -2, 0.5, 3];
      const weights = t.tensor(w);
      const [dAlpha] = pathwiseGrads([alpha], (a) => new Dirichlet(a as Tensor), (x) => t.sum(t.mul(x, weights), -1));
      const a0 = alpha.reduce((s, v) => s + v, 0);
      const mean = alpha.reduce((s, v, i) => s + (w[i] as number) * v, 0) / a0;
      // d/dα_j Σ w_k α_k / α₀ = (w_j - Σ w_k α_k / α₀) / α₀
      expectClose(dAlpha as number[], w.map((wj) => (wj - mean) / a0), 0.05, 0.01);
      weights.dispose();
    }
  });

  it('Dirichlet: the draws and their gradient are those of tfjs ops composed on the same gammas (g / Σ g)', () => {
    const alpha = t.tensor([[0.25, 0.25, 0.25, 0.25], [2, 0.5, 1, 6], [1e-3, 40, 0.7, 3]]);
    const weights = t.tensor([[1, -2, 0.5, 3], [0.1, 4, -1, 2], [-3, 1, 1, 0.5]]);
    const before = t.memory().numTensors;
    const f = (x: Tensor) => t.sum(t.mul(t.square(x), weights));
    const [fused, fusedGrad] = t.tidy(() => {
      const { value, grads } = t.valueAndGrads((a: Tensor) => f(new Dirichlet(a, { validateArgs: false }).rsample([], { seed: 5 })))([alpha]);
      return [value.dataSync()[0] as number, Array.from((grads[0] as Tensor).dataSync())];
    });
    const [composed, composedGrad] = t.tidy(() => {
      const { value, grads } = t.valueAndGrads((a: Tensor) => {
        const g = t.randomGamma([3, 4], a, { seed: 5 });
        return f(t.div(g, t.sum(g, -1, true)));
      })([alpha]);
      return [value.dataSync()[0] as number, Array.from((grads[0] as Tensor).dataSync())];
    });
    expect(t.memory().numTensors).toBe(before);
    // the fused kernel sums and divides in float64: the value within float32 rounding of the ops'
    expectClose([fused], [composed], 1e-6, 0);
    expectClose(fusedGrad, composedGrad, 1e-5, 1e-7);
    t.dispose([alpha, weights]);
  });

  it('RelaxedOneHotCategorical (Concrete), K = 2: d/dlogit E[y₁] against quadrature over the logistic noise', () => {
    // y₁ = σ((Δ + L) / τ) with Δ = l₁ - l₂ and L = g₁ - g₂ ~ Logistic(0, 1), so
    // d/dl₁ E[y₁] = ∫ σ'((Δ + L) / τ) / τ · p(L) dL (and the l₂ derivative is its negative).
    for (const tau of [0.5, 1.5]) {
      const logits = [0.8, -0.3];
      const delta = (logits[0] as number) - (logits[1] as number);
      const sigma = (z: number) => 1 / (1 + Math.exp(-z));
      let integral = 0;
      const h = 1e-3;
      for (let l = -40; l <= 40; l += h) {
        const s = sigma((delta + l) / tau);
        const pl = sigma(l) * (1 - sigma(l));
        integral += ((s * (1 - s)) / tau) * pl * h;
      }
      const temperature = t.scalar(tau);
      const [dLogits] = pathwiseGrads([logits], (l) => new RelaxedOneHotCategorical({ temperature, logits: l as Tensor }), (y) => t.slice(y, [0, 0], [-1, 1]));
      expectClose(dLogits as number[], [integral, -integral], 0.03, 2e-3);
      temperature.dispose();
    }
  });
});
