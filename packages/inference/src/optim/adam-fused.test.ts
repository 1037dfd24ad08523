import { describe, expect, it } from 'vitest';
import * as vt from '@vitae/tensor';
import { OptimizerKernel, composedAdamUpdate, listArrayKernels } from '@vitae/tensor/kernels';
import { Adam, AdamW } from '../index.js';

// Adam and AdamW run @vitae/tensor's fused adamUpdate (here with @vitae/wasm's SIMD kernel,
// installed by the test setup): their trajectories must be the bits of the composed float32 ops
// the optimizers ran before, on both backends, with no tensor left behind.
const OPTIONS = [
  { Kind: Adam, name: 'Adam (scvi-tools: eps 0.01, L2 1e-6)', options: { lr: 1e-3, eps: 0.01, weightDecay: 1e-6 } },
  { Kind: Adam, name: 'Adam, amsgrad', options: { lr: 1e-2, eps: 1e-8, amsgrad: true } },
  { Kind: AdamW, name: 'AdamW (veloVI: lr 1e-2, wd 1e-2)', options: { lr: 1e-2, weightDecay: 1e-2 } },
  { Kind: AdamW, name: 'AdamW, amsgrad, wd 0', options: { lr: 3e-3, weightDecay: 0, amsgrad: true } },
];

describe('Adam / AdamW with the fused update', () => {
  it('runs the SIMD kernel', () => {
    expect(listArrayKernels().find((k) => k.kernelName === OptimizerKernel.AdamUpdate)?.provider).toBe('wasm-simd');
  });

  it.each(OPTIONS)('$name: four steps on [3, 5] and [1031], the bits of the composed ops, no leaks', ({ Kind, options }) => {
    const params = [vt.variable(vt.randomNormal([3, 5], { seed: 7 })), vt.variable(vt.mul(vt.randomNormal([1031], { seed: 8 }), 1e-3))];
    // reference state per parameter: p, m, v (, vmax)
    let refs: vt.Tensor[][] = params.map((p) => [vt.clone(p), vt.zerosLike(p), vt.zerosLike(p), ...(options.amsgrad ? [vt.zerosLike(p)] : [])]);
    const optimizer = new Kind(params, options);
    const before = vt.numTensors();
    for (let step = 1; step <= 4; step++) {
      const grads = params.map((p, i) => vt.tidy(() => vt.mul(vt.randomNormal(p.shape, { seed: 10 * step + i }), vt.exp(vt.randomNormal(p.shape, { seed: 100 * step + i })))));
      optimizer.step(new Map(params.map((p, i) => [p, grads[i] as vt.Tensor])));
      const attrs = { lr: options.lr, beta1: 0.9, beta2: 0.999, eps: options.eps ?? 1e-8, weightDecay: optimizer.weightDecay, decoupled: Kind === AdamW, step };
      refs = refs.map((r, i) => {
        const next = composedAdamUpdate(r[0] as vt.Tensor, grads[i] as vt.Tensor, r[1] as vt.Tensor, r[2] as vt.Tensor, r[3], attrs);
        vt.dispose(r);
        return next;
      });
      vt.dispose(grads);
      expect(vt.numTensors()).toBe(before); // moments updated in place; each reference replaced its predecessor
      params.forEach((p, i) => {
        const want = (refs[i] as vt.Tensor[])[0]?.dataSync() as Float32Array;
        const got = p.dataSync();
        const differ = Array.from(got).findIndex((x, k) => !Object.is(x, want[k]));
        expect(differ, `step ${step}, parameter ${i}, index ${differ}`).toBe(-1);
      });
    }
    // the optimizer's moments too
    const state = optimizer.stateDict().state;
    refs.forEach((r, i) => {
      const buffers = (state[i] as (typeof state)[number]).buffers;
      expect(Array.from(buffers.expAvg as Float32Array)).toEqual(Array.from((r[1] as vt.Tensor).dataSync()));
      expect(Array.from(buffers.expAvgSq as Float32Array)).toEqual(Array.from((r[2] as vt.Tensor).dataSync()));
      if (options.amsgrad) expect(Array.from(buffers.maxExpAvgSq as Float32Array)).toEqual(Array.from((r[3] as vt.Tensor).dataSync()));
    });
    optimizer.dispose();
    vt.dispose([...params, ...refs.flat()]);
  });
});
