// The fused mixture kernel (mixture.ts) against the composition of tfjs ops it replaces (the
// log-sum-exp over the four Normal components, as mixtureLogProb computed it before): value and
// gradients in x, every mean, every log weight and σ, on the backend of the run (both in CI).
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { normalMixtureLogProb } from './mixture.js';

import type { Tensor } from '@vitae/tensor';

type Four = [Tensor, Tensor, Tensor, Tensor];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function composed(x: Tensor, means: Four, logWeights: Four, sd: Tensor): Tensor {
  const sdSteady = t.mul(sd, 0.1);
  const terms = means.map((mean, k) => {
    const scale = k === 3 ? sdSteady : sd;
    const z = t.div(t.sub(x, mean), scale);
    return t.add(logWeights[k] as Tensor, t.sub(t.neg(t.add(t.mul(t.square(z), 0.5), t.log(scale))), HALF_LOG_2PI));
  });
  const top = t.maximum(t.maximum(terms[0] as Tensor, terms[1] as Tensor), t.maximum(terms[2] as Tensor, terms[3] as Tensor));
  return t.add(top, t.log(t.addN(terms.map((l) => t.exp(t.sub(l, top))))));
}

function maxRelative(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let scale = 0;
  for (const v of y) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)) / (Math.abs(y[i] as number) + 1e-3 * scale));
  return worst;
}

describe('normalMixtureLogProb (fused kernel)', () => {
  const B = 37;
  const G = 23;
  const make = () => {
    const x = t.mul(t.randomUniform([B, G], { seed: 1 }), 3);
    // means near and far from x, one state with mean 0 (repression steady) as in veloVI
    const means = [0, 1, 2].map((k) => t.mul(t.randomUniform([B, G], { seed: 10 + k }), 2 + k)) as Tensor[];
    means.push(t.zeros([B, G]));
    const w = t.softmax(t.mul(t.randomNormal([B, G, 4], { seed: 20 }), 3), -1);
    const logWeights = t.unstack(t.transpose(t.log(t.clipByValue(w, 1e-7, 1)), [2, 0, 1]), 0);
    const sd = t.add(t.mul(t.randomUniform([G], { seed: 30 }), 0.9), 0.05);
    return { x, means: means as Four, logWeights: logWeights as Four, sd };
  };

  it('value and every gradient agree with the composed ops', () => {
    const { x, means, logWeights, sd } = make();
    const inputs = [x, ...means, ...logWeights, sd];
    const f = (fn: typeof composed) => (...a: Tensor[]) => t.sum(t.mul(fn(a[0] as Tensor, a.slice(1, 5) as Four, a.slice(5, 9) as Four, a[9] as Tensor), t.randomUniform([B, G], { seed: 40 })));
    const fused = normalMixtureLogProb(x, means, logWeights, sd);
    const reference = composed(x, means, logWeights, sd);
    expect(maxRelative(fused, reference)).toBeLessThan(2e-6);
    const gFused = t.grads(f(normalMixtureLogProb))(inputs);
    const gComposed = t.grads(f(composed))(inputs);
    gFused.forEach((g, i) => {
      expect(g.shape).toEqual(inputs[i]?.shape);
      expect(maxRelative(g, gComposed[i] as Tensor), `gradient ${i}`).toBeLessThan(1e-4);
    });
    t.dispose([fused, reference, ...gFused, ...gComposed, ...inputs]);
  });

  it('leaks no tensors, with and without a gradient', () => {
    const { x, means, logWeights, sd } = make();
    const sdVar = t.variable(sd);
    const before = t.memory().numTensors;
    for (let r = 0; r < 3; r++) {
      t.tidy(() => normalMixtureLogProb(x, means, logWeights, sd)).dispose();
      const { value, grads } = t.variableGrads(() => t.sum(normalMixtureLogProb(x, means, logWeights, sdVar)) as t.Scalar, [sdVar]);
      t.dispose([value, ...Object.values(grads)]);
      const g = t.grads((a: Tensor, s: Tensor) => t.sum(normalMixtureLogProb(x, [a, means[1], means[2], means[3]], logWeights, s)))([means[0], sd]);
      t.dispose(g);
    }
    expect(t.memory().numTensors).toBe(before);
    t.dispose([x, ...means, ...logWeights, sd, sdVar]);
  });
});
