// Part of `pnpm bench`: `sum` / `mean` over leading axes on the wasm backend (a linear layer's bias
// gradient, BatchNorm's batch statistics), side by side in one process (round-robin, medians):
//   js     @vitae/tensor's JavaScript loop (setLeadingSumImpl(null)): rows added in place
//   simd   @vitae/wasm's ReduceModule (installed by installWasmKernels): the same bits in f32x4
//   tfjs   tfjs' own Sum kernel (withTfjsKernels): a transposed copy, then inner reductions
// Shapes: BatchNorm over scVI's / veloVI's hidden layers, the bias gradients of scVI's decoder
// heads [128, 2000] and of veloVI's π head [256, 3100].
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '@vitae/tensor';
import { leadingSumImpl, setLeadingSumImpl, withTfjsKernels } from '@vitae/tensor/kernels';
import { installWasmKernels } from '../src/index.js';

const ROUNDS = Number(process.env.VITAE_BENCH_ROUNDS ?? 21);
const SHAPES: Array<[number, number]> = [[128, 128], [256, 256], [128, 2000], [256, 3100]];

await vt.setBackend('wasm');
await installWasmKernels();
const simd = leadingSumImpl();
if (simd === null) throw new Error('leading-sum bench: installWasmKernels set no leading-sum implementation');
const rows: Array<Record<string, string | number>> = [];
for (const [r, c] of SHAPES) {
  const x = vt.randomUniform([r, c], { seed: 1 });
  const sum = () => vt.dispose(vt.sum(x, 0));
  const js = () => {
    const restore = setLeadingSumImpl(null);
    try {
      sum();
    } finally {
      restore();
    }
  };
  const ms = compare({ js, simd: sum, tfjs: () => withTfjsKernels(sum) }, { warmup: 3, rounds: ROUNDS });
  const us = (s: number) => (s * 1e6).toFixed(1);
  rows.push({ 'x [rows, cols], sum over rows': `[${r}, ${c}]`, 'tfjs µs': us(ms.tfjs), 'js loop µs': us(ms.js), 'simd µs': us(ms.simd), 'simd vs js': `${(ms.js / ms.simd).toFixed(1)}x`, 'simd vs tfjs': `${(ms.tfjs / ms.simd).toFixed(1)}x` });
  x.dispose();
}
printTable(rows);
