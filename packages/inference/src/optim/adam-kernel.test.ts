import { describe, expect, it } from 'vitest';
import * as vt from '@vitae/tensor';
import { Adam, AdamW } from '../index.js';
import { adamUpdate } from './adam-kernel.js';

// The fused update against torch's algorithm written as separate float32 tfjs ops (what Adam
// ran before the kernel): the same bits, on both backends.
function composed(p: vt.Tensor, g: vt.Tensor, m: vt.Tensor, v: vt.Tensor, o: { lr: number; beta1: number; beta2: number; eps: number; wd: number; decoupled: boolean; step: number }): vt.Tensor[] {
  return vt.tidy(() => {
    let param = p;
    let grad = g;
    if (o.decoupled && o.wd !== 0) param = vt.mul(p, 1 - o.lr * o.wd);
    if (!o.decoupled && o.wd !== 0) grad = vt.add(g, vt.mul(p, o.wd));
    const m1 = vt.add(vt.mul(m, o.beta1), vt.mul(grad, 1 - o.beta1));
    const v1 = vt.add(vt.mul(v, o.beta2), vt.mul(vt.square(grad), 1 - o.beta2));
    const denom = vt.add(vt.div(vt.sqrt(v1), Math.sqrt(1 - o.beta2 ** o.step)), o.eps);
    return [vt.sub(param, vt.mul(vt.div(m1, denom), o.lr / (1 - o.beta1 ** o.step))), m1, v1];
  });
}

const cases = [
  { name: 'Adam, scvi-tools (eps 0.01, L2 1e-6)', lr: 1e-3, eps: 0.01, wd: 1e-6, decoupled: false },
  { name: 'Adam, no weight decay', lr: 3e-3, eps: 1e-8, wd: 0, decoupled: false },
  { name: 'AdamW, veloVI (lr 1e-2, wd 1e-2, eps 0.01)', lr: 1e-2, eps: 0.01, wd: 1e-2, decoupled: true },
];

describe('adamUpdate: one fused kernel, the same float32 bits as the composed ops', () => {
  it.each(cases)('$name, steps 1, 2 and 50', (c) => {
    const n = 4099; // not a multiple of any vector width
    const p = vt.randomNormal([n], { seed: 1 });
    const g = vt.mul(vt.randomNormal([n], { seed: 2 }), vt.exp(vt.mul(vt.randomNormal([n], { seed: 3 }), 3)));
    const m = vt.mul(vt.randomNormal([n], { seed: 4 }), 0.1);
    const v = vt.square(vt.mul(vt.randomNormal([n], { seed: 5 }), 0.1));
    for (const step of [1, 2, 50]) {
      const o = { ...c, beta1: 0.9, beta2: 0.999, step };
      const want = composed(p, g, m, v, o);
      const got = adamUpdate(p, g, m, v, {
        beta1: 0.9, beta2: 0.999, eps: c.eps, l2: c.decoupled ? 0 : c.wd, shrink: c.decoupled ? 1 - c.lr * c.wd : 1,
        stepSize: c.lr / (1 - 0.9 ** step), biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** step),
      });
      got.forEach((t, k) => expect(t.dataSync()).toEqual((want[k] as vt.Tensor).dataSync()));
      vt.dispose([...want, ...got]);
    }
    vt.dispose([p, g, m, v]);
  });

  it('Adam / AdamW steps leak no tensors and match the composed update over 3 steps', () => {
    for (const Kind of [Adam, AdamW]) {
      const p = vt.variable(vt.randomNormal([3, 5], { seed: 7 }));
      let pRef: vt.Tensor = vt.clone(p);
      let mRef: vt.Tensor = vt.zerosLike(p);
      let vRef: vt.Tensor = vt.zerosLike(p);
      const opt = new Kind([p], { lr: 0.01, eps: 1e-3, weightDecay: 0.1 });
      const before = vt.memory().numTensors;
      for (let step = 1; step <= 3; step++) {
        const g = vt.randomNormal([3, 5], { seed: 10 + step });
        opt.step(new Map([[p, g]]));
        const [p1, m1, v1] = composed(pRef, g, mRef, vRef, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-3, wd: 0.1, decoupled: Kind === AdamW, step }) as [vt.Tensor, vt.Tensor, vt.Tensor];
        vt.dispose([pRef, mRef, vRef, g]);
        [pRef, mRef, vRef] = [p1, m1, v1];
        expect(p.dataSync()).toEqual(pRef.dataSync());
      }
      expect(vt.memory().numTensors).toBe(before); // optimizer state kept in place; each reference replaced its predecessor
      opt.dispose();
      vt.dispose([p, pRef, mRef, vRef]);
    }
  });
});
