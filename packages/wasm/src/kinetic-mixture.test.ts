// veloVI's fused likelihood (assembly/kinetic-mixture.ts, float32 SIMD) against @vitae/tensor's
// float64 JS kernel (kineticMixtureJs, itself checked against central differences there): the
// value and every partial, on typed arrays and through the kernels on the current backend (the
// suite runs on both); rows whose length is not a multiple of 4; the same bits on one and on
// two threads; errors that name the argument.
import * as t from '@vitae/tensor';
import { LikelihoodKernel, arrayKernelProvider, kineticMixtureJs, runArrayKernel } from '@vitae/tensor/kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelModule, WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';
import { maxRelative } from '../test/compare.js';

import type { KineticMixtureAttrs } from '@vitae/tensor/kernels';
import type { KineticGenes } from './kinetic-mixture.js';

const ATTRS: KineticMixtureAttrs = { tMax: 20, eps: 1e-6, lastScale: 0.1, probsEps: 1.1920928955078125e-7 };
const GENE_NAMES = ['alpha', 'beta', 'gamma', 'switchTime', 'u0', 's0', 'sdU', 'sdS'] as const;

interface Case {
  cells: Float32Array[]; // ρ, τ, π (interleaved), u, s
  genes: KineticGenes;
  dy: Float32Array;
}

/** veloVI-like inputs: rates with |γ − β| >= 0.15, switch times in [1, 15], some π at 1e-9 (below the clamp). */
function caseOf(rows: number, g: number, seed: number): Case {
  const prng = new t.Prng(seed);
  const n = rows * g;
  const uniform = (length: number, lo: number, hi: number) => Float32Array.from({ length }, () => lo + (hi - lo) * prng.nextDouble());
  const beta = uniform(g, 0.2, 3);
  const gamma = beta.map((b) => (prng.nextDouble() < 0.5 ? b + 0.2 + prng.nextDouble() : Math.max(b - 0.2 - prng.nextDouble(), 0.05)));
  const genes = { alpha: uniform(g, 0.5, 5), beta, gamma, switchTime: uniform(g, 1, 15), u0: uniform(g, 0, 2), s0: uniform(g, 0, 3), sdU: uniform(g, 0.05, 1), sdS: uniform(g, 0.05, 1) };
  const pi = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const e = [0, 1, 2, 3].map((k) => (k < 3 && prng.nextDouble() < 0.1 ? 1e-9 : Math.exp(2 * prng.nextNormal())));
    const total = e.reduce((a, v) => a + v, 0);
    e.forEach((v, k) => (pi[4 * i + k] = v / total));
  }
  return { cells: [uniform(n, 0, 1), uniform(n, 0, 1), pi, uniform(n, 0, 3), uniform(n, 0, 4)], genes, dy: uniform(n, 0, 1) };
}

/** The JS kernel's outputs: [value] or [∂/∂ρ, ∂/∂τ, ∂/∂π, gene partials]. */
function jsReference(c: Case, grad: boolean): Float32Array[] {
  const n = (c.cells[0] as Float32Array).length;
  const g = c.genes.alpha.length;
  const outputs = grad ? [new Float32Array(n), new Float32Array(n), new Float32Array(4 * n), new Float32Array(8 * g)] : [new Float32Array(n)];
  const inputs = [...c.cells, ...GENE_NAMES.map((name) => c.genes[name]), ...(grad ? [c.dy] : [])];
  kineticMixtureJs({ inputs, inputShapes: [], outputs, outputShapes: [], attrs: ATTRS });
  return outputs;
}

