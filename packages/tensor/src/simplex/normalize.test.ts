// normalizeLastAxis against g / Σg in tfjs ops and their autodiff, on both backends; K = 1, 4, 7;
// no tensors left; errors name the argument.
import { describe, expect, it } from 'vitest';
import * as t from '../index.js';

import type { Tensor } from '../index.js';

/** max |a − b| / (|b| + 1e-3 · max |b| + 1e-6): the float32 reference's ∂L/∂x − Σ ∂L/∂x·x cancels near 0. */
function maxRelative(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let scale = 0;
  for (const v of y) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)) / (Math.abs(y[i] as number) + 1e-3 * scale + 1e-6));
  return worst;
}

describe(`normalizeLastAxis (${t.getBackend()} backend)`, () => {
  for (const k of [1, 4, 7]) {
    it(`value and gradient agree with the composed ops (K = ${k}), no tensors left`, () => {
      const g = t.tidy(() => t.add(t.mul(t.randomUniform([5, 6, k], { seed: k }), 3), 0.01));
      const weight = t.randomNormal([5, 6, k], { seed: 10 + k });
      const before = t.memory().numTensors;
      t.tidy(() => {
        const composed = (x: Tensor) => t.div(x, t.sum(x, -1, true));
        expect(maxRelative(t.normalizeLastAxis(g), composed(g))).toBeLessThan(1e-6);
        const fused = t.grad((x: Tensor) => t.sum(t.mul(t.normalizeLastAxis(x), weight)))(g);
        const reference = t.grad((x: Tensor) => t.sum(t.mul(composed(x), weight)))(g);
        expect(fused.shape).toEqual([5, 6, k]);
        // K = 1: x = 1 whatever g, so the gradient is 0 up to rounding
        expect(maxRelative(fused, reference)).toBeLessThan(k === 1 ? 1 : 1e-5);
        if (k === 1) expect(Math.max(...Array.from(fused.dataSync()).map(Math.abs))).toBeLessThan(1e-6);
      });
      expect(t.memory().numTensors).toBe(before);
      t.dispose([g, weight]);
    });
  }

  it('names the argument it rejects', () => {
    expect(() => t.normalizeLastAxis(t.scalar(1))).toThrow(/normalizeLastAxis: argument 'g' must be a live float32 Tensor of rank >= 1/);
    expect(() => t.normalizeLastAxis([1, 2] as unknown as Tensor)).toThrow(/argument 'g' must be a live float32 Tensor/);
  });
});
