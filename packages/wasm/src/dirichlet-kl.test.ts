// KL(Dir(p) ‖ Dir(q)) per row (assembly/dirichlet-kl.ts, float32 SIMD special functions) against
// @vitae/tensor's float64 JS kernel (dirichletKlJs, checked against central differences there):
// value and both partials for several K, on typed arrays and through the kernels on the current
// backend; the same bits on one and on two threads; errors that name the argument.
import * as t from '@vitae/tensor';
import { SpecialKernel, arrayKernelProvider, dirichletKlJs, runArrayKernel } from '@vitae/tensor/kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelModule, WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';
import { maxRelative } from '../test/compare.js';

interface Case {
  p: Float32Array;
  q: Float32Array;
  dy: Float32Array;
  rows: number;
  k: number;
}

/** Concentrations from 0.05 to 20 (veloVI's decoder), q mostly veloVI's prior 0.25. */
function caseOf(rows: number, k: number, seed: number): Case {
  const prng = new t.Prng(seed);
  const n = rows * k;
  const p = Float32Array.from({ length: n }, () => Math.exp(-3 + 6 * prng.nextDouble()));
  const q = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? Math.exp(-2 + 4 * prng.nextDouble()) : 0.25));
  const dy = Float32Array.from({ length: rows }, () => prng.nextDouble());
  return { p, q, dy, rows, k };
}

function jsReference(c: Case, grad: boolean): Float32Array[] {
  const outputs = grad ? [new Float32Array(c.rows * c.k), new Float32Array(c.rows * c.k)] : [new Float32Array(c.rows)];
  const inputs = grad ? [c.p, c.q, c.dy] : [c.p, c.q];
  dirichletKlJs({ inputs, inputShapes: [[c.rows, c.k]], outputs, outputShapes: [], attrs: {} });
  return outputs;
}

function simd(module: KernelModule, c: Case, grad: boolean): Float32Array[] {
  const outputs = grad ? [new Float32Array(c.rows * c.k), new Float32Array(c.rows * c.k)] : [new Float32Array(c.rows)];
  module.dirichletKl(c.p, c.q, c.k, grad ? c.dy : null, outputs);
  return outputs;
}

let kernels: KernelModule;
let single: KernelModule;
let threaded: KernelModule;
beforeAll(async () => {
  kernels = await installWasmKernels();
  single = await KernelModule.load(1);
  threaded = await KernelModule.load(2);
});
afterAll(async () => {
  await threaded.setThreads(1);
});

describe('dirichletKl (SIMD) against the float64 JS kernel', () => {
  for (const k of [4, 3, 9]) {
    it(`value and partials (K = ${k})`, () => {
      const c = caseOf(37, k, k);
      // float32 lgamma / digamma / trigamma (~1e-7 relative each) in sums and differences of terms
      // of both signs (ψ(0.25) ≈ −4.2): measured worst 2.2e-5, for ∂/∂q at K = 9
      expect(maxRelative(simd(single, c, false)[0] as Float32Array, jsReference(c, false)[0] as Float32Array), 'value').toBeLessThan(5e-5);
      const got = simd(single, c, true);
      const want = jsReference(c, true);
      expect(maxRelative(got[0] as Float32Array, want[0] as Float32Array), 'p').toBeLessThan(5e-5);
      expect(maxRelative(got[1] as Float32Array, want[1] as Float32Array), 'q').toBeLessThan(5e-5);
    });
  }

  it('gives the same bits on one and on two threads (veloVI size: 256 × 775 rows of 4)', () => {
    const c = caseOf(256 * 775, 4, 11);
    expect(threaded.threads).toBe(2);
    for (const grad of [false, true]) {
      const one = simd(single, c, grad);
      const two = simd(threaded, c, grad);
      one.forEach((o, j) => expect(Buffer.from(two[j]?.buffer as ArrayBuffer).equals(Buffer.from(o.buffer)), `output ${j}, grad ${grad}`).toBe(true));
    }
  });

  it('runs as the DirichletKl kernels on the current backend, leaking nothing', () => {
    expect(arrayKernelProvider(SpecialKernel.DirichletKl)).toBe(WASM_SIMD_PROVIDER);
    expect(arrayKernelProvider(SpecialKernel.DirichletKlGrad)).toBe(WASM_SIMD_PROVIDER);
    const c = caseOf(12, 4, 3);
    const before = t.memory().numTensors;
    t.tidy(() => {
      const p = t.tensor3d(c.p, [3, 4, 4]);
      const q = t.tensor3d(c.q, [3, 4, 4]);
      const value = runArrayKernel(SpecialKernel.DirichletKl, { p, q }) as t.Tensor;
      const partials = runArrayKernel(SpecialKernel.DirichletKlGrad, { p, q, dy: t.tensor2d(c.dy, [3, 4]) }) as t.Tensor[];
      expect(value.shape).toEqual([3, 4]);
      const expected = [...simd(kernels, c, false), ...simd(kernels, c, true)];
      [value, ...partials].forEach((out, j) => expect(Array.from(out.dataSync()), `output ${j}`).toEqual(Array.from(expected[j] as Float32Array)));
    });
    expect(t.memory().numTensors).toBe(before);
  });

  it('names the argument it rejects', () => {
    const c = caseOf(2, 4, 1);
    expect(() => single.dirichletKl(c.p, c.q, 3, null, [new Float32Array(2)])).toThrow(/KernelModule.dirichletKl: argument 'k' must be a positive integer dividing p's length 8, got 3/);
    expect(() => single.dirichletKl(c.p, c.q.subarray(1), 4, null, [new Float32Array(2)])).toThrow(/argument 'q' must have p's length 8, got 7/);
    expect(() => single.dirichletKl(c.p, c.q, 4, new Float32Array(3), [new Float32Array(8), new Float32Array(8)])).toThrow(/argument 'dy' must have length 2 \(one per row\), got 3/);
    expect(() => single.dirichletKl(c.p, c.q, 4, null, [new Float32Array(3)])).toThrow(/every output needs length 2, got 3/);
  });
});
