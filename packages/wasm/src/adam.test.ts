// The SIMD Adam update (assembly/adam.ts) against @vitae/tensor's composed float32 ops and its
// JS kernel: the same bits. On the wasm backend the op runs the kernel in place on tfjs' heap, on
// the cpu backend it copies through the module's own memory (the suite runs on both).
import * as t from '@vitae/tensor';
import { OptimizerKernel, adamUpdateJs, composedAdamUpdate, listArrayKernels } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamModule } from './adam-module.js';
import { WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';

import type { AdamUpdateAttrs } from '@vitae/tensor/kernels';

let adam: AdamModule;
beforeAll(async () => {
  await installWasmKernels();
  adam = await AdamModule.load();
});

const SETTINGS = [
  { name: 'Adam', decoupled: false, weightDecay: 0 },
  { name: 'Adam with L2 1e-6', decoupled: false, weightDecay: 1e-6 },
  { name: 'AdamW with wd 1e-2', decoupled: true, weightDecay: 1e-2 },
  { name: 'AdamW with wd 0', decoupled: true, weightDecay: 0 },
];
const VARIANTS = [false, true].flatMap((amsgrad) => SETTINGS.map((s) => ({ ...s, amsgrad, name: `${s.name}${amsgrad ? ', amsgrad' : ''}` })));
const attrsOf = (v: { decoupled: boolean; weightDecay: number }, step: number): AdamUpdateAttrs => ({ lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 0.01, weightDecay: v.weightDecay, decoupled: v.decoupled, step });

/** Deterministic float32 data with magnitudes from ~1e-7 to ~1e7 (golden-ratio sequence). */
function wide(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const u = ((i + 1) * 0.6180339887 + seed * 0.7548776662) % 1;
    const w = ((i + 1) * 0.7548776662 + seed * 0.5698402910) % 1;
    return Math.fround(scale * (u - 0.5) * Math.exp((w - 0.5) * 32));
  });
}

