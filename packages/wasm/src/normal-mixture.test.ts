// The mixture of four Normals (assembly/normal-mixture.ts, float32 SIMD) against @vitae/tensor's
// float64 JS kernel (normalMixtureJs): value and the nine partials, on typed arrays and through
// the kernel on the current backend (the suite runs on both).
import * as t from '@vitae/tensor';
import { LikelihoodKernel, arrayKernelProvider, normalMixtureJs, runArrayKernel } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';

import type { NormalMixtureAttrs } from '@vitae/tensor/kernels';
import type { KernelModule } from './index.js';

let kernels: KernelModule;
beforeAll(async () => {
  kernels = await installWasmKernels();
});

/** x, m0..m3, w0..w3 [rows, g] and sd [g] as veloVI has them: means near and far from x, one at 0, log weights of a softmax. */
function inputsOf(rows: number, g: number, seed: number): Float32Array[] {
  const prng = new t.Prng(seed);
  const n = rows * g;
  const u = (scale: number) => Float32Array.from({ length: n }, () => scale * prng.nextDouble());
  const x = u(3);
  const means = [u(2), u(3), u(4), new Float32Array(n)];
  const weights = Array.from({ length: 4 }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const a = [0, 1, 2, 3].map(() => 3 * prng.nextNormal());
    const top = Math.max(...a);
    const lse = top + Math.log(a.reduce((s, v) => s + Math.exp(v - top), 0));
    a.forEach((v, k) => ((weights[k] as Float32Array)[i] = Math.max(v - lse, Math.log(1e-7))));
  }
  const sd = Float32Array.from({ length: g }, () => 0.05 + 0.9 * prng.nextDouble());
  return [x, ...means, ...weights, sd];
}

function jsReference(inputs: Float32Array[], grad: boolean, lastScale: number): Float32Array[] {
  const n = (inputs[0] as Float32Array).length;
  const outputs = Array.from({ length: grad ? 10 : 1 }, () => new Float32Array(n));
  const attrs: NormalMixtureAttrs = { grad, lastScale };
  normalMixtureJs({ inputs, inputShapes: [], outputs, outputShapes: [], attrs });
  return outputs;
}

/** max |a − b| / (|b| + floor·max|b|) */
function worst(a: Float32Array, b: Float32Array, floor: number): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs((a[i] as number) - (b[i] as number)) / (Math.abs(b[i] as number) + floor * scale));
  return w;
}

describe(`NormalMixture kernel (${process.env.VITAE_BACKEND} backend)`, () => {
  it('agrees with the float64 JS kernel: value to 2e-6, partials to 2e-6 (measured here 1.1e-7 and 4.3e-7) (over chunk boundaries, an odd gene count)', () => {
    const inputs = inputsOf(50, 775, 1); // 38,750 elements: three chunks, rows not aligned to vectors
    for (const lastScale of [0.1, 1]) {
      const want = jsReference(inputs, true, lastScale);
      const got = Array.from({ length: 10 }, () => new Float32Array(want[0]?.length ?? 0));
      kernels.normalMixture(inputs, got, lastScale);
      expect(worst(got[0] as Float32Array, want[0] as Float32Array, 1e-3), 'value').toBeLessThan(2e-6);
      for (let j = 1; j < 10; j++) expect(worst(got[j] as Float32Array, want[j] as Float32Array, 1e-3), `partial ${j}`).toBeLessThan(2e-6);
      const valueOnly = [new Float32Array(want[0]?.length ?? 0)];
      kernels.normalMixture(inputs, valueOnly, lastScale);
      expect(Array.from(valueOnly[0] as Float32Array)).toEqual(Array.from(got[0] as Float32Array));
    }
  });

  it('is the implementation of the kernel once installed; no tensors left', () => {
    expect(arrayKernelProvider(LikelihoodKernel.NormalMixture)).toBe(WASM_SIMD_PROVIDER);
    const inputs = inputsOf(7, 13, 2);
    const want = jsReference(inputs, true, 0.1);
    const names = ['x', 'm0', 'm1', 'm2', 'm3', 'w0', 'w1', 'w2', 'w3', 'sd'];
    const before = t.memory().numTensors;
    const got = t.tidy(() => {
      const tensors = Object.fromEntries(names.map((name, j) => [name, j === 9 ? t.tensor1d(inputs[j] as Float32Array) : t.tensor2d(inputs[j] as Float32Array, [7, 13])]));
      const outs = runArrayKernel<NormalMixtureAttrs>(LikelihoodKernel.NormalMixture, tensors, { grad: true, lastScale: 0.1 }) as t.Tensor[];
      return outs.map((o) => o.dataSync().slice() as Float32Array);
    });
    expect(t.memory().numTensors).toBe(before);
    got.forEach((g, j) => expect(worst(g, want[j] as Float32Array, 1e-3), `output ${j}`).toBeLessThan(2e-6));
  });

  it('names the argument it rejects', () => {
    const inputs = inputsOf(2, 4, 3);
    expect(() => kernels.normalMixture(inputs.slice(0, 9), [new Float32Array(8)], 0.1)).toThrow(/argument 'inputs' must hold 10 arrays/);
    expect(() => kernels.normalMixture(inputs, [new Float32Array(8)], 0)).toThrow(/argument 'lastScale' must be finite and > 0, got 0/);
    expect(() => kernels.normalMixture([...inputs.slice(0, 9), new Float32Array(3)], [new Float32Array(8)], 0.1)).toThrow(/input 9 has length 3, expected a divisor of 8/);
    t.tidy(() => {
      const x = t.zeros([2, 4]);
      const call = (sd: t.Tensor, lastScale = 0.1) =>
        runArrayKernel<NormalMixtureAttrs>(LikelihoodKernel.NormalMixture, { x, m0: x, m1: x, m2: x, m3: x, w0: x, w1: x, w2: x, w3: x, sd }, { grad: false, lastScale });
      expect(() => call(t.ones([3]))).toThrow(/input 'sd' must have shape \[4\]/);
      expect(() => call(t.ones([4]), -1)).toThrow(/attribute 'lastScale' must be finite and > 0, got -1/);
    });
  });
});
