import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { OptimizerKernel, composedAdamUpdate, listArrayKernels, runArrayKernel } from '../kernels/index.js';

import type { AdamUpdateAttrs } from './kernel-names.js';

// The Adam update kernel's portable JS implementation (Math.fround after every operation) and
// the adamUpdate op against the composed float32 ops, bit for bit, on the active backend.
// (@vitae/wasm's tests hold its SIMD implementation to the same.)

const VARIANTS = [
  { name: 'Adam, no weight decay', decoupled: false, weightDecay: 0, amsgrad: false },
  { name: 'Adam, L2 1e-6 (scvi-tools)', decoupled: false, weightDecay: 1e-6, amsgrad: false },
  { name: 'AdamW, wd 1e-2 (veloVI)', decoupled: true, weightDecay: 1e-2, amsgrad: false },
  { name: 'AdamW, no weight decay', decoupled: true, weightDecay: 0, amsgrad: false },
  { name: 'Adam, amsgrad, L2 0.1', decoupled: false, weightDecay: 0.1, amsgrad: true },
  { name: 'AdamW, amsgrad, wd 1e-2', decoupled: true, weightDecay: 1e-2, amsgrad: true },
];

type State = [vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor?];

/**
 * param and grad (magnitudes over ~16 decades, so that for small params every bit of the update
 * shows), expAvg, expAvgSq (, maxExpAvgSq) of n elements.
 */
function state(n: number, amsgrad: boolean, seed: number): { grad: vt.Tensor; s: State } {
  return vt.tidy(() => {
    const normal = (k: number) => vt.randomNormal([n], { seed: seed * 10 + k });
    const wide = (k: number) => vt.mul(normal(k), vt.exp(vt.mul(normal(k + 1), 3)));
    const grad = wide(1);
    const s: State = [wide(3), vt.mul(normal(5), 0.1), vt.square(vt.mul(normal(6), 0.1))];
    if (amsgrad) s.push(vt.square(vt.mul(normal(7), 0.1)));
    return { grad, s };
  });
}

function kernelUpdate(s: State, grad: vt.Tensor, attrs: AdamUpdateAttrs): vt.Tensor[] {
  const [param, expAvg, expAvgSq, maxExpAvgSq] = s;
  const inputs: Record<string, vt.Tensor> = { param, grad, expAvg, expAvgSq };
  if (maxExpAvgSq !== undefined) inputs.maxExpAvgSq = maxExpAvgSq;
  return runArrayKernel(maxExpAvgSq === undefined ? OptimizerKernel.AdamUpdate : OptimizerKernel.AmsgradUpdate, inputs, attrs) as vt.Tensor[];
}

