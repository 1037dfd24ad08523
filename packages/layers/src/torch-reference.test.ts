// Layers against torch.nn on the fixed inputs / weights of tooling/fixtures/generators/layers.py.
// Tolerance: 2e-5 absolute + 2e-5 relative (float32 sums of a few terms; measured below 1e-6).
import { describe, expect, it } from 'vitest';
import { loadFixture } from '@vitae/fixtures/load';
import * as t from '@vitae/tensor';
import { BatchNorm1d, GaussianEncoder, LayerNorm, Linear, MLP } from './index.js';

import type { Module } from './index.js';

type Mat = number[][];
interface Fixture {
  linear: { weight: Mat; bias: number[]; x: Mat; y: Mat };
  batchnorm: { momentum: number; eps: number; weight: number[]; bias: number[]; steps: Array<{ x: Mat; y: Mat; runningMean: number[]; runningVar: number[] }>; evalX: Mat; evalY: Mat };
  layernorm: { weight: number[]; bias: number[]; x: Mat; y: Mat };
  fclayers: {
    nIn: number; nHidden: number; nCat: number; nLatent: number;
    blocks: Array<{ weight: Mat; bias: number[] }>; heads: Record<'mean' | 'var', { weight: Mat; bias: number[] }>;
    x: Mat; cat: number[]; yTrain: Mat; yEval: Mat; runningMean: Mat; runningVar: Mat; qm: Mat; qv: Mat;
  };
}
const fx = loadFixture<Fixture>('layers');

function expectClose(actual: t.Tensor, expected: number[] | Mat): void {
  const want = (expected as number[]).flat(1) as number[];
  const got = actual.dataSync();
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs((got[i] as number) - w)).toBeLessThanOrEqual(2e-5 + 2e-5 * Math.abs(w)));
}

/** torch Linear weights are [out, in]; ours are [in, out]. */
function torchLinear(weight: Mat, bias: number[]): t.NamedTensorMap {
  return { weight: t.transpose(t.tensor2d(weight)), bias: t.tensor1d(bias) };
}

function load(module: Module, entries: t.NamedTensorMap, strict = true): void {
  module.loadStateDict(entries, { strict });
  t.dispose(Object.values(entries));
}

describe('layers match torch.nn', () => {
  it('Linear', () => {
    const lin = new Linear(3, 2, { seed: 1 });
    load(lin, torchLinear(fx.linear.weight, fx.linear.bias));
    t.tidy(() => expectClose(lin.forward(t.tensor2d(fx.linear.x)), fx.linear.y));
    lin.dispose();
  });

  it('BatchNorm1d: three training steps (outputs and running statistics), then eval', () => {
    const c = fx.batchnorm;
    const bn = new BatchNorm1d(4, { momentum: c.momentum, eps: c.eps });
    load(bn, { weight: t.tensor1d(c.weight), bias: t.tensor1d(c.bias), running_mean: t.zeros([4]), running_var: t.ones([4]) });
    for (const step of c.steps) {
      t.tidy(() => expectClose(bn.forward(t.tensor2d(step.x)), step.y));
      expectClose(bn.runningMean, step.runningMean);
      expectClose(bn.runningVar, step.runningVar);
    }
    bn.eval();
    t.tidy(() => expectClose(bn.forward(t.tensor2d(c.evalX)), c.evalY));
    bn.dispose();
  });

  it('LayerNorm', () => {
    const ln = new LayerNorm(4);
    load(ln, { weight: t.tensor1d(fx.layernorm.weight), bias: t.tensor1d(fx.layernorm.bias) });
    t.tidy(() => expectClose(ln.forward(t.tensor2d(fx.layernorm.x)), fx.layernorm.y));
    ln.dispose();
  });

  it("MLP with an injected covariate = scvi-tools' FCLayers (train, then eval on the updated running stats)", () => {
    const c = fx.fclayers;
    const mlp = new MLP({ nIn: c.nIn, nOut: c.nHidden, nHidden: c.nHidden, nLayers: 2, nCatList: [c.nCat], dropoutRate: 0, seed: 3 });
    const entries: t.NamedTensorMap = {};
    c.blocks.forEach((b, i) => {
      entries[`layers.${i}.linear.weight`] = t.transpose(t.tensor2d(b.weight));
      entries[`layers.${i}.linear.bias`] = t.tensor1d(b.bias);
    });
    load(mlp, entries, false);
    const x = t.tensor2d(c.x);
    t.tidy(() => expectClose(mlp.forward(x, { covariates: [c.cat] }), c.yTrain));
    c.blocks.forEach((_, i) => {
      const bn = mlp.blocks[i]?.batchNorm as BatchNorm1d;
      expectClose(bn.runningMean, c.runningMean[i] as number[]);
      expectClose(bn.runningVar, c.runningVar[i] as number[]);
    });
    mlp.eval();
    t.tidy(() => expectClose(mlp.forward(x, { covariates: [c.cat] }), c.yEval));
    x.dispose();
    mlp.dispose();
  });

  it("GaussianEncoder heads = scvi-tools' Encoder: q_m and q_v = exp(·) + 1e-4", () => {
    const c = fx.fclayers;
    const enc = new GaussianEncoder({ nIn: c.nIn, nOut: c.nLatent, nHidden: c.nHidden, nLayers: 2, nCatList: [c.nCat], dropoutRate: 0, seed: 4 });
    const entries: t.NamedTensorMap = {};
    c.blocks.forEach((b, i) => {
      entries[`z.trunk.layers.${i}.linear.weight`] = t.transpose(t.tensor2d(b.weight));
      entries[`z.trunk.layers.${i}.linear.bias`] = t.tensor1d(b.bias);
      entries[`z.trunk.layers.${i}.batchNorm.running_mean`] = t.tensor1d(c.runningMean[i] as number[]);
      entries[`z.trunk.layers.${i}.batchNorm.running_var`] = t.tensor1d(c.runningVar[i] as number[]);
    });
    for (const [head, name] of [['mean', 'meanEncoder'], ['var', 'varEncoder']] as const) {
      entries[`z.${name}.weight`] = t.transpose(t.tensor2d(c.heads[head].weight));
      entries[`z.${name}.bias`] = t.tensor1d(c.heads[head].bias);
    }
    load(enc, entries, false);
    enc.eval();
    t.tidy(() => {
      const { qz } = enc.forward(t.tensor2d(c.x), { covariates: [c.cat], seed: 1 });
      expectClose(qz.loc, c.qm);
      expectClose(t.square(qz.scale), c.qv);
      qz.dispose();
    });
    enc.dispose();
  });
});
