import { describeSpecialFunctionAccuracy } from '@vitae/conformance';
import * as vt from '@vitae/tensor';
import { SpecialKernel, listArrayKernels } from '@vitae/tensor/kernels';
import { describe, expect, it } from 'vitest';
import { WASM_SIMD_PROVIDER } from './index.js';

describe('the SIMD kernels are the special-function implementations after ready()', () => {
  it('every special kernel reports provider wasm-simd', () => {
    const names: string[] = Object.values(SpecialKernel);
    const special = listArrayKernels().filter((k) => names.includes(k.kernelName));
    expect(special.map((k) => k.provider)).toEqual(special.map(() => WASM_SIMD_PROVIDER));
    expect(special.length).toBe(10); // the eight special functions and the Dirichlet KL pair
  });
});

describeSpecialFunctionAccuracy(vt, `special functions (SIMD kernels, ${process.env.VITAE_BACKEND} backend)`);

describe('gradients through the SIMD kernels', () => {
  it('grad of grad of lgamma at 1 is pi^2/6', () => {
    const v = vt.grad(vt.grad((t: vt.Tensor) => vt.lgamma(t)))(vt.scalar(1));
    expect(v.dataSync()[0]).toBeCloseTo(Math.PI ** 2 / 6, 6);
    v.dispose();
  });
  it('1,000 forward and gradient calls leak no tensors', () => {
    const x = vt.tensor([0.5, 2, 7]);
    const before = vt.numTensors();
    const g = vt.grad((t: vt.Tensor) => vt.sum(vt.logBeta(vt.lgamma(t), t)));
    for (let i = 0; i < 1000; i++) {
      vt.digamma(x).dispose();
      g(x).dispose();
    }
    expect(vt.numTensors()).toBe(before);
    x.dispose();
  });
});
