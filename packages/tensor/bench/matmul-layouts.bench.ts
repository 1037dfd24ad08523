// `pnpm bench` for @vitae/tensor on its own (tfjs' products, no kernel package): issue 8's
// matrix-product target asks that every layout training uses runs at >= 80 % of the plain a × b
// throughput. A linear layer y = x W makes three products per step: the forward x W (plain), and
// in the backward pass dx = dy Wᵀ and dW = xᵀ dy, which @vitae/tensor's BatchMatMul gradient
// computes, with tfjs' own product, as an explicit transpose and a plain product
// (src/gradients/matmul.ts), since tfjs-backend-wasm's transposed-operand path is ~10x slower.
// (With @vitae/wasm installed, its GEMM takes every layout at full speed and the gradient passes
// transpose flags: @vitae/wasm's bench/gemm.bench.ts.) Timed here exactly so: a · transpose(bᵀ) and transpose(aᵀ) · b, against the plain
// product of the same [M, K] × [K, N], for the shapes of scVI's training step (batch 128, 2,000
// genes, 128 hidden units, 10 latent dimensions), on the wasm backend; tfjs' own transposed-flag
// product is shown beside them. Round-robin in one process, medians; GFLOP/s = 2 M K N / time.
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '../src/index.js';

import type { Tensor } from '../src/index.js';

await vt.setBackend('wasm');
await vt.ready();
const SHAPES: Array<[number, number, number, string]> = [
  [128, 128, 2000, 'decoder heads: h [128,128] · W [128,2000]'],
  [128, 2000, 128, 'decoder heads backward: dy [128,2000] · Wᵀ [2000,128]'],
  [128, 128, 128, 'hidden layers'],
  [128, 128, 10, 'latent heads'],
];
const rows: Array<Record<string, string>> = [];
const gflops = (m: number, k: number, n: number, s: number): string => ((2 * m * k * n) / s / 1e9).toFixed(1);
for (const [m, k, n, what] of SHAPES) {
  const a = vt.randomNormal([m, k], { seed: 1 });
  const b = vt.randomNormal([k, n], { seed: 2 });
  const aT = vt.transpose(a); // [k, m], as the gradient's xᵀ starts out
  const bT = vt.transpose(b); // [n, k], as the gradient's Wᵀ starts out
  const timed = (f: () => Tensor) => () => vt.tidy(() => void f().dataSync());
  const ms = compare(
    {
      plain: timed(() => vt.matMul(a, b)),
      aTransposedExplicit: timed(() => vt.matMul(vt.transpose(aT), b)),
      bTransposedExplicit: timed(() => vt.matMul(a, vt.transpose(bT))),
      aTransposedFlag: timed(() => vt.matMul(aT, b, true, false)),
      bTransposedFlag: timed(() => vt.matMul(a, bT, false, true)),
    },
    { warmup: 3, rounds: 21 },
  );
  const pct = (s: number): string => `${Math.round((100 * ms.plain) / s)} %`;
  rows.push({
    'product [M, K] × [K, N]': `[${m}, ${k}] × [${k}, ${n}]`,
    use: what,
    'a × b GFLOP/s': gflops(m, k, n, ms.plain),
    'aᵀ × b (explicit)': `${gflops(m, k, n, ms.aTransposedExplicit)} (${pct(ms.aTransposedExplicit)})`,
    'a × bᵀ (explicit)': `${gflops(m, k, n, ms.bTransposedExplicit)} (${pct(ms.bTransposedExplicit)})`,
    'aᵀ × b (tfjs flag)': `${gflops(m, k, n, ms.aTransposedFlag)} (${pct(ms.aTransposedFlag)})`,
    'a × bᵀ (tfjs flag)': `${gflops(m, k, n, ms.bTransposedFlag)} (${pct(ms.bTransposedFlag)})`,
  });
  vt.dispose([a, b, aT, bT]);
}
printTable(rows);
console.log('explicit: how @vitae/tensor computes the gradient products (transpose, then a plain product); tfjs flag: matMul(..., transposeA / transposeB), which vitae uses only with the GEMM of @vitae/wasm installed (see bench/gemm.bench.ts there)');
