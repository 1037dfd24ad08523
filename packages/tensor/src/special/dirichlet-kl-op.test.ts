// The dirichletKl op: its value is the DirichletKl kernel's, its gradients (∂/∂p saved by the
// recorded forward pass, ∂/∂q from its own kernel) are tfjs' autodiff of the formula composed of
// ops, for p alone, q alone and both, with broadcasting; a constant q runs no gradient kernel;
// a second derivative is refused; no tensors left; errors name the argument.
import { describe, expect, it } from 'vitest';
import * as t from '../index.js';
import { SpecialKernel, runArrayKernel } from '../kernels/index.js';

import type { Tensor } from '../index.js';

/** KL(Dir(p) ‖ Dir(q)) composed of differentiable ops (p, q of one shape). */
function composedKl(p: Tensor, q: Tensor): Tensor {
  const sumP = t.sum(p, -1);
  const sumQ = t.sum(q, -1);
  const rowTerms = t.sub(t.lgamma(sumP), t.lgamma(sumQ));
  const lgammaTerms = t.sum(t.sub(t.lgamma(p), t.lgamma(q)), -1);
  const cross = t.sum(t.mul(t.sub(p, q), t.sub(t.digamma(p), t.expandDims(t.digamma(sumP), -1))), -1);
  return t.add(t.sub(rowTerms, lgammaTerms), cross);
}

/** max |got − want| / max(1, |want|). */
function maxError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) / Math.max(1, Math.abs(want[i] as number)));
  return worst;
}

describe(`dirichletKl op (${t.getBackend()} backend)`, () => {
  const p = t.tensor([[[2, 1, 0.5, 3], [0.05, 7, 0.3, 1e-3]], [[40, 2, 2, 0.9], [1, 1, 1, 1]]]);
  const qFull = t.tensor([[[0.25, 0.25, 0.25, 0.25], [1, 2, 3, 4]], [[0.5, 0.5, 8, 1], [0.3, 0.2, 2, 5]]]);
  const qRow = t.tensor([0.25, 0.5, 2, 1]);
  const weights = t.tensor([[0.7, 1.3], [0.9, 1.1]]);

  it('has the kernel value, [...] without the last axis; outside a tape too, leaving nothing', () => {
    const before = t.memory().numTensors;
    t.tidy(() => {
      const value = t.dirichletKl(p, qFull);
      expect(value.shape).toEqual([2, 2]);
      expect(Array.from(value.dataSync())).toEqual(Array.from((runArrayKernel(SpecialKernel.DirichletKl, { p, q: qFull }) as Tensor).dataSync()));
      expect(Array.from(t.dirichletKl(p, qRow).dataSync())).toEqual(Array.from((runArrayKernel(SpecialKernel.DirichletKl, { p, q: t.broadcastTo(qRow, p.shape) }) as Tensor).dataSync()));
    });
    expect(t.memory().numTensors).toBe(before);
  });

  for (const [name, q] of [['same shapes', qFull], ['q broadcast over the batch', qRow]] as const) {
    for (const wrt of ['p', 'q', 'both'] as const) {
      it(`has the composed formula's gradient with respect to ${wrt} (${name}), leaving nothing`, () => {
        const before = t.memory().numTensors;
        const loss = (kl: (a: Tensor, b: Tensor) => Tensor) => (a: Tensor, b: Tensor) => t.sum(t.mul(kl(a, b), weights));
        const fused = loss((a, b) => t.dirichletKl(a, b));
        const composed = loss((a, b) => composedKl(a, t.broadcastTo(b, p.shape)));
        const pick = (f: (a: Tensor, b: Tensor) => Tensor) =>
          wrt === 'p' ? t.valueAndGrads((a: Tensor) => f(a, q))([p]) : wrt === 'q' ? t.valueAndGrads((b: Tensor) => f(p, b))([q]) : t.valueAndGrads(f)([p, q]);
        const got = pick(fused);
        const want = pick(composed);
        expect(got.grads.map((g) => g.shape)).toEqual(want.grads.map((g) => g.shape));
        expect(maxError(got.value.dataSync(), want.value.dataSync()), 'value').toBeLessThan(1e-5);
        got.grads.forEach((g, i) => expect(maxError(g.dataSync(), (want.grads[i] as Tensor).dataSync()), `gradient ${i}`).toBeLessThan(1e-5));
        t.dispose([got.value, ...got.grads, want.value, ...want.grads]);
        expect(t.memory().numTensors).toBe(before);
      });
    }
  }

  it('runs no gradient kernel for a constant q (veloVI\'s prior): ∂/∂p comes saved from the forward kernel', async () => {
    const profile = await t.profile(() => {
      const { value, grads } = t.valueAndGrads((a: Tensor) => t.sum(t.dirichletKl(a, qRow)))([p]);
      t.dispose([value, ...grads]);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain(SpecialKernel.DirichletKl);
    expect(names).not.toContain(SpecialKernel.DirichletKlGrad);
  });

  it('refuses a second derivative loudly (the saved ∂/∂p would make it silently wrong)', () => {
    const inner = (a: Tensor) => t.grad((b: Tensor) => t.sum(t.dirichletKl(b, qRow)))(a);
    expect(() => t.grad((a: Tensor) => t.sum(inner(a)))(t.tensor([2, 1, 0.5, 3]))).toThrow(/gradient function not found for VitaeDirichletKlGrad/);
  });

  it('names the argument it rejects', () => {
    t.tidy(() => {
      expect(() => t.dirichletKl(t.ones([3, 4]), t.ones([3, 5]))).toThrow(/dirichletKl: arguments 'p' \[3, 4\] and 'q' \[3, 5\] cannot be broadcast together/);
      expect(() => t.dirichletKl(1, 2)).toThrow(/dirichletKl: arguments 'p' and 'q' must have shape \[\.\.\., K\] with K >= 1 \(after broadcasting\), got \[\]/);
      expect(() => t.dirichletKl(t.ones([3, 4]), 'x' as unknown as number)).toThrow(/dirichletKl: argument 'q'/);
    });
  });
});
