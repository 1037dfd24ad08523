// The Module contract: dotted names, train / eval propagation, state dict copies, strict loading
// with clear errors, dispose, and no tensor leaks.
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { GaussianEncoder, Linear, MLP, Module } from './index.js';

class Pair extends Module {
  readonly a: Linear;
  readonly b: MLP;
  constructor(seed: number) {
    super();
    this.a = this.addModule('a', new Linear(3, 4, { seed }));
    this.b = this.addModule('b', new MLP({ nIn: 4, nOut: 2, nHidden: 5, nLayers: 2, seed: seed + 1 }));
  }
}

describe('Module', () => {
  it('names parameters and buffers by dotted path, in registration order', () => {
    const m = new Pair(1);
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'a.weight', 'a.bias',
      'b.layers.0.linear.weight', 'b.layers.0.linear.bias', 'b.layers.0.batchNorm.weight', 'b.layers.0.batchNorm.bias',
      'b.layers.1.linear.weight', 'b.layers.1.linear.bias', 'b.layers.1.batchNorm.weight', 'b.layers.1.batchNorm.bias',
    ]);
    expect(m.namedBuffers().map(([n]) => n)).toEqual([
      'b.layers.0.batchNorm.running_mean', 'b.layers.0.batchNorm.running_var',
      'b.layers.1.batchNorm.running_mean', 'b.layers.1.batchNorm.running_var',
    ]);
    expect(m.parameterCount()).toBe(3 * 4 + 4 + 4 * 5 + 5 + 10 + 5 * 2 + 2 + 4);
    expect(m.summary()).toContain('a.weight [3, 4]');
    m.dispose();
  });

  it('train() / eval() reach every submodule', () => {
    const m = new Pair(2);
    expect(m.training && m.b.blocks[1]?.training).toBe(true);
    m.eval();
    expect(m.a.training || m.b.blocks[0]?.batchNorm?.training).toBe(false);
    m.train();
    expect(m.b.blocks[0]?.dropout?.training).toBe(true);
    m.dispose();
  });

  it('the same seed builds the same weights; another seed different ones', () => {
    const [m1, m2, m3] = [new Pair(7), new Pair(7), new Pair(8)];
    const w = (m: Pair) => Array.from(m.b.blocks[0]?.linear.weight.dataSync() ?? []);
    expect(w(m1)).toEqual(w(m2));
    expect(w(m1)).not.toEqual(w(m3));
    [m1, m2, m3].forEach((m) => m.dispose());
  });

  it('stateDict copies load into a fresh module and give identical eval outputs', () => {
    const src = new Pair(3);
    // Move the running statistics away from their initial values.
    t.tidy(() => src.b.forward(src.a.forward(t.randomNormal([16, 3], { seed: 1 })), { seed: 2 }));
    const dict = src.stateDict();
    const dst = new Pair(99);
    dst.loadStateDict(dict);
    t.dispose(Object.values(dict));
    src.eval();
    dst.eval();
    const x = t.randomNormal([5, 3], { seed: 3 });
    const [ys, yd] = [src, dst].map((m) => t.tidy(() => m.b.forward(m.a.forward(x)).dataSync()));
    expect(Array.from(yd ?? [])).toEqual(Array.from(ys ?? []));
    x.dispose();
    src.dispose();
    dst.dispose();
  });

  it('loadStateDict: strict errors name missing / unexpected keys and wrong shapes, and leave the module unchanged', () => {
    const m = new Linear(3, 2, { seed: 1 });
    const before = Array.from(m.weight.dataSync());
    const good = m.stateDict();
    const missing = { weight: good.weight as t.Tensor };
    expect(() => m.loadStateDict(missing)).toThrow(/Linear\.loadStateDict: the state dict does not match the module \(missing 'bias'\)/);
    const extra = { ...good, other: t.zeros([1]) };
    expect(() => m.loadStateDict(extra)).toThrow(/unexpected 'other'/);
    const wrong = { weight: t.zeros([2, 3]), bias: t.zeros([2]) };
    expect(() => m.loadStateDict(wrong)).toThrow(/entry 'weight' must have shape \[3, 2\], got \[2, 3\]/);
    expect(Array.from(m.weight.dataSync())).toEqual(before);
    expect(m.loadStateDict(extra, { strict: false }).unexpectedKeys).toEqual(['other']);
    t.dispose([...Object.values(good), extra.other, ...Object.values(wrong)]);
    m.dispose();
  });

  it('dispose frees every variable; a disposed module refuses to work', () => {
    const before = t.numTensors();
    const m = new Pair(4);
    expect(t.numTensors()).toBeGreaterThan(before);
    m.dispose();
    expect(t.numTensors()).toBe(before);
    expect(() => m.stateDict()).toThrow(/Pair\.stateDict: the module has been disposed/);
    expect(() => m.a.forward(t.zeros([1, 3]))).toThrow(/disposed/);
  });

  it('rejects duplicate and malformed names', () => {
    class Bad extends Module {
      constructor(name: string) {
        super();
        this.addParameter('w', t.zeros([1]));
        this.addParameter(name, t.zeros([1]));
      }
    }
    expect(() => new Bad('w')).toThrow(/Bad: the name 'w' is already registered/);
    expect(() => new Bad('a.b')).toThrow(/must match/);
  });

  it('no tensor leaks over 100 forward passes in training mode, encoders included', () => {
    const enc = new GaussianEncoder({ nIn: 6, nOut: 2, nCatList: [3], library: true, seed: 5 });
    const x = t.randomNormal([8, 6], { seed: 1 });
    const cat = [0, 1, 2, 0, 1, 2, 0, 1];
    const before = t.numTensors();
    for (let i = 0; i < 100; i++) {
      t.tidy(() => {
        enc.train(i % 2 === 0);
        const out = enc.forward(x, { covariates: [cat], seed: i, nSamples: 2 });
        out.qz.dispose();
        out.ql?.dispose();
      });
      const out = enc.forward(x, { covariates: [cat], seed: i });
      out.qz.dispose();
      out.ql?.dispose();
      t.dispose([out.z, out.library as t.Tensor]);
    }
    expect(t.numTensors()).toBe(before);
    x.dispose();
    enc.dispose();
  });
});
