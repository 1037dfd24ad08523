// The DirichletKl kernels (the JS float64 implementation, or @vitae/wasm's where installed)
// against KL(Dir(p) ‖ Dir(q)) evaluated in float64 from its definition per row and the central
// differences of that evaluation for the partials, on both backends; K = 1, 4 (veloVI) and 7;
// every form (value, value with the unscaled ∂/∂p, both partials, ∂/∂q alone); errors name the input.
import { describe, expect, it } from 'vitest';
import * as t from '../index.js';
import { SpecialKernel, runArrayKernel } from '../kernels/index.js';
import { digammaScalar, lgammaScalar } from './scalar.js';

import type { Tensor } from '../index.js';
import type { DirichletKlAttrs, DirichletKlGradAttrs } from './kernel-names.js';

/** KL of one row in float64. */
function klRow(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((a, v) => a + v, 0);
  const sq = q.reduce((a, v) => a + v, 0);
  let value = lgammaScalar(sp) - lgammaScalar(sq);
  p.forEach((pk, k) => {
    const qk = q[k] as number;
    value += lgammaScalar(qk) - lgammaScalar(pk) + (pk - qk) * (digammaScalar(pk) - digammaScalar(sp));
  });
  return value;
}

/** Fourth-order central difference of f at v with step h. */
const derivative = (f: (v: number) => number, v: number, h: number) => (-f(v + 2 * h) + 8 * f(v + h) - 8 * f(v - h) + f(v - 2 * h)) / (12 * h);

/** max |got − want| / (|want| + 1e-3 · max |want| + 1e-6) (K = 1: the KL and its partials are 0). */
function maxRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i] as number));
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) / (Math.abs(want[i] as number) + 1e-3 * scale + 1e-6));
  return worst;
}

describe(`DirichletKl kernels (${t.getBackend()} backend)`, () => {
  for (const k of [1, 4, 7]) {
    it(`value and partials agree with float64 and its central differences (K = ${k}), no tensors left`, () => {
      const rows = 23;
      // concentrations from 0.05 to 20, as veloVI's decoder gives them and its prior (0.25)
      const [p, q, dy] = t.tidy(() => [
        t.exp(t.add(t.mul(t.randomUniform([rows, k], { seed: k }), 6), -3)),
        t.concat([t.fill([rows - 3, k], 0.25), t.exp(t.add(t.mul(t.randomUniform([3, k], { seed: 10 + k }), 4), -2))], 0),
        t.randomUniform([rows], { seed: 20 + k }),
      ]) as [Tensor, Tensor, Tensor];
      const [pa, qa, da] = [p, q, dy].map((x) => Array.from(x.dataSync())) as [number[], number[], number[]];
      const row = (a: number[], r: number) => a.slice(r * k, (r + 1) * k);
      const before = t.memory().numTensors;
      t.tidy(() => {
        const value = runArrayKernel(SpecialKernel.DirichletKl, { p, q }) as Tensor;
        expect(value.shape).toEqual([rows]);
        const want = Array.from({ length: rows }, (_, r) => klRow(row(pa, r), row(qa, r)));
        expect(maxRelative(value.dataSync(), want), 'value').toBeLessThan(1e-6);
        const [dp, dq] = runArrayKernel(SpecialKernel.DirichletKlGrad, { p, q, dy }) as Tensor[] as [Tensor, Tensor];
        expect([dp.shape, dq.shape]).toEqual([[rows, k], [rows, k]]);
        const wantP: number[] = [];
        const wantQ: number[] = [];
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < k; j++) {
            const [pr, qr] = [row(pa, r), row(qa, r)];
            const at = (xs: number[], v: number) => xs.map((x, i) => (i === j ? v : x));
            wantP.push((da[r] as number) * derivative((v) => klRow(at(pr, v), qr), pr[j] as number, 1e-4 * (pr[j] as number)));
            wantQ.push((da[r] as number) * derivative((v) => klRow(pr, at(qr, v)), qr[j] as number, 1e-4 * (qr[j] as number)));
          }
        }
        expect(maxRelative(dp.dataSync(), wantP), 'p').toBeLessThan(1e-6);
        expect(maxRelative(dq.dataSync(), wantQ), 'q').toBeLessThan(1e-6);
        // the other forms: the value with the unscaled ∂/∂p (a recorded forward pass), ∂/∂q alone
        const [value2, gradP] = runArrayKernel<DirichletKlAttrs>(SpecialKernel.DirichletKl, { p, q }, { gradP: true }) as Tensor[] as [Tensor, Tensor];
        expect([value2.shape, gradP.shape]).toEqual([[rows], [rows, k]]);
        expect(Array.from(value2.dataSync()), 'value with ∂/∂p').toEqual(Array.from(value.dataSync()));
        const wantUnscaledP = wantP.map((v, i) => v / (da[Math.floor(i / k)] as number));
        expect(maxRelative(gradP.dataSync(), wantUnscaledP), 'unscaled p').toBeLessThan(1e-6);
        const dqAlone = runArrayKernel<DirichletKlGradAttrs>(SpecialKernel.DirichletKlGrad, { p, q, dy }, { wrtP: false }) as Tensor;
        expect(Array.from(dqAlone.dataSync()), 'q alone').toEqual(Array.from(dq.dataSync()));
      });
      expect(t.memory().numTensors).toBe(before);
      t.dispose([p, q, dy]);
    });
  }

  it('names the input it rejects', () => {
    t.tidy(() => {
      const p = t.ones([3, 4]);
      expect(() => runArrayKernel(SpecialKernel.DirichletKl, { p, q: t.ones([3, 5]) })).toThrow(/VitaeDirichletKl: input 'q' must have the shape of 'p' \[3, 4\], got \[3, 5\]/);
      expect(() => runArrayKernel(SpecialKernel.DirichletKl, { p: t.scalar(1), q: t.scalar(1) })).toThrow(/input 'p' must have shape \[\.\.\., K\] with K >= 1, got \[\]/);
      expect(() => runArrayKernel(SpecialKernel.DirichletKlGrad, { p, q: p, dy: t.ones([4]) })).toThrow(/VitaeDirichletKlGrad: input 'dy' must have shape \[3\] \(p without its last axis\), got \[4\]/);
    });
  });
});
