// KL(Dir(p) ‖ Dir(q)) per row (assembly/dirichlet-kl.ts, float32 SIMD special functions) against
// @vitae/tensor's float64 JS kernel (dirichletKlJs, checked against central differences there):
// every form (value, value with ∂/∂p, both partials, ∂/∂q) for several K, on typed arrays and through the kernels on the current
// backend; the same bits on one and on two threads; errors that name the argument.
import * as t from '@vitae/tensor';
import { SpecialKernel, arrayKernelProvider, dirichletKlJs, runArrayKernel } from '@vitae/tensor/kernels';
import type { DirichletKlAttrs, DirichletKlForm, DirichletKlGradAttrs } from '@vitae/tensor/kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelModule, WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';
import { dirichletKlTakesDy } from './dirichlet-kl.js';
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

const FORMS: readonly DirichletKlForm[] = ['value', 'value-gradP', 'grads', 'gradQ'];

/** Empty outputs of a form: [rows] for a value, [rows·k] for a partial. */
function outputsOf(c: Case, form: DirichletKlForm): Float32Array[] {
  const sizes = { value: [c.rows], 'value-gradP': [c.rows, c.rows * c.k], grads: [c.rows * c.k, c.rows * c.k], gradQ: [c.rows * c.k] }[form];
  return sizes.map((n) => new Float32Array(n));
}

function jsReference(c: Case, form: DirichletKlForm): Float32Array[] {
  const outputs = outputsOf(c, form);
  const inputs = dirichletKlTakesDy(form) ? [c.p, c.q, c.dy] : [c.p, c.q];
  const attrs = { gradP: form === 'value-gradP', wrtP: form !== 'gradQ' };
  dirichletKlJs({ inputs, inputShapes: [[c.rows, c.k]], outputs, outputShapes: [], attrs });
  return outputs;
}

function simd(module: KernelModule, c: Case, form: DirichletKlForm): Float32Array[] {
  const outputs = outputsOf(c, form);
  module.dirichletKl(c.p, c.q, c.k, dirichletKlTakesDy(form) ? c.dy : null, outputs, form);
  return outputs;
}

const sameBits = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

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
    it(`value and partials in every form (K = ${k})`, () => {
      const c = caseOf(37, k, k);
      // float32 lgamma / digamma / trigamma (~1e-7 relative each) in sums and differences of terms
      // of both signs (ψ(0.25) ≈ −4.2): measured worst 2.2e-5, for ∂/∂q at K = 9
      for (const form of FORMS) {
        const got = simd(single, c, form);
        const want = jsReference(c, form);
        got.forEach((o, j) => expect(maxRelative(o, want[j] as Float32Array), `${form}, output ${j}`).toBeLessThan(5e-5));
      }
    });
  }

  it('computes each quantity alike in every form: the value, ∂/∂p (dy = 1) and ∂/∂q to the bit', () => {
    const c = caseOf(53, 4, 5);
    const ones = { ...c, dy: new Float32Array(c.rows).fill(1) };
    const [value] = simd(single, c, 'value') as [Float32Array];
    const [value2, gradP] = simd(single, c, 'value-gradP') as [Float32Array, Float32Array];
    const [gradPOfOnes] = simd(single, ones, 'grads') as [Float32Array];
    const [, gradQ] = simd(single, c, 'grads') as [Float32Array, Float32Array];
    const [gradQAlone] = simd(single, c, 'gradQ') as [Float32Array];
    expect(sameBits(value2, value), 'value').toBe(true);
    expect(sameBits(gradP, gradPOfOnes), '∂/∂p').toBe(true);
    expect(sameBits(gradQAlone, gradQ), '∂/∂q').toBe(true);
  });

  it('gives the same bits on one and on two threads in every form (veloVI size: 256 × 775 rows of 4)', () => {
    const c = caseOf(256 * 775, 4, 11);
    expect(threaded.threads).toBe(2);
    for (const form of FORMS) {
      const one = simd(single, c, form);
      const two = simd(threaded, c, form);
      one.forEach((o, j) => expect(sameBits(two[j] as Float32Array, o), `output ${j}, ${form}`).toBe(true));
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
      const dy = t.tensor2d(c.dy, [3, 4]);
      const value = runArrayKernel(SpecialKernel.DirichletKl, { p, q }) as t.Tensor;
      const withGradP = runArrayKernel<DirichletKlAttrs>(SpecialKernel.DirichletKl, { p, q }, { gradP: true }) as t.Tensor[];
      const partials = runArrayKernel(SpecialKernel.DirichletKlGrad, { p, q, dy }) as t.Tensor[];
      const gradQ = runArrayKernel<DirichletKlGradAttrs>(SpecialKernel.DirichletKlGrad, { p, q, dy }, { wrtP: false }) as t.Tensor;
      expect(value.shape).toEqual([3, 4]);
      expect(withGradP.map((o) => o.shape)).toEqual([[3, 4], [3, 4, 4]]);
      expect(gradQ.shape).toEqual([3, 4, 4]);
      const got = [value, ...withGradP, ...partials, gradQ];
      const expected = FORMS.flatMap((form) => simd(kernels, c, form));
      got.forEach((out, j) => expect(Array.from(out.dataSync()), `output ${j}`).toEqual(Array.from(expected[j] as Float32Array)));
    });
    expect(t.memory().numTensors).toBe(before);
  });

  it('names the argument it rejects', () => {
    const c = caseOf(2, 4, 1);
    expect(() => single.dirichletKl(c.p, c.q, 3, null, [new Float32Array(2)])).toThrow(/KernelModule.dirichletKl: argument 'k' must be a positive integer dividing p's length 8, got 3/);
    expect(() => single.dirichletKl(c.p, c.q.subarray(1), 4, null, [new Float32Array(2)])).toThrow(/argument 'q' must have p's length 8, got 7/);
    expect(() => single.dirichletKl(c.p, c.q, 4, new Float32Array(3), [new Float32Array(8), new Float32Array(8)])).toThrow(/argument 'dy' must have length 2 \(one per row\), got 3/);
    expect(() => single.dirichletKl(c.p, c.q, 4, null, [new Float32Array(3)])).toThrow(/output 0 of the form 'value' needs length 2, got 3/);
    expect(() => single.dirichletKl(c.p, c.q, 4, null, [new Float32Array(2)], 'gradQ')).toThrow(/argument 'dy' is required for the form 'gradQ', got null/);
    expect(() => single.dirichletKl(c.p, c.q, 4, c.dy, [new Float32Array(2), new Float32Array(8)], 'value-gradP')).toThrow(/argument 'dy' must be null for the form 'value-gradP'/);
    expect(() => single.dirichletKl(c.p, c.q, 4, null, [new Float32Array(2)], 'hessian' as DirichletKlForm)).toThrow(/argument 'form' must be one of 'value', 'grads', 'value-gradP', 'gradQ', got hessian/);
  });
});
