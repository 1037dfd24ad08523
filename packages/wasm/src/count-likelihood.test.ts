import * as vt from '@vitae/tensor';
import { LikelihoodKernel, composedLogNb, composedLogZinb, countLikelihoodScalar, listArrayKernels } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { edgeGrid, errorScale, scviLike } from '../test/count-likelihood-grid.js';
import { WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';

import type { CountInputs, ErrorScale } from '../test/count-likelihood-grid.js';
import type { KernelModule } from './index.js';

// The SIMD NB / ZINB kernels against the portable float64 implementation of @vitae/tensor (on
// typed arrays, across chunk boundaries, with theta broadcast over rows) and, through the ops,
// against the composed stock ops they replace. Tolerance: TOL times the error scale of a
// float32 evaluation (test/count-likelihood-grid.ts) plus two float32 ulps of the reference and
// 1e-24 (the SIMD kernels flush e^-|z| below e^-60 to 0 in σ and softplus).
const TOL = 1e-6;
const KEYS = ['value', 'dMu', 'dTheta', 'dPi'] as const;
type Key = (typeof KEYS)[number];

let kernels: KernelModule;
beforeAll(async () => {
  kernels = await installWasmKernels();
});

interface Result {
  value: Float32Array;
  dMu: Float32Array;
  dTheta: Float32Array;
  dPi: Float32Array;
}

function simd(inp: CountInputs, zi: boolean, grad: boolean): Result {
  const n = inp.x.length;
  const r = { value: new Float32Array(n), dMu: new Float32Array(n), dTheta: new Float32Array(n), dPi: new Float32Array(n) };
  const outputs = grad ? { value: r.value, mu: r.dMu, theta: r.dTheta, pi: zi ? r.dPi : undefined } : { value: r.value };
  kernels.countLikelihood({ x: inp.x, mu: inp.mu, theta: inp.theta, pi: zi ? inp.pi : undefined }, outputs);
  return r;
}

const at = (a: Float32Array, i: number) => a[i % a.length] as number;

/** Points where |got - want| exceeds TOL · scale + 2 ulps, described. */
function mismatches(inp: CountInputs, zi: boolean, got: Result, want: (i: number, key: Key) => number): string[] {
  const bad: string[] = [];
  for (let i = 0; i < inp.x.length; i++) {
    const scale: ErrorScale = errorScale(at(inp.x, i), at(inp.mu, i), at(inp.theta, i), zi ? at(inp.pi, i) : null);
    for (const key of zi ? KEYS : KEYS.slice(0, 3)) {
      const [g, w] = [got[key][i] as number, want(i, key)];
      const allowed = TOL * scale[key] + 2 ** -22 * Math.abs(w) + 1e-24;
      if (!(Math.abs(g - w) <= allowed)) bad.push(`${key} #${i} (x=${at(inp.x, i)} mu=${at(inp.mu, i)} theta=${at(inp.theta, i)} pi=${at(inp.pi, i)}): ${g} vs ${w}`);
    }
  }
  return bad;
}

function float64(inp: CountInputs, zi: boolean): (i: number, key: Key) => number {
  const r = new Float64Array(4);
  let last = -1;
  return (i, key) => {
    if (i !== last) countLikelihoodScalar(r, true, at(inp.x, i), at(inp.mu, i), at(inp.theta, i), zi ? at(inp.pi, i) : null, 1e-8);
    last = i;
    return r[KEYS.indexOf(key)] as number;
  };
}

describe('SIMD count-likelihood kernels on typed arrays', () => {
  const inputs: [string, CountInputs][] = [
    ['the edge-case grid', edgeGrid()],
    ['scVI-like data over 5 chunks, theta [2005] broadcast over 40 rows', scviLike(40, 2005)],
  ];
  for (const [name, inp] of inputs) {
    for (const zi of [false, true]) {
      it(`${zi ? 'ZINB' : 'NB'}, ${name}: value and partial derivatives match the float64 implementation`, () => {
        const got = simd(inp, zi, true);
        expect(mismatches(inp, zi, got, float64(inp, zi)).slice(0, 5)).toEqual([]);
        expect(Array.from(simd(inp, zi, false).value)).toEqual(Array.from(got.value));
      });
    }
  }
  it('x = NaN gives NaN; pi = ±Infinity gives the limits', () => {
    const inp = { x: Float32Array.of(Number.NaN, 0, 0, 2), mu: Float32Array.of(1, 1, 1, 1), theta: Float32Array.of(2, 2, 2, 2), pi: Float32Array.of(0, -Infinity, Infinity, Infinity) };
    const got = simd(inp, true, true);
    expect(got.value[0]).toBeNaN();
    expect(got.value[1]).toBeCloseTo(-2 * Math.log1p(1 / 2), 6); // NB(0) = (θ/(θ+μ))^θ
    expect(got.value[2]).toBe(0); // always a structural zero
    expect(got.value[3]).toBe(-Infinity);
  });
  it('refuses input lengths that do not divide the output length', () => {
    const a = new Float32Array(6);
    expect(() => kernels.countLikelihood({ x: a, mu: a, theta: new Float32Array(4) }, { value: new Float32Array(6) })).toThrow(/input lengths must divide 6, got 4/);
    expect(() => kernels.countLikelihood({ x: a, mu: a, theta: a }, { value: a, mu: new Float32Array(2), theta: a })).toThrow(/needs length 6, got 2/);
  });
});

describe('the ops run the SIMD kernels and match the composed stock ops', () => {
  it('LogNb and LogZinb (and every other likelihood kernel) report provider wasm-simd', () => {
    const names: string[] = Object.values(LikelihoodKernel);
    expect(names).toEqual(expect.arrayContaining([LikelihoodKernel.LogNb, LikelihoodKernel.LogZinb]));
    expect(listArrayKernels().filter((k) => names.includes(k.kernelName)).map((k) => k.provider)).toEqual(names.map(() => WASM_SIMD_PROVIDER));
  });
  for (const zi of [false, true]) {
    it(`${zi ? 'logZinb' : 'logNb'}: value and gradients in mu, theta, pi over the edge-case grid`, () => {
      const inp = edgeGrid();
      const [x, mu, theta, pi] = [inp.x, inp.mu, inp.theta, inp.pi].map((a) => vt.tensor(a)) as [vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor];
      const run = (f: (m: vt.Tensor, t: vt.Tensor, p: vt.Tensor) => vt.Tensor): Result => {
        const { value, grads } = vt.valueAndGrads((m: vt.Tensor, t: vt.Tensor, p: vt.Tensor) => vt.sum(f(m, t, p)))([mu, theta, pi]);
        value.dispose();
        const values = vt.tidy(() => f(mu, theta, pi));
        const out = { value: values.dataSync() as Float32Array, dMu: grads[0]!.dataSync() as Float32Array, dTheta: grads[1]!.dataSync() as Float32Array, dPi: grads[2]!.dataSync() as Float32Array };
        vt.dispose([values, ...grads]);
        return out;
      };
      // logNb ignores pi: its gradient is 0 (the sum then has a zero-weighted pi term)
      const fused = run((m, t, p) => (zi ? vt.logZinb(x, m, t, p) : vt.add(vt.logNb(x, m, t), vt.mul(p, 0))));
      const composed = run((m, t, p) => (zi ? composedLogZinb(x, m, t, p) : vt.add(composedLogNb(x, m, t), vt.mul(p, 0))));
      expect(mismatches(inp, zi, fused, (i, key) => composed[key][i] as number).slice(0, 5)).toEqual([]);
      vt.dispose([x, mu, theta, pi]);
    });
  }
  it('training steps leak no tensors', () => {
    const inp = scviLike(8, 50);
    const x = vt.tensor(inp.x, [8, 50]);
    const mu = vt.variable(vt.tensor(inp.mu, [8, 50]));
    const theta = vt.variable(vt.tensor(inp.theta));
    const pi = vt.variable(vt.tensor(inp.pi, [8, 50]));
    const step = () =>
      vt.tidy(() => {
        const { value, grads } = vt.variableGrads(() => vt.neg(vt.sum(vt.logZinb(x, mu, theta, pi))) as vt.Scalar, [mu, theta, pi]);
        expect(grads[theta.name]?.shape).toEqual([50]);
        return value;
      });
    step().dispose();
    const before = vt.numTensors();
    for (let i = 0; i < 50; i++) step().dispose();
    expect(vt.numTensors()).toBe(before);
    vt.dispose([x, mu, theta, pi]);
  });
});
