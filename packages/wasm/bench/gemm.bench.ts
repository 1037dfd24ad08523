// Part of `pnpm bench`: the dense matrix products of scVI's training step (batch 128, 2,000
// genes, 128 hidden units, 10 latent dimensions) through `matMul` on the wasm backend, in the three
// layouts training uses (a · b forward; a · bᵀ and aᵀ · b in the gradients, as transpose flags),
// with each implementation as the wasm backend's dense product:
//   tfjs         tfjs-backend-wasm's own kernel (XNNPACK); its transposed-flag layouts are what
//                vitae's gradient avoided before (it transposed explicitly, then multiplied)
//   vitae 1 thr  @vitae/wasm's packed SIMD GEMM on the calling thread
//   vitae N thr  the same split across N threads (worker threads, shared memory)
// Round-robin in one process, medians; GFLOP/s = 2 m k n / time, and each layout's share of the
// same implementation's plain-layout throughput (issue 8: every layout >= 80 %).
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '@vitae/tensor';
import { setDenseMatMulImpl } from '@vitae/tensor/kernels';
import { GemmModule } from '../src/index.js';

import type { Tensor } from '@vitae/tensor';

const ROUNDS = Number(process.env.VITAE_BENCH_ROUNDS ?? 31);
await vt.setBackend('wasm');
await vt.ready();
const single = await GemmModule.load(1);
const threaded = await GemmModule.load();
const impls = { tfjs: null, vitae1: single, vitaeN: threaded } as const;
const SHAPES: Array<[number, number, number, string]> = [
  [128, 128, 2000, 'decoder heads'],
  [128, 2000, 128, 'decoder heads, dx = dy · Wᵀ'],
  [128, 128, 128, 'hidden layers'],
  [128, 128, 10, 'latent heads'],
];
const rows: Array<Record<string, string>> = [];
const gflops = (m: number, k: number, n: number, s: number): number => (2 * m * k * n) / s / 1e9;
for (const [m, k, n, use] of SHAPES) {
  const a = vt.randomNormal([m, k], { seed: 1 });
  const b = vt.randomNormal([k, n], { seed: 2 });
  const aT = vt.transpose(a);
  const bT = vt.transpose(b);
  const layouts = { 'a · b': () => vt.matMul(a, b), 'a · bᵀ': () => vt.matMul(a, bT, false, true), 'aᵀ · b': () => vt.matMul(aT, b, true, false) };
  const candidates: Record<string, () => void> = {};
  for (const [implName, impl] of Object.entries(impls)) {
    for (const [layout, f] of Object.entries(layouts)) {
      candidates[`${implName}|${layout}`] = () => {
        const restore = setDenseMatMulImpl(impl);
        try {
          vt.tidy(() => void (f() as Tensor).dataSync());
        } finally {
          restore();
        }
      };
    }
  }
  const seconds = compare(candidates, { warmup: 3, rounds: ROUNDS });
  for (const implName of Object.keys(impls)) {
    const plain = seconds[`${implName}|a · b`] as number;
    const row: Record<string, string> = { '[m, k] × [k, n]': `[${m}, ${k}] × [${k}, ${n}]`, use, implementation: implName === 'vitaeN' ? `vitae ${threaded.threads} thr` : implName === 'vitae1' ? 'vitae 1 thr' : 'tfjs' };
    for (const layout of Object.keys(layouts)) {
      const s = seconds[`${implName}|${layout}`] as number;
      row[`${layout} GFLOP/s`] = layout === 'a · b' ? gflops(m, k, n, s).toFixed(1) : `${gflops(m, k, n, s).toFixed(1)} (${Math.round((100 * plain) / s)} %)`;
    }
    rows.push(row);
  }
  vt.dispose([a, b, aT, bT]);
}
printTable(rows);
console.log(`threads: ${threaded.threads} (VITAE_THREADS, else the cores available, at most 4); products of m·n·k >= 2^22 are split`);
await single.setThreads(1);
await threaded.setThreads(1);
