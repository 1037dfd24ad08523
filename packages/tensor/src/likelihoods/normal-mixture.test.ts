// The NormalMixture kernel (JS float64 implementation, or @vitae/wasm's where installed) against
// the mixture written in stock ops: the value, and the partials against autodiff of those ops
// (∂/∂σ summed over rows, as σ [G] broadcasts). Errors name the argument.
import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { LikelihoodKernel, runArrayKernel } from '../kernels/index.js';

import type { NormalMixtureAttrs } from '../kernels/index.js';

const B = 5;
const G = 7;
const NAMES = ['x', 'm0', 'm1', 'm2', 'm3', 'w0', 'w1', 'w2', 'w3', 'sd'] as const;

/** log Σ_k exp(w_k − ½ z_k² − log σ_k − ½ log 2π) in stock ops (σ_3 = lastScale σ). */
function composed(t: vt.Tensor[], lastScale: number): vt.Tensor {
  const [x, m0, m1, m2, m3, w0, w1, w2, w3, sd] = t as [vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor];
  const terms = [m0, m1, m2, m3].map((m, k) => {
    const s = k === 3 ? vt.mul(sd, lastScale) : sd;
    const z = vt.div(vt.sub(x, m), s);
    return vt.sub(vt.sub(vt.sub([w0, w1, w2, w3][k] as vt.Tensor, vt.mul(vt.square(z), 0.5)), vt.log(s)), 0.5 * Math.log(2 * Math.PI));
  });
  return vt.logSumExp(vt.stack(terms, -1), -1);
}

function inputs(): vt.Tensor[] {
  return NAMES.map((name, j) => {
    if (name === 'sd') return vt.add(vt.mul(vt.randomUniform([G], { seed: 9 }), 0.9), 0.05);
    if (name.startsWith('w')) return vt.mul(vt.randomUniform([B, G], { seed: j }), -4);
    return vt.mul(vt.randomUniform([B, G], { seed: j }), 3);
  });
}

const close = (a: vt.Tensor, b: vt.Tensor, tol: number): number => {
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)) / (Math.abs(y[i] as number) + tol));
  return worst;
};

describe(`NormalMixture kernel (${process.env.VITAE_BACKEND} backend)`, () => {
  it('value and partials agree with the stock ops and their autodiff, no tensors left', () => {
    const ins = inputs();
    const before = vt.memory().numTensors;
    for (const lastScale of [0.1, 2]) {
      vt.tidy(() => {
        const named = Object.fromEntries(NAMES.map((n, j) => [n, ins[j] as vt.Tensor]));
        const [value, ...partials] = runArrayKernel<NormalMixtureAttrs>(LikelihoodKernel.NormalMixture, named, { grad: true, lastScale }) as vt.Tensor[];
        expect(close(value as vt.Tensor, composed(ins, lastScale), 1e-3)).toBeLessThan(2e-6);
        const grads = vt.grads((...a: vt.Tensor[]) => vt.sum(composed(a, lastScale)))(ins);
        // partials: ∂/∂w_0..3, ∂/∂m_0..3, ∂/∂σ (per element)
        [5, 6, 7, 8, 1, 2, 3, 4].forEach((input, j) => expect(close(partials[j] as vt.Tensor, grads[input] as vt.Tensor, 1e-3), `partial ${j}`).toBeLessThan(1e-4));
        expect(close(vt.sum(partials[8] as vt.Tensor, 0), grads[9] as vt.Tensor, 1e-3), 'sd').toBeLessThan(1e-4);
        const valueOnly = runArrayKernel<NormalMixtureAttrs>(LikelihoodKernel.NormalMixture, named, { grad: false, lastScale }) as vt.Tensor;
        expect(Array.from(valueOnly.dataSync())).toEqual(Array.from((value as vt.Tensor).dataSync()));
      });
    }
    expect(vt.memory().numTensors).toBe(before);
    vt.dispose(ins);
  });

  it('names the input or attribute it rejects', () => {
    vt.tidy(() => {
      const x = vt.zeros([2, 3]);
      const call = (over: Partial<Record<(typeof NAMES)[number], vt.Tensor>>, lastScale = 0.1) =>
        runArrayKernel<NormalMixtureAttrs>(LikelihoodKernel.NormalMixture, { x, m0: x, m1: x, m2: x, m3: x, w0: x, w1: x, w2: x, w3: x, sd: vt.ones([3]), ...over }, { grad: true, lastScale });
      expect(() => call({ w2: vt.zeros([2, 4]) })).toThrow(/VitaeNormalMixture: input 'w2' must have the shape of 'x' \[2, 3\], got \[2, 4\]/);
      expect(() => call({ sd: vt.ones([2]) })).toThrow(/input 'sd' must have shape \[3\] \(the last axis of 'x'\), got \[2\]/);
      expect(() => call({}, Number.NaN)).toThrow(/attribute 'lastScale' must be finite and > 0, got NaN/);
    });
  });
});
