// Linear and MLP on a sparse CSR input against the same layers on its dense form: outputs and
// the gradients of every parameter, with and without covariates (appended to the sparse input
// as stored 1s), in training mode (dropout, batch statistics).
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { Linear, MLP } from './index.js';

import type { CsrInput } from '@vitae/tensor';

/** A CSR [nRows, nCols] of counts-like values (every fourth row empty) and its dense tensor. */
function counts(nRows: number, nCols: number, seed: number): { csr: CsrInput & { data: Float32Array }; dense: t.Tensor } {
  let s = seed;
  const u = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const data: number[] = [];
  const indices: number[] = [];
  const indptr = [0];
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; i % 4 !== 3 && j < nCols; j++) {
      if (u() < 0.2) {
        indices.push(j);
        data.push(Math.log1p(1 + Math.floor(20 * u())));
      }
    }
    indptr.push(indices.length);
  }
  const csr = { nRows, nCols, data: Float32Array.from(data), indices: Int32Array.from(indices), indptr: Int32Array.from(indptr) };
  return { csr, dense: t.csrToDense(csr) };
}

/**
 * Per tensor, max |a − b| <= 1e-5 · max |b| (normwise relative error in the max norm: a few
 * entries of a gradient come out of cancellations, through batch normalization, and are not
 * themselves accurate to 1e-5). Gradients that are 0 in exact arithmetic, `zero` (the bias of a
 * linear layer before batch normalization in training mode), are rounding noise in both paths:
 * they are held to 1e-5 of the largest gradient instead.
 */
function expectClose(got: Record<string, t.Tensor>, want: Record<string, t.Tensor>, zero: (name: string) => boolean = () => false): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  const maxAbs = (x: ArrayLike<number>) => Math.max(0, ...Array.from(x, Math.abs));
  const largest = Math.max(...Object.values(want).map((w) => maxAbs(w.dataSync())));
  for (const [name, g] of Object.entries(got)) {
    const a = g.dataSync();
    const b = (want[name] as t.Tensor).dataSync();
    if (zero(name)) {
      expect(Math.max(maxAbs(a), maxAbs(b)) / largest, `${name} (0 in exact arithmetic)`).toBeLessThanOrEqual(1e-5);
    } else {
      expect(maxAbs(a.map((v, i) => v - (b[i] as number))) / maxAbs(b), name).toBeLessThanOrEqual(1e-5);
    }
  }
}

/** The output ('out') and every parameter's gradient, by the parameter's name, of Σ (out ⊙ w). */
function outputAndGrads(run: () => t.Tensor, params: Array<[string, t.Variable]>): Record<string, t.Tensor> {
  let out: t.Tensor | null = null;
  const { value, grads } = t.variableGrads(
    () => {
      const y = run();
      out = t.keep(t.clone(y));
      return t.sum(t.mul(y, t.sin(t.reshape(t.range(0, y.size), y.shape)))) as t.Scalar;
    },
    params.map(([, v]) => v),
  );
  value.dispose();
  return { out: out as unknown as t.Tensor, ...Object.fromEntries(params.map(([name, v]) => [name, grads[v.name] as t.Tensor])) };
}

describe('a sparse (CSR) input', () => {
  it('Linear: x W + b as on the dense input, forward and gradients', () => {
    const { csr, dense } = counts(9, 30, 3);
    const linear = new Linear(30, 5, { seed: 1 });
    const params = linear.namedParameters();
    const got = outputAndGrads(() => linear.forward(csr), params);
    const want = outputAndGrads(() => linear.forward(dense), params);
    expectClose(got, want);
    t.dispose([...Object.values(got), ...Object.values(want), dense]);
    linear.dispose();
  });

  it.each([
    { name: 'no covariates, 2 layers', nCatList: [] as number[], injectCovariates: true, nLayers: 2 },
    { name: 'a covariate (3 batches) and a single-category one, deeply injected, 3 layers', nCatList: [3, 1], injectCovariates: true, nLayers: 3 },
    { name: 'two covariates in block 0 only, 2 layers', nCatList: [2, 4], injectCovariates: false, nLayers: 2 },
  ])('MLP ($name): the dense input’s output and gradients, in training mode, leaking nothing', ({ nCatList, injectCovariates, nLayers }) => {
    const { csr, dense } = counts(12, 40, 7);
    const mlp = new MLP({ nIn: 40, nOut: 6, nHidden: 8, nLayers, nCatList, injectCovariates, seed: 2 });
    const covariates = nCatList.map((n, j) => Int32Array.from({ length: 12 }, (_, i) => (i * (j + 1)) % n));
    const params = mlp.namedParameters();
    const run = (x: t.Tensor | CsrInput) => () => mlp.forward(x, { covariates, seed: 5 });
    const before = t.numTensors();
    const got = outputAndGrads(run(csr), params);
    const want = outputAndGrads(run(dense), params);
    expectClose(got, want, (name) => /linear\.bias$/.test(name)); // every block has batch normalization
    t.dispose([...Object.values(got), ...Object.values(want)]);
    expect(t.numTensors()).toBe(before);
    t.dispose(dense);
    mlp.dispose();
  });

  it('is refused with the argument named when its width is wrong, or with covariates when its values are a Tensor', () => {
    const { csr, dense } = counts(4, 10, 1);
    const linear = new Linear(11, 2, { seed: 1 });
    expect(() => linear.forward(csr)).toThrow("Linear.forward: argument 'x' must have 11 columns (inFeatures), got a CSR matrix of number 4 rows and number 10 columns");
    const mlp = new MLP({ nIn: 10, nOut: 2, nCatList: [2], dropoutRate: 0, seed: 1 });
    expect(() => mlp.forward({ ...csr, nCols: 9 }, { covariates: [[0, 1, 0, 1]] })).toThrow("MLP.forward: argument 'x' must have shape [batch, 10] or [samples, batch, 10] (or be a CSR matrix [batch, 10]), got a CSR matrix");
    const values = t.tensor1d(csr.data);
    expect(() => mlp.forward({ ...csr, data: values }, { covariates: [[0, 1, 0, 1]] })).toThrow("MLP.forward: argument 'x' with covariates must be a CSR matrix whose data is a Float32Array");
    expect(() => mlp.forward(csr, { covariates: [[0, 2, 0, 1]] })).toThrow('covariate 0 must hold category indices in [0, 2), got 2 at index 1');
    t.dispose([values, dense]);
    linear.dispose();
    mlp.dispose();
  });
});
