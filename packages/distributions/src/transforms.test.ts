import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { Categorical, constraints, Dirichlet, Gamma, Normal, transformTo } from './index.js';

/** An argument's constraint (present by construction; the index type allows undefined). */
const need = (c: constraints.Constraint | undefined): constraints.Constraint => c as constraints.Constraint;

// Each continuous constraint's default transform maps all reals into the set and inverts on it,
// so inference code can hold every parameter unconstrained and build any family generically.
describe('transformTo', () => {
  // Within ±10: further out, c + softplus(x) rounds to c itself in float32 when c != 0 (as in torch).
  const reals = [-10, -3, -0.5, 0, 0.7, 4, 10];
  it.each([
    ['Normal.scale (positive, softplus)', need(Normal.argConstraints.scale), [1e-6, 0.3, 1, 7, 1e4]],
    ['Gamma.concentration (positive)', need(Gamma.argConstraints.concentration), [0.05, 2, 500]],
    ['Beta-like unit interval', constraints.unitInterval, [1e-4, 0.2, 0.5, 0.9999]],
    ['interval(-2, 5)', constraints.interval(-2, 5), [-1.9, 0, 4.99]],
    ['greater_than(3)', constraints.greaterThan(3), [3.001, 4, 100]],
    ['Normal.loc (real, identity)', need(Normal.argConstraints.loc), [-5, 0, 2.5]],
  ])('%s: forward lands in the set, inverse(forward(x)) = x, forward(inverse(y)) = y', (_name, constraint, inside) => {
    const tr = transformTo(constraint);
    t.tidy(() => {
      const y = tr.forward(t.tensor(reals));
      expect(constraint.check(y.dataSync(), y.shape)).toBeNull();
      const back = Array.from(tr.forward(tr.inverse(t.tensor(inside))).dataSync());
      inside.forEach((v, i) => expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(1e-5 * Math.abs(v) + 1e-6));
    });
  });

  it('simplex: softmax of the last axis, inverse centred log', () => {
    const tr = transformTo(Categorical.argConstraints.probs as constraints.Constraint);
    t.tidy(() => {
      const y = tr.forward(t.tensor([[3, -1, 0.5], [0, 0, 0]]));
      expect(constraints.simplex.check(y.dataSync(), y.shape)).toBeNull();
      const p = t.tensor([[0.2, 0.3, 0.5]]);
      const raw = tr.inverse(p);
      expect(Math.abs(t.sum(raw).dataSync()[0] as number)).toBeLessThan(1e-5);
      Array.from(tr.forward(raw).dataSync()).forEach((v, i) => expect(v).toBeCloseTo([0.2, 0.3, 0.5][i] as number, 6));
    });
  });

  it('builds a family from unconstrained variables, with gradients', () => {
    const raw = t.variable(transformTo(need(Normal.argConstraints.scale)).inverse(t.tensor([0.5, 2])));
    const g = t.tidy(() => t.grad((r: t.Tensor) => t.sum(new Normal(0, transformTo(need(Normal.argConstraints.scale)).forward(r)).logProb([0.1, 0.1])))(raw));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    t.dispose([raw, g]);
  });

  it('has no transform for discrete or dependent constraints', () => {
    expect(() => transformTo(constraints.nonnegativeInteger)).toThrow(/transformTo: no constraining transform for constraint 'nonnegative_integer' \(it is discrete\)/);
    expect(() => transformTo(constraints.boolean)).toThrow(/it is discrete/);
    // independent(positive, 1) (Dirichlet's concentration) uses the elementwise softplus.
    expect(transformTo(Dirichlet.argConstraints.concentration as constraints.Constraint).name).toBe('softplus');
  });
});