function simd(module: KernelModule, c: Case, grad: boolean): Float32Array[] {
  const n = (c.cells[0] as Float32Array).length;
  const g = c.genes.alpha.length;
  const outputs = grad ? [new Float32Array(n), new Float32Array(n), new Float32Array(4 * n), new Float32Array(8 * g)] : [new Float32Array(n)];
  module.kineticMixture(c.cells, c.genes, grad ? c.dy : null, outputs, ATTRS);
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

describe('kineticMixture (SIMD) against the float64 JS kernel', () => {
  // Float32 bounds. Measured worst: value 1.8e-6; partials 1.5e-5 per element, 8e-5 for the
  // switch times (a sum over cells of terms of both signs). A mean computed in float32 is off by
  // ~1e-7 of its terms (velovi's α/(γ − β) terms reach ~10), and z = (x − m)/σ magnifies that by
  // 1/σ (σ down to 0.05), as in the stock float32 ops.
  const BOUNDS = { value: 5e-6, grad: 2e-4 };
  for (const [rows, g] of [[9, 16], [7, 23], [3, 5]] as const) {
    it(`value and partials (${rows} cells × ${g} genes)`, () => {
      const c = caseOf(rows, g, rows * 100 + g);
      expect(maxRelative(simd(single, c, false)[0] as Float32Array, jsReference(c, false)[0] as Float32Array), 'value').toBeLessThan(BOUNDS.value);
      const got = simd(single, c, true);
      const want = jsReference(c, true);
      ['rho', 'tau', 'pi', 'genes'].forEach((name, j) => {
        if (name !== 'genes') {
          expect(maxRelative(got[j] as Float32Array, want[j] as Float32Array), name).toBeLessThan(BOUNDS.grad);
          return;
        }
        GENE_NAMES.forEach((gene, k) => {
          expect(maxRelative((got[3] as Float32Array).subarray(k * g, (k + 1) * g), (want[3] as Float32Array).subarray(k * g, (k + 1) * g)), gene).toBeLessThan(BOUNDS.grad);
        });
      });
    });
  }

  it('gives the same bits on one and on two threads (a minibatch of veloVI size)', () => {
    const c = caseOf(100, 775, 7);
    expect(threaded.threads).toBe(2);
    for (const grad of [false, true]) {
      const one = simd(single, c, grad);
      const two = simd(threaded, c, grad);
      one.forEach((o, j) => expect(Buffer.from(two[j]?.buffer as ArrayBuffer).equals(Buffer.from(o.buffer)), `output ${j}, grad ${grad}`).toBe(true));
    }
  });

  it('runs as the KineticMixture kernels on the current backend; below 4 genes the JS kernel', () => {
    expect(arrayKernelProvider(LikelihoodKernel.KineticMixture)).toBe(WASM_SIMD_PROVIDER);
    expect(arrayKernelProvider(LikelihoodKernel.KineticMixtureGrad)).toBe(WASM_SIMD_PROVIDER);
    for (const [rows, g] of [[6, 13], [4, 3]] as const) {
      const c = caseOf(rows, g, 5);
      const before = t.memory().numTensors;
      t.tidy(() => {
        const named = {
          rho: t.tensor2d(c.cells[0] as Float32Array, [rows, g]), tau: t.tensor2d(c.cells[1] as Float32Array, [rows, g]), pi: t.tensor3d(c.cells[2] as Float32Array, [rows, g, 4]),
          u: t.tensor2d(c.cells[3] as Float32Array, [rows, g]), s: t.tensor2d(c.cells[4] as Float32Array, [rows, g]),
          ...Object.fromEntries(GENE_NAMES.map((name) => [name, t.tensor1d(c.genes[name])])),
        };
        const value = runArrayKernel<KineticMixtureAttrs>(LikelihoodKernel.KineticMixture, named, ATTRS) as t.Tensor;
        const partials = runArrayKernel<KineticMixtureAttrs>(LikelihoodKernel.KineticMixtureGrad, { ...named, dy: t.tensor2d(c.dy, [rows, g]) }, ATTRS) as t.Tensor[];
        const want = [...jsReference(c, false), ...jsReference(c, true)];
        const expected = g < 4 ? want : [...simd(kernels, c, false), ...simd(kernels, c, true)];
        [value, ...partials].forEach((out, j) => expect(Array.from(out.dataSync()), `output ${j}`).toEqual(Array.from(expected[j] as Float32Array)));
      });
      expect(t.memory().numTensors).toBe(before);
    }
  });

  it('names the argument it rejects', () => {
    const c = caseOf(2, 4, 1);
    const out = [new Float32Array(8)];
    expect(() => single.kineticMixture(c.cells, { ...c.genes, sdS: new Float32Array(3) }, null, out, ATTRS)).toThrow(/KernelModule.kineticMixture: every gene input needs length 4, got 3/);
    const three = caseOf(2, 3, 1);
    expect(() => single.kineticMixture(three.cells, three.genes, null, [new Float32Array(6)], ATTRS)).toThrow(/the gene inputs' length must be at least 4 and divide the cell inputs' 6, got 3/);
    expect(() => single.kineticMixture(c.cells, c.genes, new Float32Array(7), out, ATTRS)).toThrow(/argument 'dy' must have length 8, got 7/);
    expect(() => single.kineticMixture(c.cells, c.genes, null, [], ATTRS)).toThrow(/argument 'outputs' must hold 1 arrays, got 0/);
    expect(() => single.kineticMixture(c.cells.slice(0, 4), c.genes, null, out, ATTRS)).toThrow(/argument 'cells' must hold 5 arrays \(rho, tau, pi, u, s\), got 4/);
  });
});
