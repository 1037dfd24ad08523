import { describe, expect, it } from 'vitest';
import * as t from '../index.js';

// where(mask(x), f(x), g(x)) differentiates through the branch each element takes; the mask itself
// (a comparison or logical op of x) contributes zero (comparisons.ts).
describe('gradients through masks computed from the input', () => {
  it('where(x < 1 and not isNaN(x), x², 3x) has the gradient of the branch taken', () => {
    const before = t.numTensors();
    const g = t.tidy(() => {
      const f = (x: t.Tensor) => {
        const mask = t.logicalAnd(t.less(x, 1), t.logicalNot(t.isNaN(x)));
        return t.sum(t.where(mask, t.square(x), t.mul(x, 3)));
      };
      return Array.from(t.grad(f)(t.tensor([-2, 0.5, 1, 4])).dataSync());
    });
    expect(g).toEqual([-4, 1, 3, 3]);
    expect(t.numTensors()).toBe(before);
  });

  it('every comparison passes a zero gradient to both inputs', () => {
    const ops = [t.less, t.lessEqual, t.greater, t.greaterEqual, t.equal, t.notEqual];
    for (const op of ops) {
      const [ga, gb] = t.tidy(() => t.grads((a: t.Tensor, b: t.Tensor) => t.sum(t.where(op(a, b), a, b)))([t.tensor([1, 2]), t.tensor([2, 2])]).map((x) => Array.from(x.dataSync())));
      expect((ga as number[]).map((v, i) => v + (gb as number[])[i]!), op.name).toEqual([1, 1]);
    }
  });
});
