// KL(Dir(αp) || Dir(αq)) has its gradient written out (continuous.ts); tfjs' autodiff of the
// same formula composed of ops is the reference, for both arguments and with broadcasting.
import { Dirichlet } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { klDirichletDirichlet } from './continuous.js';

import type { Tensor } from '@vitae/tensor';

/** The closed form composed of tfjs ops, differentiated by tfjs. */
function composedKl(ap: Tensor, aq: Tensor): Tensor {
  const sumP = t.sum(ap, -1);
  const sumQ = t.sum(aq, -1);
  const t1 = t.sub(t.lgamma(sumP), t.lgamma(sumQ));
  const t2 = t.sum(t.sub(t.lgamma(ap), t.lgamma(aq)), -1);
  const t3 = t.sum(t.mul(t.sub(ap, aq), t.sub(t.digamma(ap), t.expandDims(t.digamma(sumP), -1))), -1);
  return t.add(t.sub(t1, t2), t3);
}

function expectClose(actual: Float32Array | Int32Array | Uint8Array, expected: Float32Array | Int32Array | Uint8Array, rel: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs((actual[i] as number) - e), `element ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(e))));
}

describe(`KL(Dirichlet || Dirichlet)'s written-out gradient (${process.env.VITAE_BACKEND} backend)`, () => {
  const cases: Array<[string, number[][] | number[][][], number[][] | number[]]> = [
    ['same shapes', [[2, 1, 0.5, 3], [0.05, 7, 0.3, 1e-3], [40, 2, 2, 0.9]], [[0.25, 0.25, 0.25, 0.25], [1, 2, 3, 4], [0.5, 0.5, 8, 1]]],
    ['q broadcast over the batch', [[[2, 1, 0.5, 3], [0.05, 7, 0.3, 1e-3]], [[40, 2, 2, 0.9], [1, 1, 1, 1]]], [0.25, 0.5, 2, 1]],
  ];
  for (const [name, p, q] of cases) {
    it(`equals tfjs' gradient of the composed formula, for both arguments (${name})`, () => {
      const ap = t.tensor(p);
      const aq = t.tensor(q);
      const weights = t.tidy(() => t.add(t.randomUniform(ap.shape.slice(0, -1), { seed: 3 }), 0.5));
      const before = t.memory().numTensors;
      const fused = t.valueAndGrads((a: Tensor, b: Tensor) => t.sum(t.mul(klDirichletDirichlet(new Dirichlet(a, { validateArgs: false }), new Dirichlet(b, { validateArgs: false })), weights)))([ap, aq]);
      const composed = t.valueAndGrads((a: Tensor, b: Tensor) => t.sum(t.mul(composedKl(t.broadcastTo(a, ap.shape), t.broadcastTo(b, ap.shape)), weights)))([ap, aq]);
      expect(fused.value.dataSync()[0]).toBe(composed.value.dataSync()[0]);
      expect(fused.grads[1]?.shape).toEqual(aq.shape);
      fused.grads.forEach((g, i) => expectClose(g.dataSync(), (composed.grads[i] as Tensor).dataSync(), 1e-5));
      t.dispose([fused.value, ...fused.grads, composed.value, ...composed.grads]);
      expect(t.memory().numTensors).toBe(before);
      t.dispose([ap, aq, weights]);
    });
  }
});
