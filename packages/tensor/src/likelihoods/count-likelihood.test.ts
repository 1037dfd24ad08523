import { describe, expect, it } from 'vitest';
import { composedLogNb, composedLogZinb, EPS, f64Reference, grid } from '../../test/composed-count-likelihood.js';
import * as vt from '../index.js';

import type { Point, Reference } from '../../test/composed-count-likelihood.js';

// The fused ops against scvi-tools' formulas composed of stock ops (what they replace) and in
// float64, over a grid with x = 0, x = 1e4, theta from 1e-4 to 1e5, mu = 0 and |pi| up to 30.
// A float32 evaluation of a formula is as accurate as the magnitude of its terms allows
// (lgamma(1e4 + 1e5) ≈ 1.2e6 loses everything below 0.06), so tolerances are relative to that
// magnitude, `scale` (see test/composed-count-likelihood.ts).
const POINTS = grid({
  x: [0, 1, 3, 17, 1e4],
  mu: [0, 1e-3, 0.7, 25, 3e3],
  theta: [1e-4, 0.05, 1.3, 40, 1e5],
  pi: [-30, -2, 0, 2.5, 30],
}).map((p) => ({ x: Math.fround(p.x), mu: Math.fround(p.mu), theta: Math.fround(p.theta), pi: Math.fround(p.pi) }));
const NB_POINTS = POINTS.filter((p) => p.pi === 0);

/** The composed ops' rounding error is within this multiple of the term magnitude. */
const COMPOSED_TOL = 1e-6;

type Key = 'value' | 'dMu' | 'dTheta' | 'dPi';

interface Evaluated {
  value: Float32Array;
  dMu: Float32Array;
  dTheta: Float32Array;
  dPi: Float32Array;
}

function tensors(points: Point[]) {
  const col = (k: keyof Point) => vt.tensor(points.map((p) => p[k]));
  return { x: col('x'), mu: col('mu'), theta: col('theta'), pi: col('pi') };
}

/** Value and gradients (mu, theta, pi) of Σ f, each as one float array per point. */
function evaluate(points: Point[], zeroInflated: boolean, f: (x: vt.Tensor, mu: vt.Tensor, theta: vt.Tensor, pi: vt.Tensor) => vt.Tensor): Evaluated {
  const { x, mu, theta, pi } = tensors(points);
  const value = vt.tidy(() => f(x, mu, theta, pi));
  const params = zeroInflated ? [mu, theta, pi] : [mu, theta];
  const g = vt.grads((...p: vt.Tensor[]) => f(x, p[0] as vt.Tensor, p[1] as vt.Tensor, (p[2] ?? pi) as vt.Tensor))(params);
  const out = {
    value: value.dataSync() as Float32Array,
    dMu: (g[0] as vt.Tensor).dataSync() as Float32Array,
    dTheta: (g[1] as vt.Tensor).dataSync() as Float32Array,
    dPi: zeroInflated ? ((g[2] as vt.Tensor).dataSync() as Float32Array) : new Float32Array(points.length),
  };
  vt.dispose([x, mu, theta, pi, value, ...g]);
  return out;
}

/** The points where |a - b| > tol · scale (+ a float32 rounding of b), described. */
function mismatches(points: Point[], refs: Reference[], key: Key, a: Float32Array, b: ArrayLike<number>, tol: number): string[] {
  const bad: string[] = [];
  points.forEach((p, i) => {
    const [u, v] = [a[i] as number, b[i] as number];
    const allowed = tol * (refs[i] as Reference).scale[key] + 2 ** -23 * Math.abs(v) + 1e-30;
    if (!(Math.abs(u - v) <= allowed)) bad.push(`${key} at x=${p.x} mu=${p.mu} theta=${p.theta} pi=${p.pi}: ${u} vs ${v} (allowed ${allowed.toExponential(2)})`);
  });
  return bad;
}

const cases = [
  { name: 'logNb', zi: false, points: NB_POINTS, fused: vt.logNb, composed: composedLogNb },
  { name: 'logZinb', zi: true, points: POINTS, fused: vt.logZinb, composed: composedLogZinb },
] as const;

for (const c of cases) {
  const keys: Key[] = c.zi ? ['value', 'dMu', 'dTheta', 'dPi'] : ['value', 'dMu', 'dTheta'];
  const call = (f: (...args: vt.Tensor[]) => vt.Tensor) => (x: vt.Tensor, mu: vt.Tensor, theta: vt.Tensor, pi: vt.Tensor) =>
    c.zi ? f(x, mu, theta, pi) : f(x, mu, theta);
  const refs = c.points.map((p) => f64Reference(p, c.zi));

  describe(`${c.name} (fused) over ${c.points.length} grid points`, () => {
    const fused = evaluate(c.points, c.zi, call(c.fused as unknown as (...args: vt.Tensor[]) => vt.Tensor));
    it('value and gradients match the composed ops', () => {
      const composed = evaluate(c.points, c.zi, call(c.composed as unknown as (...args: vt.Tensor[]) => vt.Tensor));
      for (const key of keys) expect(mismatches(c.points, refs, key, fused[key], composed[key], COMPOSED_TOL).slice(0, 5)).toEqual([]);
    });
    it('value and gradients match the formulas in float64 (the JS kernel computes in float64)', () => {
      for (const key of keys) expect(mismatches(c.points, refs, key, fused[key], refs.map((r) => r[key]), 1e-12).slice(0, 5)).toEqual([]);
    });
    it('the value is the same with and without a gradient tape', () => {
      const { x, mu, theta, pi } = tensors(c.points);
      const recorded = vt.grads((m: vt.Tensor) => {
        const v = call(c.fused as unknown as (...args: vt.Tensor[]) => vt.Tensor)(x, m, theta, pi);
        expect(Array.from(v.dataSync())).toEqual(Array.from(fused.value));
        return v;
      })([mu]);
      vt.dispose([x, mu, theta, pi, ...recorded]);
    });
  });
}

