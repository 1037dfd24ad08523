// Behaviour of the individual layers beyond the torch comparison: initialiser statistics,
// dropout masks, covariate checks, encoder outputs and argument errors.
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { Dropout, GaussianEncoder, LayerNorm, Linear, MLP, BatchNorm1d, initWeight } from './index.js';

function stats(x: t.Tensor): { mean: number; sd: number; min: number; max: number } {
  const v = Array.from(x.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, sd, min: Math.min(...v), max: Math.max(...v) };
}

describe('initialisers', () => {
  // 200 × 300 = 60,000 draws: the sample sd is within 1% of the target with overwhelming probability.
  it.each([
    ['torch', Math.sqrt(1 / 200) / Math.sqrt(3), 1 / Math.sqrt(200)],
    ['xavierUniform', Math.sqrt(2 / 500), Math.sqrt(6 / 500)],
    ['xavierNormal', Math.sqrt(2 / 500), Infinity],
    ['kaimingUniform', Math.sqrt(2 / 200), Math.sqrt(6 / 200)],
    ['kaimingNormal', Math.sqrt(2 / 200), Infinity],
  ] as const)('%s: standard deviation and bound', (kind, sd, bound) => {
    const w = initWeight(kind, 200, 300, { seed: 11 });
    const s = stats(w);
    expect(Math.abs(s.sd / sd - 1)).toBeLessThan(0.01);
    expect(Math.abs(s.mean)).toBeLessThan(4 * sd / Math.sqrt(60000));
    expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(bound);
    w.dispose();
  });

  it("Linear's 'torch' bias is U(-1/√fanIn, 1/√fanIn); other schemes start it at zero", () => {
    const a = new Linear(4, 1000, { seed: 1 });
    const s = stats(a.bias as t.Tensor);
    expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(0.5);
    expect(s.max).toBeGreaterThan(0.45);
    const b = new Linear(4, 10, { init: 'xavierNormal', seed: 1 });
    expect(Array.from(b.bias?.dataSync() ?? [])).toEqual(Array(10).fill(0));
    a.dispose();
    b.dispose();
  });
});

describe('Dropout', () => {
  it('zeroes about p of the entries and scales the rest by 1/(1-p); seeded; identity in eval', () => {
    const d = new Dropout(0.3);
    const x = t.ones([200, 100]);
    const y1 = d.forward(x, { seed: 5 });
    const y2 = d.forward(x, { seed: 5 });
    const v = Array.from(y1.dataSync());
    const kept = v.filter((e) => e !== 0);
    expect(Math.abs(kept.length / v.length - 0.7)).toBeLessThan(0.01);
    kept.forEach((e) => expect(e).toBeCloseTo(1 / 0.7, 5));
    expect(Array.from(y2.dataSync())).toEqual(v);
    expect(() => d.forward(x)).toThrow(/Dropout\.forward: option 'seed' is required in training mode/);
    d.eval();
    expect(d.forward(x)).toBe(x);
    t.dispose([x, y1, y2]);
  });

  it('rejects p outside [0, 1)', () => {
    expect(() => new Dropout(1)).toThrow(/Dropout: argument 'p' must be a number in \[0, 1\), got 1/);
  });
});

