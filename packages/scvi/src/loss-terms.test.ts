// The loss terms against their formulas: the reconstruction of each gene likelihood equals
// -Σ_g logProb of an independently built @vitae/distributions object and scvi-tools' formula
// evaluated in float64 here; the KL terms equal the closed form; the warm-up weight multiplies
// the z term only.
import { describe, expect, it } from 'vitest';
import { NegativeBinomial, Poisson, ZeroInflatedNegativeBinomial } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { lgammaScalar } from '@vitae/tensor/kernels';
import { SCVIModule } from './index.js';

import type { Distribution } from '@vitae/distributions';
import type { GeneLikelihood } from './index.js';

const N_CELLS = 8;
const N_GENES = 6;
const EPS = 1e-8;

function counts(): number[][] {
  const u = t.randomUniform([N_CELLS, N_GENES], { seed: 11 });
  const v = Array.from(u.dataSync());
  u.dispose();
  return Array.from({ length: N_CELLS }, (_, i) => Array.from({ length: N_GENES }, (_, j) => {
    const r = v[i * N_GENES + j] as number;
    return r < 0.35 ? 0 : Math.floor(r * 30);
  }));
}

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** scvi-tools' log-likelihoods (REFERENCES.md), one value, in float64. */
function logLik(kind: GeneLikelihood, x: number, mu: number, theta: number, pi: number): number {
  if (kind === 'poisson') return (x === 0 ? 0 : x * Math.log(mu)) - mu - lgammaScalar(x + 1);
  const nbCore = theta * (Math.log(theta + EPS) - Math.log(theta + mu + EPS));
  const rest = x * (Math.log(mu + EPS) - Math.log(theta + mu + EPS)) + lgammaScalar(x + theta) - lgammaScalar(theta) - lgammaScalar(x + 1);
  if (kind === 'nb') return nbCore + rest;
  const softplusPi = softplus(-pi);
  const piThetaLog = -pi + nbCore;
  return x === 0 ? softplus(piThetaLog) - softplusPi : -softplusPi + piThetaLog + rest;
}

function independentCopy(px: Distribution): { d: Distribution; mu: Float32Array; theta: Float32Array | null; pi: Float32Array | null } {
  if (px instanceof ZeroInflatedNegativeBinomial) {
    return { d: new ZeroInflatedNegativeBinomial({ mu: px.mu.clone(), theta: px.theta.clone(), ziLogits: px.ziLogits.clone() }), mu: px.mu.dataSync() as Float32Array, theta: px.theta.dataSync() as Float32Array, pi: px.ziLogits.dataSync() as Float32Array };
  }
  if (px instanceof NegativeBinomial) return { d: new NegativeBinomial({ mu: px.mu.clone(), theta: px.theta.clone() }), mu: px.mu.dataSync() as Float32Array, theta: px.theta.dataSync() as Float32Array, pi: null };
  if (px instanceof Poisson) return { d: new Poisson(px.rate.clone()), mu: px.rate.dataSync() as Float32Array, theta: null, pi: null };
  throw new Error(`unexpected ${px.name}`);
}

describe('loss terms', () => {
  for (const kind of ['zinb', 'nb', 'poisson'] as const) {
    it(`${kind}: reconstruction = -Σ_g logProb of the distribution object = scvi-tools' formula`, () => {
      const module = new SCVIModule({ nInput: N_GENES, nBatch: 2, nHidden: 8, nLatent: 3, geneLikelihood: kind, dispersion: 'gene-batch', seed: 3 }).eval();
      const data = counts();
      const x = t.tensor2d(data);
      const batch = Array.from({ length: N_CELLS }, (_, i) => i % 2);
      const noise = { z: t.randomNormal([N_CELLS, 3], { seed: 5 }) };
      const inf = module.inference(x, batch, { noise });
      const gen = module.generative(inf.z, inf.library, batch);
      const copy = independentCopy(gen.px);
      const fromObject = t.tidy(() => t.neg(t.sum(copy.d.logProb(x), -1)));
      const loss = module.loss(x, batch, { noise });
      const rec = Array.from(loss.reconstruction.dataSync());
      expect(Array.from(fromObject.dataSync())).toEqual(rec);
      data.forEach((row, i) => {
        let want = 0;
        row.forEach((v, j) => {
          const k = i * N_GENES + j;
          want -= logLik(kind, v, copy.mu[k] as number, copy.theta?.[k] ?? 0, copy.pi?.[k] ?? 0);
        });
        expect(Math.abs((rec[i] as number) - want)).toBeLessThanOrEqual(1e-5 * Math.abs(want) + 1e-4);
      });
      copy.d.dispose();
      for (const d of [inf.qz, gen.px, gen.pz]) d.dispose();
      t.dispose([fromObject, loss.loss, loss.reconstruction, loss.klLocal.z, loss.klLocal.l, loss.klGlobal, x, noise.z, inf.z, inf.library, gen.pxScale]);
      module.dispose();
    });
  }

  it('KL terms are the Normal closed forms; klWeight multiplies kl_z only', () => {
    const module = new SCVIModule({ nInput: N_GENES, nBatch: 2, nHidden: 8, nLatent: 3, useObservedLibSize: false, libraryLogMeans: [3, 4], libraryLogVars: [0.5, 2], seed: 4 }).eval();
    const x = t.tensor2d(counts());
    const batch = Array.from({ length: N_CELLS }, (_, i) => i % 2);
    const noise = { z: t.randomNormal([N_CELLS, 3], { seed: 1 }), library: t.randomNormal([N_CELLS, 1], { seed: 2 }) };
    const inf = module.inference(x, batch, { noise });
    const [m, s, lm, ls] = [inf.qz.loc, inf.qz.scale, inf.ql?.loc, inf.ql?.scale].map((v) => Array.from((v as t.Tensor).dataSync())) as [number[], number[], number[], number[]];
    const parts = [0, 0.25, 1].map((klWeight) => {
      const out = module.loss(x, batch, { noise, klWeight });
      const values = [out.loss, out.reconstruction, out.klLocal.z, out.klLocal.l].map((v) => Array.from(v.dataSync()));
      t.dispose([out.loss, out.reconstruction, out.klLocal.z, out.klLocal.l, out.klGlobal]);
      return values;
    });
    const [, rec, klZ, klL] = parts[0] as number[][];
    for (let i = 0; i < N_CELLS; i++) {
      let wantZ = 0;
      for (let k = 0; k < 3; k++) {
        const mu = m[i * 3 + k] as number;
        const sd = s[i * 3 + k] as number;
        wantZ += -Math.log(sd) + (sd * sd + mu * mu) / 2 - 0.5;
      }
      expect(klZ?.[i]).toBeCloseTo(wantZ, 4);
      const [pm, pv] = i % 2 === 0 ? [3, 0.5] : [4, 2];
      const qm = lm?.[i] as number;
      const qs = ls?.[i] as number;
      const wantL = Math.log(Math.sqrt(pv) / qs) + (qs * qs + (qm - pm) ** 2) / (2 * pv) - 0.5;
      expect(klL?.[i]).toBeCloseTo(wantL, 4);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    [0, 0.25, 1].forEach((w, k) => {
      const want = mean((rec as number[]).map((r, i) => r + w * (klZ?.[i] as number) + (klL?.[i] as number)));
      expect(parts[k]?.[0]?.[0]).toBeCloseTo(want, 3);
    });
    inf.qz.dispose();
    inf.ql?.dispose();
    t.dispose([x, noise.z, noise.library, inf.z, inf.library]);
    module.dispose();
  });
});