describe('the gradient in x (composed ops, computed only when asked)', () => {
  const points = POINTS.filter((p) => p.pi === -2 || p.pi === 2.5);
  for (const zi of [false, true]) {
    it(`${zi ? 'logZinb' : 'logNb'}: matches the composed ops (0 in the zero case of ZINB)`, () => {
      const { x, mu, theta, pi } = tensors(points);
      const dx = (f: (t: vt.Tensor) => vt.Tensor) => vt.grad(f)(x);
      const fused = dx((t) => (zi ? vt.logZinb(t, mu, theta, pi) : vt.logNb(t, mu, theta)));
      // ZINB's gradient in x is NB's where x >= eps and 0 in the zero case (the composed ZINB
      // cannot be differentiated in x: tfjs has no gradient for its case split, `less`)
      const nbDx = dx((t) => composedLogNb(t, mu, theta));
      const composed = zi ? vt.tidy(() => vt.mul(nbDx, vt.cast(vt.greaterEqual(x, EPS), 'float32'))) : nbDx;
      const refs = points.map((p) => f64Reference(p, zi));
      const bad: string[] = [];
      const [a, b] = [fused.dataSync(), composed.dataSync()];
      points.forEach((p, i) => {
        const allowed = COMPOSED_TOL * (refs[i] as Reference).scale.dX + 2 ** -23 * Math.abs(b[i] as number);
        if (!(Math.abs((a[i] as number) - (b[i] as number)) <= allowed)) bad.push(`x=${p.x} mu=${p.mu} theta=${p.theta}: ${a[i]} vs ${b[i]}`);
        if (zi && p.x < EPS) expect(Math.abs(a[i] as number)).toBe(0);
      });
      expect(bad.slice(0, 5)).toEqual([]);
      vt.dispose([x, mu, theta, pi, fused, nbDx, composed]);
    });
  }
});

describe('limits', () => {
  it('pi = -Infinity is the NB likelihood, pi = +Infinity a certain structural zero', () => {
    const x = vt.tensor([0, 4, 0, 4]);
    const pi = vt.tensor([-Infinity, -Infinity, Infinity, Infinity]);
    const zinb = vt.logZinb(x, 2.5, 1.5, pi);
    const nb = vt.logNb(x, 2.5, 1.5);
    const [z, n] = [zinb.dataSync(), nb.dataSync()];
    expect([z[0], z[1]]).toEqual([n[0], n[1]]);
    expect([z[2], z[3]]).toEqual([0, -Infinity]);
    vt.dispose([x, pi, zinb, nb]);
  });
  it('x = NaN gives NaN', () => {
    const v = vt.logZinb([Number.NaN], 1, 1, 0);
    expect(v.dataSync()[0]).toBeNaN();
    v.dispose();
  });
});

describe('second derivatives (the backward pass differentiated) match the composed ops', () => {
  const points = grid({ x: [0, 1, 17], mu: [0.7, 25], theta: [0.05, 1.3, 40], pi: [-2, 2.5] }).map((p) => ({ ...p, mu: Math.fround(p.mu), theta: Math.fround(p.theta) }));
  type F = (x: vt.Tensor, mu: vt.Tensor, theta: vt.Tensor, pi: vt.Tensor) => vt.Tensor;
  const fns: [string, F, F, number][] = [
    ['logNb', (x, m, t) => vt.logNb(x, m, t), (x, m, t) => composedLogNb(x, m, t), 2],
    ['logZinb', (x, m, t, p) => vt.logZinb(x, m, t, p), (x, m, t, p) => composedLogZinb(x, m, t, p), 3],
  ];
  for (const [name, fused, composed, nParams] of fns) {
    it(`${name}: d²/dp² for each parameter, and d/dtheta of d/dmu`, () => {
      const { x, mu, theta, pi } = tensors(points);
      const params = [mu, theta, pi];
      const second = (f: F, k: number, l: number) => {
        const call = (ps: vt.Tensor[]) => vt.sum(f(x, ps[0] as vt.Tensor, ps[1] as vt.Tensor, ps[2] as vt.Tensor));
        const inner = (q: vt.Tensor) => vt.sum(vt.grad((p: vt.Tensor) => call(params.map((v, j) => (j === k ? p : j === l ? q : v))))(params[k] as vt.Tensor));
        return vt.grad(inner)(params[l] as vt.Tensor);
      };
      const pairs: [number, number][] = [...Array.from({ length: nParams }, (_, k): [number, number] => [k, k]), [0, 1]];
      for (const [k, l] of pairs) {
        const [a, b] = [second(fused, k, l), second(composed, k, l)];
        const [u, v] = [a.dataSync(), b.dataSync()];
        const bad = points.flatMap((p, i) =>
          Math.abs((u[i] as number) - (v[i] as number)) <= 1e-4 * Math.max(1, Math.abs(v[i] as number)) ? [] : [`(${k}, ${l}) at x=${p.x} mu=${p.mu} theta=${p.theta} pi=${p.pi}: ${u[i]} vs ${v[i]}`],
        );
        expect(bad.slice(0, 5)).toEqual([]);
        vt.dispose([a, b]);
      }
      vt.dispose([x, mu, theta, pi]);
    });
  }
});
