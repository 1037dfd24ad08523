// g / Σg per row and its gradient (assembly/normalize.ts, float32; SIMD rows of 4) against
// @vitae/tensor's float64 JS kernel (normalizeLastAxisJs), on typed arrays for k = 4 (veloVI), 3
// and 2, and through the kernels on the current backend; errors that name the argument.
import * as t from '@vitae/tensor';
import { SimplexKernel, arrayKernelProvider, normalizeLastAxisJs, runArrayKernel } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';
import { maxRelative } from '../test/compare.js';

import type { KernelModule } from './index.js';

let kernels: KernelModule;
beforeAll(async () => {
  kernels = await installWasmKernels();
});

function reference(g: Float32Array, k: number, dy: Float32Array | null): Float32Array {
  const out = new Float32Array(g.length);
  normalizeLastAxisJs({ inputs: dy === null ? [g] : [g, dy], inputShapes: [[g.length / k, k]], outputs: [out], outputShapes: [], attrs: {} });
  return out;
}

describe('normalizeRows (SIMD) against the float64 JS kernel', () => {
  for (const k of [4, 3, 2]) {
    it(`value and gradient (k = ${k}, more rows than one chunk)`, () => {
      const prng = new t.Prng(k);
      const n = 5000 * k;
      // gamma-like draws: from 1e-6 to 10
      const g = Float32Array.from({ length: n }, () => Math.exp(-14 + 16 * prng.nextDouble()));
      const dy = Float32Array.from({ length: n }, () => prng.nextNormal());
      for (const d of [null, dy]) {
        const out = new Float32Array(n);
        kernels.normalizeRows(g, k, d, out);
        // float32 sums of k terms against float64: a few ulps, more where dy − Σ dy·x cancels
        expect(maxRelative(out, reference(g, k, d)), d === null ? 'value' : 'gradient').toBeLessThan(1e-5);
      }
    });
  }

  it('runs as the NormalizeLastAxis kernels on the current backend, leaking nothing', () => {
    expect(arrayKernelProvider(SimplexKernel.NormalizeLastAxis)).toBe(WASM_SIMD_PROVIDER);
    expect(arrayKernelProvider(SimplexKernel.NormalizeLastAxisGrad)).toBe(WASM_SIMD_PROVIDER);
    const before = t.memory().numTensors;
    t.tidy(() => {
      const g = t.add(t.randomUniform([3, 5, 4], { seed: 1 }), 0.1);
      const dy = t.randomNormal([3, 5, 4], { seed: 2 });
      const value = runArrayKernel(SimplexKernel.NormalizeLastAxis, { g }) as t.Tensor;
      const grad = runArrayKernel(SimplexKernel.NormalizeLastAxisGrad, { g, dy }) as t.Tensor;
      const want = new Float32Array(60);
      kernels.normalizeRows(g.dataSync() as Float32Array, 4, null, want);
      expect(Array.from(value.dataSync())).toEqual(Array.from(want));
      kernels.normalizeRows(g.dataSync() as Float32Array, 4, dy.dataSync() as Float32Array, want);
      expect(Array.from(grad.dataSync())).toEqual(Array.from(want));
    });
    expect(t.memory().numTensors).toBe(before);
  });

  it('names the argument it rejects', () => {
    const g = new Float32Array(8);
    expect(() => kernels.normalizeRows(g, 3, null, new Float32Array(8))).toThrow(/KernelModule.normalizeRows: argument 'k' must be a positive integer dividing g's length 8, got 3/);
    expect(() => kernels.normalizeRows(g, 4, new Float32Array(4), new Float32Array(8))).toThrow(/argument 'dy' must have g's length 8, got 4/);
  });
});
