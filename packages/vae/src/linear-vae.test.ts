// The linear-Gaussian VAE of the derivations (tutorial eqs. 40-44), in float32 at fixed seeds:
//   z ~ N(0, 1),  x | z ~ N(w z, I) with w = (1, 2);  decoder p(x | z) = N(w z, I) (variance
//   fixed at 1), encoder q(z | x) = N(a·x, v) with a learned constant variance v.
// The optimum of the ELBO is the maximum-likelihood w of the data (probabilistic PCA with
// σ² = 1): w* = ±u₁ √(λ₁ - 1) for the top eigenpair of the second-moment matrix S, with the
// exact posterior a* = w*/(1 + |w*|²), v* = 1/(1 + |w*|²), and
//   ELBO* = mean log N(x; 0, C) = -log 2π - ½ log det C - ½ tr(C⁻¹ S),  C = w* w*ᵀ + I.
// In the population limit w* → (1, 2), a* → (1, 2)/6, v* → 1/6, ELBO* → -log 2π - ½ log 6 - 1.
// Tolerances: 0.02 against the data's analytic optimum (Adam noise at the end of training),
// 0.1 against the population values (n = 2000: the sampling error of w* is about 0.03).
// VITAE_REPORT=1 prints the learned and the analytic values.
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { VAE, gaussianLikelihood } from './index.js';

function linearGaussianData(n: number, seed: number): number[][] {
  const z = t.randomNormal([n], { seed }).dataSync();
  const e = t.randomNormal([n, 2], { seed: seed + 1 }).dataSync();
  return Array.from({ length: n }, (_, i) => [(z[i] as number) + (e[2 * i] as number), 2 * (z[i] as number) + (e[2 * i + 1] as number)]);
}

/** The data's analytic optimum, in float64. */
function analyticOptimum(x: number[][]): { w: [number, number]; a: [number, number]; v: number; elbo: number } {
  const n = x.length;
  let [s11, s12, s22] = [0, 0, 0];
  for (const [x1, x2] of x as Array<[number, number]>) {
    s11 += (x1 * x1) / n;
    s12 += (x1 * x2) / n;
    s22 += (x2 * x2) / n;
  }
  const tr = s11 + s22;
  const det = s11 * s22 - s12 * s12;
  const l1 = tr / 2 + Math.sqrt((tr * tr) / 4 - det);
  const u = [s12, l1 - s11];
  const norm = Math.hypot(u[0] as number, u[1] as number);
  const scale = Math.sqrt(l1 - 1) / norm;
  const w: [number, number] = [(u[0] as number) * scale, (u[1] as number) * scale];
  const ww = w[0] * w[0] + w[1] * w[1];
  // C = w wᵀ + I: det C = 1 + |w|², C⁻¹ = I - w wᵀ / (1 + |w|²).
  const trCinvS = tr - (w[0] * w[0] * s11 + 2 * w[0] * w[1] * s12 + w[1] * w[1] * s22) / (1 + ww);
  const elbo = -Math.log(2 * Math.PI) - 0.5 * Math.log(1 + ww) - 0.5 * trCinvS;
  return { w, a: [w[0] / (1 + ww), w[1] / (1 + ww)], v: 1 / (1 + ww), elbo };
}

describe('linear VAE on x ~ N([z, 2z], I)', () => {
  it('learns w = ±(1, 2), the exact posterior (x1 + 2 x2)/6 with variance 1/6, and the analytic ELBO', async () => {
    const data = linearGaussianData(2000, 7);
    const opt = analyticOptimum(data);
    const vae = new VAE(data, { nLatent: 1, nLayers: 0, bias: false, likelihood: gaussianLikelihood({ variance: 1 }), encoderVariance: 'shared', varEps: 0, seed: 3 });
    await vae.train({ epochs: 150, batchSize: 100, lr: 2e-2, validationFraction: 0, seed: 1 });
    await vae.train({ epochs: 50, batchSize: 500, lr: 2e-3, validationFraction: 0, seed: 2 });

    const state = vae.module.stateDict();
    const w = Array.from(state['decoder.heads.loc.weight']?.dataSync() ?? []); // [1, 2]
    const a = Array.from(state['encoder.z.meanEncoder.weight']?.dataSync() ?? []); // [2, 1]
    const v = Math.exp(state['encoder.z.var_raw']?.dataSync()[0] as number);
    t.dispose(Object.values(state));
    const sign = Math.sign(w[0] as number);
    // Against the data's analytic optimum.
    expect(Math.abs(sign * (w[0] as number) - Math.abs(opt.w[0]))).toBeLessThan(0.02);
    expect(Math.abs(sign * (w[1] as number) - Math.abs(opt.w[1]))).toBeLessThan(0.02);
    expect(Math.abs(sign * (a[0] as number) - Math.abs(opt.a[0]))).toBeLessThan(0.02);
    expect(Math.abs(sign * (a[1] as number) - Math.abs(opt.a[1]))).toBeLessThan(0.02);
    expect(Math.abs(v - opt.v)).toBeLessThan(0.02);
    const elbo = vae.getElbo({ nSamples: 64, seed: 5 });
    if (process.env.VITAE_REPORT) console.log({ w, a, v, elbo, opt });
    expect(Math.abs(elbo - opt.elbo)).toBeLessThan(0.02);
    // Against the population values of the derivation.
    expect(Math.abs(sign * (w[0] as number) - 1)).toBeLessThan(0.1);
    expect(Math.abs(sign * (w[1] as number) - 2)).toBeLessThan(0.1);
    expect(Math.abs(sign * (a[0] as number) - 1 / 6)).toBeLessThan(0.02);
    expect(Math.abs(sign * (a[1] as number) - 2 / 6)).toBeLessThan(0.02);
    expect(Math.abs(v - 1 / 6)).toBeLessThan(0.02);
    expect(Math.abs(elbo - (-Math.log(2 * Math.PI) - 0.5 * Math.log(6) - 1))).toBeLessThan(0.1);
    // At the exact posterior the IWAE bound equals the ELBO (the weights are constant).
    expect(Math.abs(vae.getMarginalLL({ nSamples: 16, seed: 6 }) - elbo)).toBeLessThan(0.02);
    vae.dispose();
  }, 120_000);
});
