import { describe, expect, it } from 'vitest';
import { composedLogZinb } from '../../test/composed-count-likelihood.js';
import * as vt from '../index.js';

// Broadcasting: the kernels read inputs whose shape is a suffix of the result's without a
// copy (theta [G] against mu [B, G]); other broadcasts are materialized first. Either way each
// gradient has its argument's shape and is the sum of the full-shape gradient over the
// broadcast axes.
const B = 3;
const G = 5;
const S = 2;

/** Deterministic values spread over [lo, hi) (golden-ratio sequence). */
function values(shape: number[], lo: number, hi: number, offset: number, round = false): vt.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => lo + (((i + offset) * 0.6180339887) % 1) * (hi - lo));
  return vt.tensor(round ? v.map(Math.floor) : v, shape);
}

interface Args {
  x: vt.Tensor;
  mu: vt.Tensor;
  theta: vt.Tensor;
  pi: vt.Tensor;
}

const NAMES = ['x', 'mu', 'theta', 'pi'] as const;

/** The value and the gradients in `names` (each argument of f's Args it differentiates). */
function gradsOf(args: Args, names: readonly (keyof Args)[], f: (a: Args) => vt.Tensor): { value: vt.Tensor; grads: vt.Tensor[] } {
  const value = f(args);
  const grads = vt.grads((...ts: vt.Tensor[]) => f({ ...args, ...Object.fromEntries(names.map((n, k) => [n, ts[k]])) }))(names.map((n) => args[n]));
  return { value, grads };
}

const cases: [string, () => Args][] = [
  ['theta [G] against mu [B, G] (scVI gene dispersion)', () => ({ x: values([B, G], 0, 6, 1, true), mu: values([B, G], 0.1, 9, 2), theta: values([G], 0.2, 5, 3), pi: values([B, G], -3, 3, 4) })],
  ['x [B, G] against mu [S, B, G] (Monte Carlo samples)', () => ({ x: values([B, G], 0, 6, 1, true), mu: values([S, B, G], 0.1, 9, 2), theta: values([G], 0.2, 5, 3), pi: values([B, G], -3, 3, 4) })],
  ['pi [G], theta [B, G]', () => ({ x: values([B, G], 0, 6, 1, true), mu: values([B, G], 0.1, 9, 2), theta: values([B, G], 0.2, 5, 3), pi: values([G], -3, 3, 4) })],
  ['mu [B, 1] against theta [1, G] (materialized)', () => ({ x: values([B, G], 0, 6, 1, true), mu: values([B, 1], 0.1, 9, 2), theta: values([1, G], 0.2, 5, 3), pi: values([B, G], -3, 3, 4) })],
  ['leading ones: x [1, 1, G], mu [G], theta [1], pi []', () => ({ x: values([1, 1, G], 0, 6, 1, true), mu: values([G], 0.1, 9, 2), theta: values([1], 0.2, 5, 3), pi: values([], -3, 3, 4) })],
];

describe('broadcasting', () => {
  for (const [name, make] of cases) {
    for (const zi of [false, true]) {
      it(`${zi ? 'logZinb' : 'logNb'}: ${name}`, () => {
        const args = make();
        const f = (a: Args) => (zi ? vt.logZinb(a.x, a.mu, a.theta, a.pi) : vt.logNb(a.x, a.mu, a.theta));
        const names: readonly (keyof Args)[] = zi ? NAMES : NAMES.slice(0, 3);
        const shape = names.reduce<number[]>((s, n) => broadcastShape(s, args[n].shape), []);
        const full = Object.fromEntries(NAMES.map((n) => [n, vt.add(vt.zeros(shape), args[n])])) as unknown as Args;
        const got = gradsOf(args, names, f);
        const want = gradsOf(full, names, f);
        expect(got.value.shape).toEqual(shape);
        expectClose(got.value, want.value);
        const sums: vt.Tensor[] = [];
        names.forEach((n, k) => {
          const g = got.grads[k] as vt.Tensor;
          expect(g.shape, `gradient of ${n}`).toEqual(args[n].shape);
          sums.push(sumTo(want.grads[k] as vt.Tensor, args[n].shape));
          expectClose(g, sums[k] as vt.Tensor);
        });
        if (zi) {
          const composed = composedLogZinb(full.x, full.mu, full.theta, full.pi);
          expectClose(got.value, composed, 1e-5);
          composed.dispose();
        }
        vt.dispose([...Object.values(args), ...Object.values(full), got.value, want.value, ...got.grads, ...want.grads, ...sums]);
      });
    }
  }
  it('plain numbers and nested arrays are accepted', () => {
    const v = vt.logZinb([[0, 2]], 1.5, [0.5, 3], 0);
    expect(v.shape).toEqual([1, 2]);
    expect(Array.from(v.dataSync()).every(Number.isFinite)).toBe(true);
    v.dispose();
  });
  it('int32 counts are cast', () => {
    const x = vt.tensor([0, 3], undefined, 'int32');
    const [a, b] = [vt.logNb(x, 2, 1.5), vt.logNb([0, 3], 2, 1.5)];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    vt.dispose([x, a, b]);
  });
});

function broadcastShape(a: number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    return da === 1 ? db : da;
  });
}

/** Sums g over the axes a broadcast to g's shape added or stretched. */
function sumTo(g: vt.Tensor, shape: readonly number[]): vt.Tensor {
  const lead = g.rank - shape.length;
  const axes = g.shape.map((d, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && (g.shape[i] as number) !== 1));
  return vt.reshape(axes.length ? vt.sum(g, axes) : g, [...shape]);
}

function expectClose(a: vt.Tensor, b: vt.Tensor, tol = 1e-6): void {
  const [u, v] = [a.dataSync(), b.dataSync()];
  expect(u.length).toBe(v.length);
  const bad = Array.from(u).flatMap((x, i) => (Math.abs(x - (v[i] as number)) <= tol * Math.max(1, Math.abs(v[i] as number)) ? [] : [`#${i}: ${x} vs ${v[i]}`]));
  expect(bad.slice(0, 5)).toEqual([]);
}
