// `pnpm bench` for @vitae/tensor: the gradient of matMul, taken for every linear layer at every
// training step. For y = x W (x [B, in], W [in, out]):
//   tfjs 4.22 algorithm   dW = matMul(x, dy, transposeA = true), dx = matMul(dy, W, transposeB = true)
//                         (tfjs-core's BatchMatMul gradient, transcribed as a customGrad, since
//                         @vitae/tensor replaces it)
//   @vitae/tensor         the registered replacement: transpose explicitly, then a plain matMul
//                         (src/gradients/matmul.ts)
// Both compute d/d(x, W) sum(dyWeights ⊙ x W) at the layer sizes of the MNIST VAE in
// tooling/eval-mnist (batch 128), side by side in one process (round-robin, medians), on both backends.
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '../src/index.js';

import type { Tensor } from '../src/index.js';

const LAYERS: Array<[number, number]> = [[784, 256], [256, 256], [256, 784]];
const BATCH = 128;

/** x W whose gradient is tfjs 4.22's (products with a transposed operand). */
function matMulWithTfjsGradient(x: Tensor, w: Tensor): Tensor {
  const f = vt.customGrad(((a: Tensor, b: Tensor) => ({
    value: vt.matMul(a, b),
    gradFunc: (dy: Tensor) => [vt.matMul(dy, b, false, true), vt.matMul(a, dy, true, false)],
  })) as unknown as Parameters<typeof vt.customGrad>[0]);
  return (f as unknown as (a: Tensor, b: Tensor) => Tensor)(x, w);
}

const rows: Array<Record<string, string | number>> = [];
for (const backend of ['wasm', 'cpu'] as const) {
  await vt.setBackend(backend);
  for (const [nIn, nOut] of LAYERS) {
    const x = vt.randomNormal([BATCH, nIn], { seed: 1 });
    const w = vt.randomNormal([nIn, nOut], { seed: 2 });
    const g = vt.randomNormal([BATCH, nOut], { seed: 3 });
    const run = (mm: (a: Tensor, b: Tensor) => Tensor) => () =>
      vt.tidy(() => {
        const [dx, dw] = vt.grads((a: Tensor, b: Tensor) => vt.sum(vt.mul(mm(a, b), g)))([x, w]);
        dx?.dataSync();
        dw?.dataSync();
      });
    const ms = compare({ tfjs: run(matMulWithTfjsGradient), ours: run((a, b) => vt.matMul(a, b)) }, { warmup: 2, rounds: backend === 'cpu' ? 3 : 11 });
    rows.push({ backend, 'x W: [B, in] x [in, out]': `[${BATCH}, ${nIn}] x [${nIn}, ${nOut}]`, 'tfjs 4.22 ms': (ms.tfjs * 1e3).toFixed(2), 'vitae ms': (ms.ours * 1e3).toFixed(2), speedup: `${(ms.tfjs / ms.ours).toFixed(1)}x` });
    vt.dispose([x, w, g]);
  }
}
printTable(rows);
