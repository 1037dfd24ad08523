import { describe, expect, it } from 'vitest';
import * as vt from './index.js';

describe('backends', () => {
  it('runs on the backend this vitest project selected', () => {
    expect(vt.getBackend()).toBe(process.env.VITAE_BACKEND);
  });
  it('unknown backend names are refused with the accepted ones listed', async () => {
    await expect(vt.setBackend('webgl' as never)).rejects.toThrow(/setBackend: argument 'name' must be one of 'wasm', 'cpu', got 'webgl'/);
    await expect(vt.setBackend(3 as never)).rejects.toThrow(/got number 3/);
  });
  it('switches back and forth; values agree between backends', async () => {
    const here = vt.getBackend();
    const other = here === 'wasm' ? 'cpu' : 'wasm';
    const x = [0.3, 4, 11];
    const a = Array.from(vt.lgamma(x).dataSync());
    await vt.setBackend(other);
    expect(vt.getBackend()).toBe(other);
    const b = Array.from(vt.lgamma(x).dataSync());
    await vt.setBackend(here);
    expect(b).toEqual(a);
  });
  it('onReady tasks run once, before ready() resolves', async () => {
    let runs = 0;
    vt.onReady(async () => {
      runs++;
    });
    await vt.ready();
    await vt.ready();
    expect(runs).toBe(1);
    expect(() => vt.onReady('x' as never)).toThrow(/onReady: argument 'task' must be a function/);
  });
  it('the wasm backend has SIMD (its binary is embedded in the bundle)', async () => {
    await vt.setBackend('wasm');
    const y = vt.matMul(vt.ones([4, 4]), vt.ones([4, 4]));
    expect(y.dataSync()[0]).toBe(4);
    await vt.setBackend(process.env.VITAE_BACKEND as vt.BackendName);
  });
});

describe('gradients work from plain Node ESM (the bundle registers tfjs-core gradients)', () => {
  it('grad of mean(x^2) is 2x/n', () => {
    const g = vt.grad((x: vt.Tensor) => vt.mean(vt.square(x)))(vt.tensor([1, 2, 3]));
    expect(Array.from(g.dataSync())).toEqual([expect.closeTo(2 / 3, 6), expect.closeTo(4 / 3, 6), expect.closeTo(2, 6)]);
  });
  it('an optimizer step with tfjs adam decreases a loss; stopGradient blocks the gradient', () => {
    const w = vt.variable(vt.tensor([3, -2]));
    const opt = vt.train.adam(0.1);
    const loss = () => vt.sum(vt.square(w)) as vt.Scalar;
    const l0 = loss().dataSync()[0] as number;
    for (let i = 0; i < 20; i++) opt.minimize(loss);
    expect(loss().dataSync()[0]).toBeLessThan(l0);
    const g = vt.grad((x: vt.Tensor) => vt.sum(vt.mul(vt.stopGradient(x), x)))(vt.tensor([2, 5]));
    expect(Array.from(g.dataSync())).toEqual([2, 5]);
  });
});
