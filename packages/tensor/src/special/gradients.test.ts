import { loadFixture } from '@vitae/fixtures/load';
import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';

interface Fixture {
  gradients: { x: number[]; dlgamma: number[]; ddigamma: number[]; dtrigamma: number[] };
  logBetaGrad: { a: number[]; b: number[]; da: number[]; db: number[] };
  xlogyGrad: { x: number[]; y: number[]; dx: number[]; dy: number[] };
  log1pExp: { x: number[]; dlog1pExp: number[]; dlogSigmoid: number[] };
  logSumExp: { matrix: number[][]; finiteRowsOfMatrix: number[]; gradRowsOfFinite: number[][] };
}
const fx = loadFixture<Fixture>('special-functions');

/** Gradient tolerance: the derivative is itself a special-function kernel, so the same contract. */
const TOL = 1e-5;
function expectGradClose(actual: vt.Tensor, expected: number[], what: string) {
  const a = actual.dataSync();
  actual.dispose();
  const bad: string[] = [];
  expected.forEach((e, i) => {
    if (!(Math.abs((a[i] as number) - e) <= TOL * Math.max(1, Math.abs(e)))) bad.push(`#${i}: got ${a[i]} want ${e}`);
  });
  expect(bad.slice(0, 5), `${what}: ${bad.length} of ${expected.length} off`).toEqual([]);
}

describe('gradients agree with float64 central finite differences', () => {
  const x = fx.gradients.x;
  it('d lgamma / dx', () => expectGradClose(vt.grad((t: vt.Tensor) => vt.lgamma(t))(vt.tensor(x)), fx.gradients.dlgamma, 'lgamma'));
  it('d digamma / dx', () => expectGradClose(vt.grad((t: vt.Tensor) => vt.digamma(t))(vt.tensor(x)), fx.gradients.ddigamma, 'digamma'));
  it('d trigamma / dx', () => expectGradClose(vt.grad((t: vt.Tensor) => vt.trigamma(t))(vt.tensor(x)), fx.gradients.dtrigamma, 'trigamma'));
  it('d logBeta / da and / db', () => {
    const [da, db] = vt.grads((a: vt.Tensor, b: vt.Tensor) => vt.logBeta(a, b))([vt.tensor(fx.logBetaGrad.a), vt.tensor(fx.logBetaGrad.b)]) as [vt.Tensor, vt.Tensor];
    expectGradClose(da, fx.logBetaGrad.da, 'logBeta da');
    expectGradClose(db, fx.logBetaGrad.db, 'logBeta db');
  });
  it('d xlogy / dx and / dy', () => {
    const [dx, dy] = vt.grads((a: vt.Tensor, b: vt.Tensor) => vt.xlogy(a, b))([vt.tensor(fx.xlogyGrad.x), vt.tensor(fx.xlogyGrad.y)]) as [vt.Tensor, vt.Tensor];
    // x = 0 is in the grid: the one-sided limits differ there, torch's convention gives 0 for d/dx.
    const zero = fx.xlogyGrad.x.map((v) => v === 0);
    const dxv = dx.arraySync() as number[];
    dx.dispose();
    fx.xlogyGrad.dx.forEach((e, i) => {
      if (zero[i]) expect(dxv[i]).toBe(0);
      else expect(Math.abs((dxv[i] as number) - e)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(e)));
    });
    expectGradClose(dy, fx.xlogyGrad.dy, 'xlogy dy');
  });
  it('d softplus / dx and d logSigmoid / dx', () => {
    const xs = fx.log1pExp.x;
    expectGradClose(vt.grad((t: vt.Tensor) => vt.softplus(t))(vt.tensor(xs)), fx.log1pExp.dlog1pExp, 'softplus');
    expectGradClose(vt.grad((t: vt.Tensor) => vt.logSigmoid(t))(vt.tensor(xs)), fx.log1pExp.dlogSigmoid, 'logSigmoid');
  });
  it('d logSumExp / dx is the softmax of the row', () => {
    const rows = fx.logSumExp.finiteRowsOfMatrix.map((r) => fx.logSumExp.matrix[r] as number[]);
    const g = vt.grad((t: vt.Tensor) => vt.sum(vt.logSumExp(t, 1)))(vt.tensor(rows));
    expectGradClose(g, fx.logSumExp.gradRowsOfFinite.flat(), 'logSumExp');
  });
  it('broadcast arguments get gradients of their own shape (summed over broadcast axes)', () => {
    const a = vt.tensor([[1.5], [2.5]]);
    const b = vt.tensor([0.5, 1, 2]);
    const [da, db] = vt.grads((p: vt.Tensor, q: vt.Tensor) => vt.logBeta(p, q))([a, b]) as [vt.Tensor, vt.Tensor];
    expect(da.shape).toEqual([2, 1]);
    expect(db.shape).toEqual([3]);
    // d/da Σ_j logBeta(a, b_j) = Σ_j ψ(a) - ψ(a + b_j)
    const want = vt.sum(vt.sub(vt.digamma(vt.tensor([[1.5], [2.5]])), vt.digamma(vt.add(vt.tensor([[1.5], [2.5]]), b))), 1, true);
    expect(Array.from(da.dataSync())).toEqual(Array.from(want.dataSync()).map((v) => expect.closeTo(v, 5)));
    vt.dispose([a, b, da, db, want]);
  });
});

describe('higher derivatives', () => {
  it('grad of grad of lgamma at 1 is pi^2/6', () => {
    const g2 = vt.grad(vt.grad((t: vt.Tensor) => vt.lgamma(t)));
    const v = g2(vt.scalar(1));
    expect(v.dataSync()[0]).toBeCloseTo(Math.PI ** 2 / 6, 6);
    v.dispose();
  });
  it('third derivative of lgamma at 1 is polygamma(2, 1) = -2 zeta(3)', () => {
    const g3 = vt.grad(vt.grad(vt.grad((t: vt.Tensor) => vt.lgamma(t))));
    const v = g3(vt.scalar(1));
    expect(v.dataSync()[0]).toBeCloseTo(-2 * 1.2020569031595942, 5);
    v.dispose();
  });
  it('second derivative of softplus is sigma(x)(1 - sigma(x))', () => {
    const v = vt.grad(vt.grad((t: vt.Tensor) => vt.softplus(t)))(vt.scalar(0.3));
    const s = 1 / (1 + Math.exp(-0.3));
    expect(v.dataSync()[0]).toBeCloseTo(s * (1 - s), 6);
    v.dispose();
  });
});
