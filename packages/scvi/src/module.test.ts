// SCVIModule's API: draws and their seeds, posterior means, several samples per cell, batch
// transformation, and the errors for bad options and inputs.
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { SCVIModule } from './index.js';

import type { SCVIModuleOptions } from './index.js';

const X = [
  [0, 3, 1, 7, 2],
  [4, 0, 0, 1, 9],
  [1, 1, 5, 0, 3],
];
const BATCH = [0, 1, 1];

function withModule(extra: Partial<SCVIModuleOptions>, body: (m: SCVIModule, x: t.Tensor) => void): void {
  const module = new SCVIModule({ nInput: 5, nBatch: 2, nHidden: 6, nLatent: 3, seed: 2, ...extra });
  const x = t.tensor2d(X);
  try {
    body(module, x);
  } finally {
    x.dispose();
    module.dispose();
  }
}

function values(x: t.Tensor): number[] {
  return Array.from(x.dataSync());
}

describe('SCVIModule', () => {
  it('the same seed gives the same loss in training mode; another seed another loss', () => {
    withModule({}, (m, x) => {
      m.train();
      const run = (seed: number) => {
        const out = m.loss(x, BATCH, { seed });
        const v = out.loss.dataSync()[0] as number;
        t.dispose([out.loss, out.reconstruction, out.klLocal.z, out.klLocal.l, out.klGlobal]);
        return v;
      };
      const state = m.stateDict(); // training-mode passes move the BatchNorm running statistics
      const a = run(5);
      m.loadStateDict(state);
      const b = run(5);
      m.loadStateDict(state);
      const c = run(6);
      t.dispose(Object.values(state));
      expect(b).toBe(a);
      expect(c).not.toBe(a);
    });
  });

  it('giveMean: z is the mean of q(z | x) (its softmax for ln), the learned library the mean of q(l | x); no seed needed', () => {
    withModule({ latentDistribution: 'ln', useObservedLibSize: false, libraryLogMeans: [2, 3], libraryLogVars: [1, 1] }, (m, x) => {
      m.eval();
      const inf = m.inference(x, BATCH, { giveMean: true });
      const soft = t.softmax(inf.qz.loc, -1);
      expect(values(inf.z)).toEqual(values(soft));
      const sums = t.sum(inf.z, -1);
      values(sums).forEach((s) => expect(s).toBeCloseTo(1, 6));
      expect(values(inf.library)).toEqual(values(inf.ql?.loc as t.Tensor));
      inf.qz.dispose();
      inf.ql?.dispose();
      t.dispose([inf.z, inf.library, soft, sums]);
    });
  });

  it('nSamples: z [S, B, nLatent], the learned library [S, B, 1], px over [S, B, nInput]; the observed library is log Σ x', () => {
    withModule({ useObservedLibSize: false, libraryLogMeans: [2, 3], libraryLogVars: [1, 1] }, (m, x) => {
      m.eval();
      const inf = m.inference(x, BATCH, { nSamples: 4, seed: 1 });
      expect(inf.z.shape).toEqual([4, 3, 3]);
      expect(inf.library.shape).toEqual([4, 3, 1]);
      const gen = m.generative(inf.z, inf.library, BATCH);
      expect(gen.px.batchShape).toEqual([4, 3, 5]);
      expect(gen.pxScale.shape).toEqual([4, 3, 5]);
      for (const d of [inf.qz, inf.ql, gen.px, gen.pz, gen.pl]) d?.dispose();
      t.dispose([inf.z, inf.library, gen.pxScale]);
    });
    withModule({}, (m, x) => {
      m.eval();
      const inf = m.inference(x, BATCH, { giveMean: true });
      expect(inf.ql).toBeNull();
      values(inf.library).forEach((l, i) => expect(l).toBeCloseTo(Math.log((X[i] as number[]).reduce((a, b) => a + b, 0)), 5));
      inf.qz.dispose();
      t.dispose([inf.z, inf.library]);
    });
  });

  it('transformBatch decodes every cell as batch b (decoder covariate and gene-batch dispersion)', () => {
    withModule({ dispersion: 'gene-batch', geneLikelihood: 'nb' }, (m, x) => {
      m.eval();
      const inf = m.inference(x, BATCH, { giveMean: true });
      const a = m.generative(inf.z, inf.library, BATCH, { transformBatch: 1 });
      const b = m.generative(inf.z, inf.library, [1, 1, 1]);
      const c = m.generative(inf.z, inf.library, BATCH);
      expect(values(a.pxScale)).toEqual(values(b.pxScale));
      expect(values(a.pxScale)).not.toEqual(values(c.pxScale));
      for (const d of [inf.qz, a.px, a.pz, b.px, b.pz, c.px, c.pz]) d.dispose();
      t.dispose([inf.z, inf.library, a.pxScale, b.pxScale, c.pxScale]);
    });
  });

  it('bad options are errors naming the option, the constraint and the value', () => {
    const make = (extra: Record<string, unknown>) => () => new SCVIModule({ nInput: 5, seed: 1, ...extra } as SCVIModuleOptions);
    expect(make({ nLatent: 0 })).toThrow("SCVIModule: option 'nLatent' must be an integer >= 1, got 0");
    expect(make({ nInput: 2.5 })).toThrow("SCVIModule: option 'nInput' must be an integer >= 1, got 2.5");
    expect(make({ dispersion: 'gene-donor' })).toThrow("SCVIModule: option 'dispersion' must be one of 'gene', 'gene-batch', 'gene-label', 'gene-cell', got 'gene-donor'");
    expect(make({ geneLikelihood: 'normal' })).toThrow("SCVIModule: option 'geneLikelihood' must be one of 'zinb', 'nb', 'poisson', got 'normal'");
    expect(make({ useBatchNorm: true })).toThrow("SCVIModule: option 'useBatchNorm' must be one of 'both', 'encoder', 'decoder', 'none', got boolean true");
    expect(make({ dropoutRate: 1 })).toThrow("SCVIModule: option 'dropoutRate' must be a number in [0, 1), got 1");
    expect(make({ useObservedLibSize: false })).toThrow("SCVIModule: options 'libraryLogMeans' and 'libraryLogVars' are required when useObservedLibSize is false");
    expect(make({ useObservedLibSize: false, nBatch: 2, libraryLogMeans: [1], libraryLogVars: [1, 1] })).toThrow("SCVIModule: option 'libraryLogMeans' must hold 2 values (nBatch), got 1");
    expect(make({ useObservedLibSize: false, nBatch: 2, libraryLogMeans: [1, 2], libraryLogVars: [1, 0] })).toThrow("SCVIModule: option 'libraryLogVars' must hold finite numbers > 0, got number 0 at index 1");
    expect(make({ seed: -1 })).toThrow("SCVIModule: option 'seed' must be an integer >= 0, got -1");
  });

  it('bad inputs are errors naming the argument, the constraint and the value', () => {
    withModule({ dispersion: 'gene-label', nLabels: 2 }, (m, x) => {
      m.eval();
      const opts = { seed: 1, labels: [0, 1, 1] };
      expect(() => m.loss(x, [0, 2, 1], opts)).toThrow("SCVIModule.loss: argument 'batchIndex' must hold integers in [0, 2) (nBatch = 2), got 2 at index 1");
      expect(() => m.loss(x, [0, 1], opts)).toThrow("SCVIModule.loss: argument 'batchIndex' must hold 3 indices (one per cell), got 2");
      expect(() => m.loss(x, undefined, opts)).toThrow("SCVIModule.loss: argument 'batchIndex' is required when nBatch > 1 (nBatch = 2), got undefined");
      expect(() => m.loss(x, BATCH, { seed: 1 })).toThrow("SCVIModule.loss: argument 'labels' is required when nLabels > 1 (nLabels = 2), got undefined");
      expect(() => m.loss(x, BATCH, { seed: 1, labels: [0, 0, 5] })).toThrow("SCVIModule.loss: argument 'labels' must hold integers in [0, 2) (nLabels = 2), got 5 at index 2");
      expect(() => m.loss(x, BATCH, { ...opts, klWeight: -1 })).toThrow("SCVIModule.loss: option 'klWeight' must be a finite number >= 0, got -1");
      const narrow = t.zeros([3, 4]);
      expect(() => m.inference(narrow, BATCH, { seed: 1 })).toThrow("SCVIModule.inference: argument 'x' must be a float32 Tensor of counts with shape [cells, 5] (nInput = 5 genes) or a CSR matrix of them, got a float32 Tensor of shape [3, 4]");
      expect(() => m.inference(x, BATCH)).toThrow("SCVIModule.inference: option 'seed' is required to draw z (pass giveMean or noise otherwise), got undefined");
      const noise = t.zeros([3, 2]);
      expect(() => m.inference(x, BATCH, { noise: { z: noise } })).toThrow("SCVIModule.inference: option 'noise.z' must be a Tensor of shape [3, 3], got a float32 Tensor of shape [3, 2]");
      const z = t.zeros([3, 2]);
      const library = t.zeros([3, 1]);
      expect(() => m.generative(z, library, BATCH)).toThrow("SCVIModule.generative: argument 'z' must have shape [batch, 3] or [samples, batch, 3] (nLatent = 3), got a float32 Tensor of shape [3, 2]");
      const z3 = t.zeros([3, 3]);
      expect(() => m.generative(z3, library, BATCH, { labels: [0, 0, 0], transformBatch: 2 })).toThrow("SCVIModule.generative: option 'transformBatch' must be an integer in [0, 2) (nBatch = 2), got number 2");
      m.train();
      expect(() => m.loss(x, BATCH, { labels: [0, 1, 1], noise: { z: z3 } })).toThrow("SCVIModule.loss: option 'seed' is required in training mode (dropout 0.1), got undefined");
      t.dispose([narrow, noise, z, z3, library]);
    });
  });
});
