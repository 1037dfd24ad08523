import { describe, expect, it } from 'vitest';
import * as vt from '@vitae/tensor';
import { fixture, worstRatio } from '../../test/optimizer-problem.js';
import { clipGradNorm, clipGradValue } from '../index.js';

describe('clipGradNorm (torch.nn.utils.clip_grad_norm_)', () => {
  // Tolerance: 1e-6 relative + 1e-7 absolute (float32 sums in a different order than torch's).
  it.each(fixture.clipGradNorm.map((c) => [c.normType, c.maxNorm, c] as const))('normType %s, maxNorm %s matches torch', (_p, _m, c) => {
    const grads = { a: vt.tensor2d(c.grads[0]), b: vt.tensor1d(c.grads[1]) };
    const before = vt.numTensors();
    const { grads: clipped, totalNorm } = clipGradNorm(grads, c.maxNorm, { normType: c.normType });
    expect(vt.numTensors()).toBe(before + 2); // exactly the two returned gradients
    expect(Math.abs(totalNorm - c.totalNorm)).toBeLessThanOrEqual(1e-6 * c.totalNorm);
    expect(worstRatio(clipped.a.dataSync(), c.clipped[0].flat(), 1e-6, 1e-7).ratio).toBeLessThanOrEqual(1);
    expect(worstRatio(clipped.b.dataSync(), c.clipped[1], 1e-6, 1e-7).ratio).toBeLessThanOrEqual(1);
    expect(Array.from(grads.a.dataSync())).toEqual(c.grads[0].flat()); // input untouched
    vt.dispose([grads.a, grads.b, clipped.a, clipped.b]);
  });

  it('accepts a Map<Variable, Tensor> and returns one keyed by the same variables', () => {
    const v = vt.variable(vt.zeros([2]));
    const g = vt.tensor1d([3, 4]);
    const { grads, totalNorm } = clipGradNorm(new Map([[v, g]]), 1);
    expect(totalNorm).toBeCloseTo(5, 5);
    expect(Array.from(grads.get(v)?.dataSync() ?? [])).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    vt.dispose([v, g, ...grads.values()]);
  });

  it('empty gradients give a total norm of 0; a non-finite norm can be an error', () => {
    expect(clipGradNorm({}, 1).totalNorm).toBe(0);
    const g = { x: vt.tensor1d([1, Infinity]) };
    expect(() => clipGradNorm(g, 1, { errorIfNonfinite: true })).toThrow(/total 2-norm of the gradients is Infinity/);
    const { grads } = clipGradNorm(g, 1); // torch's default: scale anyway
    vt.dispose([g.x, grads.x]);
  });

  it('refuses bad arguments with the argument named', () => {
    const g = { x: vt.tensor1d([1, 2]) };
    expect(() => clipGradNorm(g, -1)).toThrow("clipGradNorm: argument 'maxNorm' must be a finite number >= 0, got -1");
    expect(() => clipGradNorm(g, 1, { normType: 0 })).toThrow("clipGradNorm: argument 'normType' must be a finite number > 0 (or Infinity), got 0");
    expect(() => clipGradNorm([g.x] as never, 1)).toThrow(/argument 'grads' must be an object of Tensors/);
    expect(() => clipGradNorm({ x: 3 } as never, 1)).toThrow("clipGradNorm: the gradient of 'x' must be a Tensor, got number 3");
    vt.dispose(g.x);
  });
});

describe('clipGradValue (torch.nn.utils.clip_grad_value_)', () => {
  it('clamps every element to [-clipValue, clipValue] and leaves the input alone', () => {
    const g = { x: vt.tensor1d([-3, -0.5, 0, 0.5, 3]) };
    const out = clipGradValue(g, 1);
    expect(Array.from(out.x.dataSync())).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(Array.from(g.x.dataSync())).toEqual([-3, -0.5, 0, 0.5, 3]);
    expect(() => clipGradValue(g, Number.NaN)).toThrow("clipGradValue: argument 'clipValue' must be a finite number >= 0, got NaN");
    vt.dispose([g.x, out.x]);
  });
});
