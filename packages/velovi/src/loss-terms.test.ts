// The terms of velovi's loss on one minibatch against values computed here by hand, in float64
// from the closed forms: the switch penalty and its weight 0.2 · (1 − klWeight), KL(q(z) ‖ N(0, I)),
// KL(Dir(π_α) ‖ Dir(0.25, …)), the mixture likelihood with the 0.1 σ repression-steady component,
// and how klWeight enters.
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { VELOVIModule, disposeGenerative, disposeInference, softplusInverse } from './index.js';

// --- float64 special functions, written out for the hand computation ---------------------------

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** log Γ(x), x > 0 (Lanczos, g = 7; about 1e-15 relative). */
function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const g = 7;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  const tt = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(tt) - tt + Math.log(a);
}

/** ψ(x), x > 0: recurrence up to x >= 10, then the asymptotic series. */
function digamma(x: number): number {
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

function klDirichlet(a: number[], b: number[]): number {
  const a0 = a.reduce((s, v) => s + v, 0);
  const b0 = b.reduce((s, v) => s + v, 0);
  let kl = lgamma(a0) - lgamma(b0);
  a.forEach((ak, k) => {
    kl += lgamma(b[k] as number) - lgamma(ak) + (ak - (b[k] as number)) * (digamma(ak) - digamma(a0));
  });
  return kl;
}

function normalLogPdf(x: number, mean: number, sd: number): number {
  return -0.5 * ((x - mean) / sd) ** 2 - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
}

const setParam = (v: t.Variable, xs: number[]) => t.tidy(() => v.assign(t.tensor(xs, v.shape)));

describe('loss terms by hand', () => {
  it('the special functions here are right (sanity)', () => {
    expect(lgamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lgamma(0.25)).toBeCloseTo(1.2880225246980774, 12);
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12);
    expect(digamma(0.25)).toBeCloseTo(-Math.PI / 2 - 3 * Math.LN2 - 0.5772156649015329, 11); // ψ(1/4) = −γ − π/2 − 3 ln 2
  });

  it('switch penalty: u0 = α/β = 8.5 against a target 0.85 (and s0 = α/γ = 17 against 1.7): (8.5 − 0.85)² + (17 − 1.7)² = 292.6125, weighted 0.2 · (1 − klWeight)', () => {
    // One gene; a long time axis so that the switch is at steady state: u0 = α/β (1 − e^{−βt_s}) ≈ α/β.
    const module = new VELOVIModule({ nInput: 1, nHidden: 4, nLatent: 2, tMax: 1000, switchUnspliced: [0.85], switchSpliced: [1.7], seed: 3 });
    setParam(module.alphaUnconstr, [softplusInverse(0.85)]);
    setParam(module.betaMeanUnconstr, [softplusInverse(0.1)]);
    setParam(module.gammaMeanUnconstr, [softplusInverse(0.05)]);
    setParam(module.switchTimeUnconstr, [900]); // softplus(900) = 900 < t_max
    module.eval();
    const s = t.tensor2d([[0.5], [1.2], [0.1]]);
    const u = t.tensor2d([[0.3], [0.9], [0.05]]);
    const noise = t.tensor2d([[0.3, -1.1], [0.8, 0.2], [-0.4, 1.5]]);
    const pi = t.tensor3d([[[0.4, 0.3, 0.2, 0.1]], [[0.1, 0.6, 0.2, 0.1]], [[0.25, 0.25, 0.25, 0.25]]]);
    const want = (8.5 - 0.85) ** 2 + (17 - 1.7) ** 2;
    expect(want).toBeCloseTo(292.6125, 10);
    for (const klWeight of [0, 0.37, 1]) {
      const out = module.loss(s, u, { noise, pi, klWeight });
      const penalty = out.endPenalty.dataSync()[0] as number;
      expect(penalty).toBeCloseTo(want, 2); // float32: about 1e-5 relative
      const [rec, klZ, klPi] = [out.reconstruction, out.klLocal.z, out.klLocal.pi].map((x) => Array.from(x.dataSync()));
      const local = (rec as number[]).reduce((acc, r, i) => acc + r + klWeight * (klZ as number[])[i]! + (klPi as number[])[i]!, 0) / 3;
      const loss = out.loss.dataSync()[0] as number;
      expect(loss).toBeCloseTo(local + 0.2 * (1 - klWeight) * want, 2);
      t.dispose([out.loss, out.reconstruction, out.klLocal.z, out.klLocal.pi, out.endPenalty, out.klGlobal]);
    }
    t.dispose([s, u, noise, pi]);
    module.dispose();
  });

  it('one minibatch: KL(z), KL(π), −log p(u), −log p(s) and the loss against float64 sums from the module outputs', () => {
    const G = 3;
    const module = new VELOVIModule({ nInput: G, nHidden: 6, nLatent: 2, switchUnspliced: [0.6, 0.9, 0.4], switchSpliced: [0.7, 0.5, 0.8], seed: 11 });
    const rates = { alpha: [0.85, 1.4, 0.5], beta: [0.1, 0.9, 0.6], gamma: [0.05, 0.3, 0.8] };
    setParam(module.alphaUnconstr, rates.alpha.map(softplusInverse));
    setParam(module.betaMeanUnconstr, rates.beta.map(softplusInverse));
    setParam(module.gammaMeanUnconstr, rates.gamma.map(softplusInverse));
    const ts = [8, 4.5, 12];
    setParam(module.switchTimeUnconstr, ts.map(softplusInverse));
    const variances = [0.04, 0.09, 0.02, 0.05, 0.01, 0.1]; // σ² for u genes then s genes
    setParam(module.scaleUnconstr, variances.flatMap((v) => [softplusInverse(v), -3, -3, -3]));
    module.eval();
    const sRows = [[0.5, 1.2, 0.1], [2.0, 0.4, 0.3], [0.0, 0.8, 0.6], [1.1, 0.1, 0.2]];
    const uRows = [[0.3, 0.9, 0.05], [4.1, 0.2, 0.4], [0.0, 1.1, 0.3], [2.2, 0.0, 0.1]];
    const [s, u] = [t.tensor2d(sRows), t.tensor2d(uRows)];
    const noise = t.tensor2d([[0.3, -1.1], [0.8, 0.2], [-0.4, 1.5], [0.0, 0.6]]);
    const piRows = sRows.map((_, i) => Array.from({ length: G }, (_, g) => {
      const w = [1 + i, 2 + g, 1 + ((i + g) % 3), 0.5];
      const sum = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / sum);
    }));
    const pi = t.tensor3d(piRows);
    const klWeight = 0.3;

    const out = module.loss(s, u, { noise, pi, klWeight });
    const inf = module.inference(s, u, { noise });
    const gen = module.generative(inf.z, { pi });
    const qm = inf.qz.loc.arraySync() as number[][];
    const qs = inf.qz.scale.arraySync() as number[][];
    const rho = gen.rho.arraySync() as number[][];
    const tau = gen.tau.arraySync() as number[][];
    const piAlpha = gen.piAlpha.arraySync() as number[][][];

    const klZ = qm.map((row, i) => row.reduce((acc, m, d) => {
      const sd = (qs[i] as number[])[d] as number;
      return acc + 0.5 * (m * m + sd * sd - 1) - Math.log(sd);
    }, 0));
    const klPi = piAlpha.map((row) => row.reduce((acc, a) => acc + klDirichlet(a, [0.25, 0.25, 0.25, 0.25]), 0));
    // The mixture likelihood from the kinetics in float64, with ρ and τ from the decoder.
    const rec = sRows.map((sRow, i) => {
      let total = 0;
      for (let g = 0; g < G; g++) {
        const [a, b, c, tsg] = [rates.alpha[g], rates.beta[g], rates.gamma[g], ts[g]] as [number, number, number, number];
        const indAt = (tt: number): [number, number] => {
          const eb = Math.exp(-b * tt);
          const ec = Math.exp(-c * tt);
          return [(a / b) * (1 - eb), (a / c) * (1 - ec) + (a / (c - b + 1e-6)) * (ec - eb)];
        };
        const [u0, s0] = indAt(tsg);
        const tr = (20 - tsg) * (tau[i] as number[])[g]!;
        const [ur, sr] = [u0 * Math.exp(-b * tr), s0 * Math.exp(-c * tr) - ((b * u0) / (c - b + 1e-6)) * (Math.exp(-c * tr) - Math.exp(-b * tr))];
        const [ui, si] = indAt(tsg * (rho[i] as number[])[g]!);
        const meansU = [ui, a / b, ur, 0];
        const meansS = [si, a / c, sr, 0];
        const w = (piRows[i] as number[][])[g] as number[];
        const sdU = Math.sqrt(variances[g] as number);
        const sdS = Math.sqrt(variances[G + g] as number);
        const sds = (sd: number) => [sd, sd, sd, 0.1 * sd];
        const mix = (x: number, means: number[], sd: number) => Math.log(means.reduce((acc, m, k) => acc + (w[k] as number) * Math.exp(normalLogPdf(x, m, sds(sd)[k] as number)), 0));
        total -= mix((uRows[i] as number[])[g]!, meansU, sdU) + mix(sRow[g]!, meansS, sdS);
      }
      return total;
    });
    const got = (x: t.Tensor) => Array.from(x.dataSync());
    got(out.klLocal.z).forEach((v, i) => expect(v).toBeCloseTo(klZ[i] as number, 4));
    got(out.klLocal.pi).forEach((v, i) => expect(v).toBeCloseTo(klPi[i] as number, 3));
    got(out.reconstruction).forEach((v, i) => expect(Math.abs(v - (rec[i] as number))).toBeLessThan(1e-4 * Math.max(1, Math.abs(rec[i] as number))));
    const penalty = out.endPenalty.dataSync()[0] as number;
    const loss = rec.reduce((acc, r, i) => acc + r + klWeight * (klZ[i] as number) + (klPi[i] as number), 0) / 4 + 0.2 * (1 - klWeight) * penalty;
    expect(out.loss.dataSync()[0]).toBeCloseTo(loss, 3);
    // The prior is Dirichlet(0.25, …): the KL of π vanishes only at concentrations 0.25.
    expect(klDirichlet([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0, 12);
    disposeInference(inf);
    disposeGenerative(gen);
    t.dispose([out.loss, out.reconstruction, out.klLocal.z, out.klLocal.pi, out.endPenalty, out.klGlobal]);
    t.dispose([s, u, noise, pi]);
    module.dispose();
  });
});
