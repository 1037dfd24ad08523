// Training readiness: gradients reach every parameter (one Adam step of @vitae/inference moves
// each of them, the batch / label rows of px_r included), and 100 loss + gradient steps leak no
// tensor. Runs on both backends (tfjs-wasm has no gather gradient: px_r rows are picked by a
// one-hot matmul).
import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '@vitae/anndata';
import { Adam } from '@vitae/inference';
import * as t from '@vitae/tensor';
import { SCVIModule, libraryPrior, minibatch } from './index.js';

import type { SCVIModuleOptions } from './index.js';

const N_CELLS = 24;
const N_GENES = 12;

function data(): { counts: CsrMatrix; batch: number[]; labels: number[] } {
  const u = t.randomUniform([N_CELLS, N_GENES], { seed: 21 });
  const values = Array.from(u.dataSync(), (r, k) => (r < 0.4 ? 0 : Math.floor(r * 20) + (k % 3)));
  u.dispose();
  for (let i = 0; i < N_CELLS; i++) values[i * N_GENES] = 1 + i; // no empty cell
  return {
    counts: CsrMatrix.fromDense(values, N_CELLS, N_GENES),
    batch: Array.from({ length: N_CELLS }, (_, i) => i % 2),
    labels: Array.from({ length: N_CELLS }, (_, i) => i % 3),
  };
}

const CONFIGS: Array<[string, Partial<SCVIModuleOptions>]> = [
  ['zinb, gene-batch, learned library, covariates encoded, 2 layers, layer norm', { dispersion: 'gene-batch', useObservedLibSize: false, encodeCovariates: true, nLayers: 2, useLayerNorm: 'both' }],
  ['nb, gene-label, logistic normal', { geneLikelihood: 'nb', dispersion: 'gene-label', latentDistribution: 'ln' }],
  ['nb, gene-cell, no batch norm', { geneLikelihood: 'nb', dispersion: 'gene-cell', useBatchNorm: 'none' }],
  ['poisson, learned library', { geneLikelihood: 'poisson', useObservedLibSize: false }],
];

function build(extra: Partial<SCVIModuleOptions>, d: ReturnType<typeof data>): SCVIModule {
  const prior = libraryPrior(d.counts, d.batch, 2);
  return new SCVIModule({ nInput: N_GENES, nBatch: 2, nLabels: 3, nHidden: 16, nLatent: 4, libraryLogMeans: prior.logMeans, libraryLogVars: prior.logVars, seed: 9, ...extra });
}