describe('MLP and GaussianEncoder', () => {
  it('checks the input width, the covariates and their categories', () => {
    const mlp = new MLP({ nIn: 4, nOut: 2, nCatList: [3, 1], dropoutRate: 0, seed: 1 });
    const x = t.zeros([2, 4]);
    expect(() => mlp.forward(t.zeros([2, 5]))).toThrow(/MLP\.forward: argument 'x' must have shape \[batch, 4\]/);
    expect(() => mlp.forward(x)).toThrow(/option 'covariates' must hold 2 covariate\(s\)/);
    expect(() => mlp.forward(x, { covariates: [[0, 3], [0, 0]] })).toThrow(/covariate 0 must hold category indices in \[0, 3\), got 3 at index 1/);
    expect(() => mlp.forward(x, { covariates: [[0], [0, 0]] })).toThrow(/covariate 0 must have 2 entries/);
    // A single-category covariate adds no columns: the first linear layer sees 4 + 3 inputs.
    expect(mlp.blocks[0]?.linear.inFeatures).toBe(7);
    t.tidy(() => {
      expect(mlp.forward(x, { covariates: [[0, 2], [0, 0]] }).shape).toEqual([2, 2]);
    });
    const dropping = new MLP({ nIn: 4, nOut: 2, seed: 1 });
    expect(() => dropping.forward(x)).toThrow(/option 'seed' is required in training mode with dropout/);
    t.dispose(x);
    mlp.dispose();
    dropping.dispose();
  });

  it('covariates change the output; deep injection widens every block', () => {
    const mlp = new MLP({ nIn: 3, nOut: 2, nHidden: 4, nLayers: 3, nCatList: [2], dropoutRate: 0, useBatchNorm: false, activation: 'tanh', seed: 2 });
    expect(mlp.blocks.map((b) => b.linear.inFeatures)).toEqual([5, 6, 6]);
    const shallow = new MLP({ nIn: 3, nOut: 2, nHidden: 4, nLayers: 3, nCatList: [2], injectCovariates: false, seed: 2 });
    expect(shallow.blocks.map((b) => b.linear.inFeatures)).toEqual([5, 4, 4]);
    t.tidy(() => {
      const x = t.randomNormal([3, 3], { seed: 1 });
      const a = mlp.forward(x, { covariates: [[0, 0, 0]] }).dataSync();
      const b = mlp.forward(x, { covariates: [[1, 1, 1]] }).dataSync();
      expect(Array.from(a)).not.toEqual(Array.from(b));
      // [samples, batch, features] inputs share the batch's covariates.
      expect(mlp.forward(t.stack([x, x]), { covariates: [[0, 1, 0]] }).shape).toEqual([2, 3, 2]);
    });
    mlp.dispose();
    shallow.dispose();
  });

  it("encoder: shapes, 'ln' gives points of the simplex, softplus variance, library head", () => {
    const enc = new GaussianEncoder({ nIn: 5, nOut: 3, nHidden: 8, distribution: 'ln', varActivation: 'softplus', library: true, seed: 3 });
    t.tidy(() => {
      const x = t.randomUniform([4, 5], { seed: 2 });
      const out = enc.forward(x, { seed: 1, nSamples: 6 });
      expect(out.qz.batchShape).toEqual([4, 3]);
      expect(out.z.shape).toEqual([6, 4, 3]);
      const sums = t.sum(out.z, -1).dataSync();
      sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
      expect(out.ql?.batchShape).toEqual([4, 1]);
      expect(out.library?.shape).toEqual([6, 4, 1]);
      const again = enc.forward(x, { seed: 1, nSamples: 6 });
      expect(Array.from(again.z.dataSync())).toEqual(Array.from(out.z.dataSync()));
      out.qz.dispose();
      out.ql?.dispose();
      again.qz.dispose();
      again.ql?.dispose();
    });
    expect(enc.namedParameters().some(([n]) => n.startsWith('library.trunk.layers.0.linear'))).toBe(true);
    enc.dispose();
  });

  it('argument errors name the layer, the argument and the value', () => {
    expect(() => new Linear(0, 2, { seed: 1 })).toThrow(/Linear: argument 'inFeatures' must be an integer >= 1, got 0/);
    expect(() => new Linear(2, 2, { seed: -1 })).toThrow(/Linear: argument 'seed' must be an integer seed/);
    expect(() => new Linear(2, 2, { seed: 1, init: 'he' as never })).toThrow(/argument 'init' must be one of 'torch'/);
    expect(() => new BatchNorm1d(3, { momentum: 2 })).toThrow(/BatchNorm1d: argument 'momentum' must be a number in \[0, 1\], got 2/);
    expect(() => new LayerNorm(3, { eps: 0 })).toThrow(/LayerNorm: argument 'eps' must be a finite number > 0, got 0/);
    expect(() => new MLP({ nIn: 3, nOut: 2, nCatList: [0], seed: 1 })).toThrow(/MLP: argument 'nCatList\[0\]' must be an integer >= 1, got 0/);
    expect(() => new GaussianEncoder({ nIn: 3, nOut: 2, varActivation: 'relu' as never, seed: 1 })).toThrow(/varActivation' must be one of 'exp', 'softplus'/);
    const bn = new BatchNorm1d(3);
    expect(() => bn.forward(t.zeros([1, 3]))).toThrow(/BatchNorm1d\.forward: training needs more than 1 value per feature, got a batch of 1/);
    bn.dispose();
  });
});
