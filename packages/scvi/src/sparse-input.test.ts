// SCVIModule on sparse CSR rows against the same module on the dense tensor of those rows: the
// loss terms and the gradient of every parameter, in training mode (dropout, batch statistics),
// for the architectures that change what the encoders see (observed / learned library, batch
// covariates in the encoders, deeply injected or not, no log1p, two layers, 'ln'); the posterior
// outputs in eval mode; no tensor left behind; the errors for malformed rows.
import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '@vitae/anndata';
import * as t from '@vitae/tensor';
import { SCVIModule, sparseMinibatch } from './index.js';

import type { SCVIModuleOptions } from './index.js';

const [CELLS, GENES] = [24, 60];

/** Counts-like rows, ~15 % stored (1–40, a few large), cell 5 empty but for one gene; batches 0–2. */
function data(): { csr: CsrMatrix; batch: Int32Array } {
  let s = 11;
  const u = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const values = new Float32Array(CELLS * GENES);
  for (let k = 0; k < values.length; k++) if (u() < 0.15) values[k] = u() < 0.05 ? 2000 + Math.floor(500 * u()) : 1 + Math.floor(40 * u() * u());
  values.fill(0, 5 * GENES, 6 * GENES);
  values[5 * GENES + 7] = 3;
  return { csr: CsrMatrix.fromDense(values, CELLS, GENES), batch: Int32Array.from({ length: CELLS }, (_, i) => i % 3) };
}

/** The loss terms (per cell) and every parameter's gradient, by name, of the loss. */
function lossAndGrads(m: SCVIModule, x: t.Tensor | CsrMatrix, cellBatch: Int32Array): Record<string, t.Tensor> {
  const batch = cellBatch.map((b) => b % m.options.nBatch);
  const named = m.namedParameters();
  const terms: Record<string, t.Tensor> = {};
  const { value, grads } = t.variableGrads(
    () => {
      const out = m.loss(x, batch, { seed: 3, klWeight: 0.7 });
      terms.reconstruction = t.keep(out.reconstruction);
      terms.klZ = t.keep(out.klLocal.z);
      terms.klL = t.keep(out.klLocal.l);
      return out.loss as t.Scalar;
    },
    named.map(([, v]) => v),
  );
  return { loss: value, ...terms, ...Object.fromEntries(named.map(([name, v]) => [name, grads[v.name] as t.Tensor])) };
}

/**
 * The loss terms: max |a − b| <= 1e-5 · max |b| each (normwise relative error, max norm). The
 * gradients: max |a − b| <= 1e-5 · max(max |b|, 1e-2 · G) per tensor, G the largest gradient
 * entry of any parameter: a parameter whose gradient is a sum with cancellations over the cells
 * (a bias) carries the rounding of its terms, which are up to G in size. The bias of a linear
 * layer before batch normalization in training mode has gradient 0 in exact arithmetic (rounding
 * noise in both paths) and is held to 1e-5 · G. (On the wasm backend the two paths agree to the
 * bit in these tests: XNNPACK sums each product in order, and the stored zeros add exact 0s.)
 */
function expectClose(got: Record<string, t.Tensor>, want: Record<string, t.Tensor>, zero: (name: string) => boolean): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  const maxAbs = (x: ArrayLike<number>) => Math.max(0, ...Array.from(x, Math.abs));
  const isGradient = (name: string) => name.includes('.') || name === 'px_r';
  const largest = Math.max(...Object.entries(want).filter(([name]) => isGradient(name)).map(([, w]) => maxAbs(w.dataSync())));
  for (const [name, g] of Object.entries(got)) {
    const a = g.dataSync();
    const b = (want[name] as t.Tensor).dataSync();
    const err = maxAbs(a.map((v, i) => v - (b[i] as number)));
    if (maxAbs(b) === 0) expect(Array.from(a), name).toEqual(Array.from(b));
    else if (!isGradient(name)) expect(err / maxAbs(b), name).toBeLessThanOrEqual(1e-5);
    else if (zero(name)) expect(Math.max(maxAbs(a), maxAbs(b)) / largest, `${name} (0 in exact arithmetic)`).toBeLessThanOrEqual(1e-5);
    else expect(err / Math.max(maxAbs(b), 1e-2 * largest), name).toBeLessThanOrEqual(1e-5);
  }
}