describe('gradients', () => {
  for (const [name, extra] of CONFIGS) {
    it(`${name}: one Adam step changes every parameter`, () => {
      const d = data();
      const module = build(extra, d).train();
      const params = module.namedParameters();
      const startValues = params.map(([, v]) => Array.from(v.dataSync()));
      const optimizer = new Adam(module.parameters(), { lr: 1e-2, eps: 0.01, weightDecay: 1e-6 });
      const mb = minibatch(d.counts, Array.from({ length: 16 }, (_, i) => i + 4), { batchIndex: d.batch, labels: d.labels });
      const { value, grads } = t.variableGrads(() => module.loss(mb.x, mb.batchIndex, { seed: 3, klWeight: 0.5, ...(mb.labels ? { labels: mb.labels } : {}) }).loss as t.Scalar, module.parameters());
      for (const [pname, v] of params) {
        const g = grads[v.name];
        expect(g, pname).toBeDefined();
        const gv = (g as t.Tensor).dataSync();
        expect(gv.every(Number.isFinite), pname).toBe(true);
        expect(gv.some((x) => x !== 0), `gradient of ${pname}`).toBe(true);
        if (pname === 'px_r' && v.rank === 2) {
          // Every batch / label row is selected by some cell of the minibatch.
          for (let r = 0; r < (v.shape[0] as number); r++) expect(gv.slice(r * N_GENES, (r + 1) * N_GENES).some((x) => x !== 0), `px_r row ${r}`).toBe(true);
        }
      }
      optimizer.step(grads);
      params.forEach(([pname, v], i) => {
        const now = v.dataSync();
        expect(now.some((x, k) => x !== startValues[i]?.[k]), `${pname} moved`).toBe(true);
      });
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      t.dispose([value, ...Object.values(grads), mb.x, mb.batchIndex, ...(mb.labels ? [mb.labels] : [])]);
      optimizer.dispose();
      module.dispose();
    });
  }

  it('the expected parameters exist, with stable names', () => {
    const d = data();
    const module = build({ dispersion: 'gene-batch', useObservedLibSize: false }, d);
    expect(module.namedParameters().map(([n, v]) => `${n} [${v.shape.join(', ')}]`)).toEqual([
      'px_r [2, 12]',
      'z_encoder.encoder.layers.0.linear.weight [12, 16]',
      'z_encoder.encoder.layers.0.linear.bias [16]',
      'z_encoder.encoder.layers.0.batchNorm.weight [16]',
      'z_encoder.encoder.layers.0.batchNorm.bias [16]',
      'z_encoder.mean_encoder.weight [16, 4]',
      'z_encoder.mean_encoder.bias [4]',
      'z_encoder.var_encoder.weight [16, 4]',
      'z_encoder.var_encoder.bias [4]',
      'l_encoder.encoder.layers.0.linear.weight [12, 16]',
      'l_encoder.encoder.layers.0.linear.bias [16]',
      'l_encoder.encoder.layers.0.batchNorm.weight [16]',
      'l_encoder.encoder.layers.0.batchNorm.bias [16]',
      'l_encoder.mean_encoder.weight [16, 1]',
      'l_encoder.mean_encoder.bias [1]',
      'l_encoder.var_encoder.weight [16, 1]',
      'l_encoder.var_encoder.bias [1]',
      'decoder.px_decoder.layers.0.linear.weight [6, 16]',
      'decoder.px_decoder.layers.0.linear.bias [16]',
      'decoder.px_decoder.layers.0.batchNorm.weight [16]',
      'decoder.px_decoder.layers.0.batchNorm.bias [16]',
      'decoder.px_scale_decoder.weight [16, 12]',
      'decoder.px_scale_decoder.bias [12]',
      'decoder.px_dropout_decoder.weight [16, 12]',
      'decoder.px_dropout_decoder.bias [12]',
    ]);
    expect(module.namedBuffers().map(([n]) => n)).toEqual([
      'library_log_means',
      'library_log_vars',
      'z_encoder.encoder.layers.0.batchNorm.running_mean',
      'z_encoder.encoder.layers.0.batchNorm.running_var',
      'l_encoder.encoder.layers.0.batchNorm.running_mean',
      'l_encoder.encoder.layers.0.batchNorm.running_var',
      'decoder.px_decoder.layers.0.batchNorm.running_mean',
      'decoder.px_decoder.layers.0.batchNorm.running_var',
    ]);
    module.dispose();
  });
});

describe('tensor hygiene', () => {
  it('no tensor leaks over 100 loss + gradient + Adam steps, inference, generative and eval-mode losses', () => {
    const d = data();
    const before = t.numTensors();
    const module = build(CONFIGS[0]?.[1] as Partial<SCVIModuleOptions>, d).train();
    const optimizer = new Adam(module.parameters(), { lr: 1e-3, eps: 0.01 });
    const owned = t.numTensors() - before;
    for (let step = 0; step < 100; step++) {
      const rows = Array.from({ length: 8 }, (_, i) => (step * 8 + i) % N_CELLS);
      const mb = minibatch(d.counts, rows, { batchIndex: d.batch });
      const { value, grads } = t.variableGrads(() => module.loss(mb.x, mb.batchIndex, { seed: step, klWeight: Math.min(1, step / 50) }).loss as t.Scalar, module.parameters());
      optimizer.step(grads);
      t.dispose([value, ...Object.values(grads), mb.x, mb.batchIndex]);
    }
    expect(t.numTensors()).toBe(before + owned);
    module.eval();
    const mb = minibatch(d.counts, [0, 1, 2, 3], { batchIndex: d.batch });
    const inf = module.inference(mb.x, mb.batchIndex, { seed: 1, nSamples: 3 });
    const gen = module.generative(inf.z, inf.library, mb.batchIndex, { transformBatch: 1 });
    for (const dist of [inf.qz, inf.ql, gen.px, gen.pz, gen.pl]) dist?.dispose();
    const loss = module.loss(mb.x, mb.batchIndex, { seed: 2 });
    t.dispose([inf.z, inf.library, gen.pxScale, loss.loss, loss.reconstruction, loss.klLocal.z, loss.klLocal.l, loss.klGlobal, mb.x, mb.batchIndex]);
    expect(() => module.loss(mb.x, [0, 1, 2, 0], {})).toThrow(); // a failed call leaks nothing either
    expect(t.numTensors()).toBe(before + owned);
    optimizer.dispose();
    module.dispose();
    expect(t.numTensors()).toBe(before);
  });
});