/** Element-by-element equality as Object.is sees it (NaN equals NaN, 0 differs from −0). */
function expectSameBits(got: vt.Tensor[], want: vt.Tensor[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((t, k) => {
    const a = t.dataSync();
    const b = (want[k] as vt.Tensor).dataSync();
    const differ = Array.from(a).findIndex((x, i) => !Object.is(x, b[i]));
    expect(differ, `output ${k}, index ${differ}: ${a[differ]} vs ${b[differ]}`).toBe(-1);
  });
}

const attrsFor = (v: (typeof VARIANTS)[number], step: number): AdamUpdateAttrs => ({ lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: v.weightDecay, decoupled: v.decoupled, step });

describe('the Adam update kernel (JS implementation)', () => {
  it('is defined with the JS implementation until @vitae/wasm replaces it', () => {
    for (const name of Object.values(OptimizerKernel)) expect(listArrayKernels().find((k) => k.kernelName === name)?.provider).toBe('js');
  });

  it.each(VARIANTS)('gives the bits of the composed ops: $name, lengths 1, 3, 4, 5, 1031, steps 1, 2, 50', (v) => {
    for (const n of [1, 3, 4, 5, 1031]) {
      const { grad, s } = state(n, v.amsgrad, n);
      for (const step of [1, 2, 50]) {
        const attrs = attrsFor(v, step);
        const got = kernelUpdate(s, grad, attrs);
        const want = composedAdamUpdate(s[0], grad, s[1], s[2], s[3], attrs);
        expectSameBits(got, want);
        vt.dispose([...got, ...want]);
      }
      vt.dispose([grad, ...(s as vt.Tensor[])]);
    }
  });

  it('and on special values: zero, huge (g² overflows) and tiny (g² underflows) gradients, ±∞, NaN', () => {
    const g = vt.tensor([0, -0, 1e30, -1e30, 1e-30, 3e-39, Infinity, -Infinity, Number.NaN, 1]);
    const p = vt.tensor([1, -1, 0.5, 2, -3, 1e-20, 1, 0, 1, Infinity]);
    const zeros = vt.zerosLike(p);
    for (const v of VARIANTS.filter((x) => !x.amsgrad)) {
      const attrs = { ...attrsFor(v, 3), weightDecay: v.weightDecay === 0 ? 0 : 0.5 };
      const got = kernelUpdate([p, zeros, zeros], g, attrs);
      const want = composedAdamUpdate(p, g, zeros, zeros, undefined, attrs);
      expectSameBits(got, want);
      vt.dispose([...got, ...want]);
    }
    vt.dispose([g, p, zeros]);
  });
});

describe('adamUpdate (the op)', () => {
  it('runs five consecutive steps on its own outputs with the bits of the composed ops, leaking nothing', () => {
    for (const v of VARIANTS) {
      const n = 37;
      const { grad, s } = state(n, v.amsgrad, 7);
      let mine: State = s.map((t) => t?.clone()) as State;
      let ref: State = s.map((t) => t?.clone()) as State;
      const before = vt.numTensors();
      for (let step = 1; step <= 5; step++) {
        const attrs = attrsFor(v, step);
        const out = vt.adamUpdate({ param: mine[0], grad, expAvg: mine[1], expAvgSq: mine[2], maxExpAvgSq: mine[3] }, attrs);
        const next: State = [out.param, out.expAvg, out.expAvgSq, out.maxExpAvgSq];
        const refNext = composedAdamUpdate(ref[0], grad, ref[1], ref[2], ref[3], attrs) as State;
        vt.dispose([...(mine as vt.Tensor[]), ...(ref as vt.Tensor[])].filter((t) => t !== undefined));
        [mine, ref] = [next, refNext];
        expect(vt.numTensors()).toBe(before); // each step's results replaced its inputs
      }
      expectSameBits(mine.filter((t) => t !== undefined), ref.filter((t) => t !== undefined));
      expect(mine[3] === undefined).toBe(!v.amsgrad);
      vt.dispose([grad, ...(s as vt.Tensor[]), ...(mine as vt.Tensor[]), ...(ref as vt.Tensor[])].filter((t) => t !== undefined));
    }
  });

  it('leaves no tensor behind inside tidy, over repeated calls', () => {
    const { grad, s } = state(10, true, 3);
    const before = vt.numTensors();
    for (let i = 0; i < 20; i++) {
      vt.tidy(() => {
        vt.adamUpdate({ param: s[0], grad, expAvg: s[1], expAvgSq: s[2], maxExpAvgSq: s[3] }, attrsFor(VARIANTS[5] as (typeof VARIANTS)[number], i + 1));
      });
    }
    expect(vt.numTensors()).toBe(before);
    vt.dispose([grad, ...(s as vt.Tensor[])]);
  });

  it('refuses bad input with an error naming the argument', () => {
    const p = vt.zeros([2, 3]);
    const ok = { param: p, grad: p, expAvg: p, expAvgSq: p };
    const attrs = attrsFor(VARIANTS[0] as (typeof VARIANTS)[number], 1);
    const call = (inputs: object | null, a: object = attrs) => () => vt.adamUpdate(inputs as never, a as never);
    expect(call({ ...ok, grad: [1, 2] })).toThrow("adamUpdate: argument 'grad' must be a Tensor, got an array of length 2");
    expect(call({ ...ok, expAvg: vt.zeros([3, 2]) })).toThrow("adamUpdate: argument 'expAvg' must have the shape of 'param', [2, 3], got [3, 2]");
    expect(call({ ...ok, maxExpAvgSq: vt.zeros([6]) })).toThrow("argument 'maxExpAvgSq' must have the shape of 'param'");
    expect(call({ ...ok, expAvgSq: vt.zeros([2, 3], 'int32') })).toThrow("adamUpdate: argument 'expAvgSq' must have dtype float32, got a int32 Tensor of shape [2, 3]");
    const gone = vt.zeros([2, 3]);
    gone.dispose();
    expect(call({ ...ok, param: gone })).toThrow("adamUpdate: argument 'param' is a disposed Tensor");
    expect(call(ok, { ...attrs, beta1: 1 })).toThrow("adamUpdate: argument 'attrs.beta1' must be in [0, 1), got number 1");
    expect(call(ok, { ...attrs, step: 0 })).toThrow("adamUpdate: argument 'attrs.step' must be an integer >= 1, got number 0");
    expect(call(ok, { ...attrs, lr: -1 })).toThrow("adamUpdate: argument 'attrs.lr' must be a finite number >= 0, got number -1");
    expect(call(ok, { ...attrs, eps: Number.NaN })).toThrow("argument 'attrs.eps' must be a finite number >= 0, got number NaN");
    expect(call(ok, { ...attrs, decoupled: 'yes' })).toThrow("adamUpdate: argument 'attrs.decoupled' must be a boolean, got 'yes'");
    expect(call(null)).toThrow("adamUpdate: argument 'inputs' must be an object of tensors, got null");
    vt.dispose(p);
  });
});