const ARCHITECTURES: Array<{ name: string; options: Partial<SCVIModuleOptions> }> = [
  { name: "scvi-tools' default (ZINB, observed library, 1 batch)", options: {} },
  { name: 'learned library, 3 batches in the encoders (deeply injected), 2 layers', options: { nBatch: 3, useObservedLibSize: false, libraryLogMeans: [3, 4, 5], libraryLogVars: [1, 2, 1], encodeCovariates: true, nLayers: 2 } },
  { name: '3 batches in the encoders, first layer only, NB, gene-batch', options: { nBatch: 3, encodeCovariates: true, deeplyInjectCovariates: false, nLayers: 2, geneLikelihood: 'nb', dispersion: 'gene-batch' } },
  { name: "no log1p, 'ln' latent space, Poisson", options: { logVariational: false, latentDistribution: 'ln', geneLikelihood: 'poisson' } },
];

describe('SCVIModule on sparse rows', () => {
  it.each(ARCHITECTURES)('gives the dense input’s loss and gradients to 1e-5: $name', ({ options }) => {
    const { csr, batch } = data();
    const m = new SCVIModule({ nInput: GENES, nHidden: 16, nLatent: 4, seed: 5, ...options }).train();
    const dense = t.csrToDense(csr);
    const state = m.stateDict(); // a training pass moves the batch-norm running statistics
    const before = t.numTensors();
    const got = lossAndGrads(m, csr, batch);
    expect(t.numTensors() - before).toBe(Object.keys(got).length); // only what it returns
    m.loadStateDict(state);
    const want = lossAndGrads(m, dense, batch);
    // a layer's bias before batch normalization (in encoders and decoder, every layer of the
    // trunks): its gradient is 0 in exact arithmetic
    expectClose(got, want, (name) => /\.layers\.\d+\.linear\.bias$/.test(name));
    t.dispose([...Object.values(got), ...Object.values(want), dense, ...Object.values(state)]);
    m.dispose();
  });

  it('gives the dense input’s posterior (eval mode): q(z | x), z, the library', () => {
    const { csr, batch } = data();
    const m = new SCVIModule({ nInput: GENES, nBatch: 3, encodeCovariates: true, useObservedLibSize: false, libraryLogMeans: [3, 4, 5], libraryLogVars: [1, 2, 1], nHidden: 16, nLatent: 4, seed: 1 });
    const observed = new SCVIModule({ nInput: GENES, nHidden: 16, nLatent: 4, seed: 1 });
    const dense = t.csrToDense(csr);
    for (const module of [m, observed]) {
      t.tidy(() => {
        const cells = batch.map((x) => x % module.options.nBatch);
        const a = module.inference(csr, cells, { seed: 4 });
        const b = module.inference(dense, cells, { seed: 4 });
        const pairs: Array<[string, t.Tensor, t.Tensor]> = [['qz.loc', a.qz.loc, b.qz.loc], ['qz.scale', a.qz.scale, b.qz.scale], ['z', a.z, b.z], ['library', a.library, b.library]];
        if (a.ql && b.ql) pairs.push(['ql.loc', a.ql.loc, b.ql.loc]);
        for (const [name, x, y] of pairs) {
          const d = t.max(t.abs(t.sub(x, y))).dataSync()[0] as number;
          expect(d / (t.max(t.abs(y)).dataSync()[0] as number), name).toBeLessThanOrEqual(1e-5);
        }
        for (const inf of [a, b]) [inf.qz, inf.ql].forEach((q) => q?.dispose());
      });
    }
    dense.dispose();
    m.dispose();
    observed.dispose();
  });

  it('merges a gene stored twice in a row before log1p (as densifying would sum it)', () => {
    const once = new CsrMatrix({ nRows: 2, nCols: GENES, data: Float32Array.of(5, 2), indices: Int32Array.of(3, 9), indptr: Int32Array.of(0, 1, 2) });
    const twice = new CsrMatrix({ nRows: 2, nCols: GENES, data: Float32Array.of(2, 3, 2), indices: Int32Array.of(3, 3, 9), indptr: Int32Array.of(0, 2, 3) });
    const m = new SCVIModule({ nInput: GENES, nHidden: 8, nLatent: 2, seed: 1 }).eval();
    const [a, b] = [once, twice].map((x) => {
      const inf = m.inference(x, undefined, { giveMean: true });
      const v = Array.from(inf.qz.loc.dataSync());
      inf.qz.dispose();
      t.dispose([inf.z, inf.library]);
      return v;
    });
    expect(b).toEqual(a);
    m.dispose();
  });

  it('trains from sparseMinibatch rows, leaking nothing over steps', () => {
    const { csr } = data();
    const m = new SCVIModule({ nInput: GENES, nHidden: 16, nLatent: 4, seed: 2 }).train();
    const before = t.numTensors();
    for (let step = 0; step < 3; step++) {
      const mb = sparseMinibatch(csr, [1, 5, 7, 8, 20, 3]);
      t.tidy(() => {
        const { value, grads } = t.variableGrads(() => m.loss(mb.x, mb.batchIndex, { seed: step }).loss as t.Scalar, m.parameters());
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        t.dispose(Object.values(grads));
      });
      mb.batchIndex.dispose();
    }
    expect(t.numTensors()).toBe(before);
    m.dispose();
  });

  it('refuses malformed rows with the argument named', () => {
    const m = new SCVIModule({ nInput: 4, nHidden: 8, nLatent: 2, seed: 1 });
    const rows = (data: number[], indices: number[], indptr: number[], nCols = 4) => ({ nRows: indptr.length - 1, nCols, data: Float32Array.from(data), indices: Int32Array.from(indices), indptr: Int32Array.from(indptr) });
    const seed = { seed: 1 };
    expect(() => m.loss(rows([1, 2], [0, 3], [0, 1, 2], 5), undefined, seed)).toThrow("SCVIModule.loss: argument 'x' must be a CSR matrix of counts with shape [cells, 4] (nInput = 4 genes) and at least one cell, got [2, 5]");
    expect(() => m.loss(rows([], [], [0]), undefined, seed)).toThrow('and at least one cell, got [0, 4]');
    expect(() => m.inference(rows([1, -2], [0, 3], [0, 1, 2]), undefined, seed)).toThrow("SCVIModule.inference: argument 'x' must hold finite counts >= 0, got -2 at row 1, column 3");
    expect(() => m.inference(rows([1, Number.NaN], [0, 3], [0, 1, 2]), undefined, seed)).toThrow('must hold finite counts >= 0, got NaN at row 1, column 3');
    expect(() => m.loss(rows([1, 2], [0, 4], [0, 1, 2]), undefined, seed)).toThrow("SCVIModule.loss: argument 'x': index 4 at position 1 is outside [0, 4)");
    expect(() => m.loss(rows([1, 2], [0, 1], [0, 2, 1]), undefined, seed)).toThrow("SCVIModule.loss: argument 'x': indptr[2] must equal the number of stored values 2, got 1");
    expect(() => m.loss({ ...rows([1], [0], [0, 1]), data: [1] } as never, undefined, seed)).toThrow("SCVIModule.loss: argument 'x' must be a float32 Tensor of counts or a CSR matrix");
    expect(() => m.loss(rows([1, 2], [0, 1], [0, 1, 2]), [0], seed)).toThrow("SCVIModule.loss: argument 'batchIndex' must hold 2 indices (one per cell), got 1");
    m.dispose();
  });
});