/** Inputs p, g, m, v (, vmax) of length n; v and vmax are squares (>= 0). */
function arrays(n: number, amsgrad: boolean, seed: number): Float32Array[] {
  const square = (a: Float32Array) => a.map((x) => Math.fround(x * x));
  const ins = [wide(n, seed), wide(n, seed + 1), wide(n, seed + 2, 0.1), square(wide(n, seed + 3, 1e-3))];
  return amsgrad ? [...ins, square(wide(n, seed + 4, 1e-3))] : ins;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

function expectSameBits(got: readonly ArrayLike<number>[], want: readonly ArrayLike<number>[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((a, k) => {
    const i = firstDifference(a, want[k] as ArrayLike<number>);
    expect(i, `output ${k}, index ${i}: ${a[i]} vs ${want[k]?.[i]}`).toBe(-1);
  });
}

/** The JS kernel of @vitae/tensor on plain arrays: the reference for the module's own API. */
function jsUpdate(inputs: Float32Array[], attrs: AdamUpdateAttrs): Float32Array[] {
  const n = (inputs[0] as Float32Array).length;
  const outputs = inputs.slice(1).map(() => new Float32Array(n));
  adamUpdateJs({ inputs, inputShapes: inputs.map(() => [n]), outputs, outputShapes: outputs.map(() => [n]), attrs });
  return outputs;
}

describe('the SIMD Adam update', () => {
  it('is the implementation of both Adam kernels once installed', () => {
    for (const name of Object.values(OptimizerKernel)) expect(listArrayKernels().find((k) => k.kernelName === name)?.provider).toBe(WASM_SIMD_PROVIDER);
  });

  it.each(VARIANTS)('the op gives the bits of the composed ops: $name, lengths 0, 1, 3-9, 1000, 1031, steps 1, 2, 50', (v) => {
    for (const n of [0, 1, 3, 4, 5, 6, 7, 8, 9, 1000, 1031]) {
      const [p, g, m, s, vmax] = arrays(n, v.amsgrad, n).map((a) => t.tensor1d(a));
      for (const step of [1, 2, 50]) {
        const attrs = attrsOf(v, step);
        const before = t.numTensors();
        const out = t.adamUpdate({ param: p as t.Tensor, grad: g as t.Tensor, expAvg: m as t.Tensor, expAvgSq: s as t.Tensor, maxExpAvgSq: vmax }, attrs);
        const got = [out.param, out.expAvg, out.expAvgSq, ...(out.maxExpAvgSq === undefined ? [] : [out.maxExpAvgSq])];
        expect(t.numTensors()).toBe(before + got.length);
        const want = composedAdamUpdate(p as t.Tensor, g as t.Tensor, m as t.Tensor, s as t.Tensor, vmax, attrs);
        expectSameBits(
          got.map((x) => x.dataSync()),
          want.map((x) => x.dataSync()),
        );
        t.dispose([...got, ...want]);
      }
      t.dispose([p, g, m, s, vmax].filter((x) => x !== undefined));
    }
  });

  it('over ten consecutive steps on its own outputs (an optimizer run), leaking nothing', () => {
    for (const v of VARIANTS) {
      const init = arrays(517, v.amsgrad, 9);
      let mine: t.Tensor[] = init.filter((_, k) => k !== 1).map((a) => t.tensor1d(a));
      let ref: t.Tensor[] = mine.map((x) => x.clone());
      const grads = Array.from({ length: 10 }, (_, k) => t.tensor1d(wide(517, 20 + k)));
      const before = t.numTensors();
      grads.forEach((grad, k) => {
        const attrs = attrsOf(v, k + 1);
        const [p, m, s, vmax] = mine as [t.Tensor, t.Tensor, t.Tensor, t.Tensor?];
        const out = t.adamUpdate({ param: p, grad, expAvg: m, expAvgSq: s, maxExpAvgSq: vmax }, attrs);
        const next = [out.param, out.expAvg, out.expAvgSq, ...(out.maxExpAvgSq === undefined ? [] : [out.maxExpAvgSq])];
        const refNext = composedAdamUpdate(ref[0] as t.Tensor, grad, ref[1] as t.Tensor, ref[2] as t.Tensor, ref[3], attrs);
        t.dispose([...mine, ...ref]);
        [mine, ref] = [next, refNext];
        expect(t.numTensors()).toBe(before);
      });
      expectSameBits(
        mine.map((x) => x.dataSync()),
        ref.map((x) => x.dataSync()),
      );
      t.dispose([...mine, ...ref, ...grads]);
    }
  });

  it('on typed arrays, copying in chunks: the bits of the JS kernel over chunk boundaries (2·16384 + 5 elements)', () => {
    for (const v of VARIANTS) {
      const inputs = arrays(2 * 16384 + 5, v.amsgrad, 3);
      const attrs = attrsOf(v, 4);
      const outputs = inputs.slice(1).map((a) => new Float32Array(a.length));
      adam.update(inputs, outputs, attrs);
      expectSameBits(outputs, jsUpdate(inputs, attrs));
    }
  });

  it("in place on a memory's views at any 4-byte offset, as on tfjs' heap; a memory it cannot import (shared) is copied", () => {
    const n = 1031;
    const attrs = attrsOf(VARIANTS[6] as (typeof VARIANTS)[number], 3); // AdamW, amsgrad
    const inputs = arrays(n, true, 5);
    const want = jsUpdate(inputs, attrs);
    for (const memory of [new WebAssembly.Memory({ initial: 2 }), new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true })]) {
      // nine arrays back to back from byte 4 (so no array is 16-byte aligned)
      const views = Array.from({ length: 9 }, (_, k) => new Float32Array(memory.buffer, 4 + k * (n * 4 + 4), n));
      inputs.forEach((a, k) => (views[k] as Float32Array).set(a));
      adam.update(views.slice(0, 5), views.slice(5), attrs, memory);
      expectSameBits(views.slice(5), want);
      expect(Array.from(views[0] as Float32Array)).toEqual(Array.from(inputs[0] as Float32Array)); // inputs untouched
    }
  });

  it('on special values as the JS kernel: zero, ±∞ and NaN gradients, g² overflowing and underflowing; amsgrad propagates NaN as torch.maximum', () => {
    const g = new Float32Array([0, -0, 1e30, -1e30, 1e-30, 3e-39, Infinity, -Infinity, Number.NaN, 1, 2, Number.NaN, 0.5]);
    const p = new Float32Array([1, -1, 0.5, 2, -3, 1e-20, 1, 0, 1, Infinity, Number.NaN, 2, -0]);
    const zeros = new Float32Array(g.length);
    const vmax = new Float32Array([0, 1, 0, Number.NaN, 0, 0, 0, 0, 5, 0, 0, 0, 0]);
    for (const v of VARIANTS) {
      const attrs = { ...attrsOf(v, 2), weightDecay: v.weightDecay === 0 ? 0 : 0.5 };
      const inputs = v.amsgrad ? [p, g, zeros, zeros, vmax] : [p, g, zeros, zeros];
      const outputs = inputs.slice(1).map(() => new Float32Array(g.length));
      adam.update(inputs, outputs, attrs);
      expectSameBits(outputs, jsUpdate(inputs, attrs));
      if (v.amsgrad) expect(outputs[3]?.[8]).toBeNaN(); // v = NaN there: max(5, NaN) = NaN
    }
  });

  it('refuses mismatched arrays', () => {
    const a = new Float32Array(4);
    const attrs = attrsOf(VARIANTS[0] as (typeof VARIANTS)[number], 1);
    expect(() => adam.update([a, a, a], [a, a], attrs)).toThrow('AdamModule.update: expected 4 inputs and 3 outputs (amsgrad: 5 and 4), got 3 and 2');
    expect(() => adam.update([a, a, a, new Float32Array(3)], [a, a, a], attrs)).toThrow('AdamModule.update: every array needs length 4, got 3');
  });
});
