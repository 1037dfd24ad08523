// `pnpm bench` for @vitae/tensor: the gradient of broadcastTo / tile, which every distribution with
// broadcast parameters and every batched decoder takes each training step.
//   tfjs 4.22 algorithm   tfjs-core's Tile gradient (tile_grad.ts): one slice + add per repetition
//                         (transcribed here as a customGrad, since @vitae/tensor replaces it)
//   @vitae/tensor         the registered replacement: one reshape and one sum (src/gradients/tile.ts)
// Both differentiate sum(w · broadcastTo(a, [R, 4])) with respect to a [1, 4] parameter, side by
// side in one process (round-robin, medians), on both backends.
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '../src/index.js';

import type { Tensor } from '../src/index.js';

const REPS = [256, 4096, 16384];

/** tile(a, [R, 1]) whose gradient is tfjs 4.22's: Σ_i slice(dy, [i, 0], [1, 4]), one kernel pair per i. */
function tileWithTfjsGradient(a: Tensor, rows: number): Tensor {
  const f = vt.customGrad(((x: Tensor) => ({
    value: vt.tile(x, [rows, 1]),
    gradFunc: (dy: Tensor) => {
      let g = vt.zerosLike(x);
      for (let i = 0; i < rows; i++) g = vt.add(g, vt.slice(dy, [i, 0], [1, x.shape[1] as number]));
      return g;
    },
  })) as unknown as Parameters<typeof vt.customGrad>[0]);
  return (f as unknown as (x: Tensor) => Tensor)(a);
}

const rows: Array<Record<string, string | number>> = [];
for (const backend of ['wasm', 'cpu'] as const) {
  await vt.setBackend(backend);
  for (const r of REPS) {
    const a = vt.tensor([[0.3, 1, 4.5, 30]]);
    const w = vt.randomNormal([r, 4], { seed: 1 });
    const tfjsGrad = () => vt.tidy(() => vt.grad((x: Tensor) => vt.sum(vt.mul(tileWithTfjsGradient(x, r), w)))(a).dataSync());
    const ours = () => vt.tidy(() => vt.grad((x: Tensor) => vt.sum(vt.mul(vt.broadcastTo(x, [r, 4]), w)))(a).dataSync());
    const ms = compare({ tfjs: tfjsGrad, ours }, { warmup: 2, rounds: r > 10000 ? 3 : r > 1000 ? 5 : 11 });
    rows.push({ backend, 'shape [R, 4], R': r, 'tfjs 4.22 ms': (ms.tfjs * 1e3).toFixed(2), 'vitae ms': (ms.ours * 1e3).toFixed(2), speedup: `${(ms.tfjs / ms.ours).toFixed(0)}x` });
    vt.dispose([a, w]);
  }
}
printTable(rows);
