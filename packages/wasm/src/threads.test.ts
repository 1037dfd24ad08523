// The fallbacks of the worker pools (threads.ts): a worker that never starts leaves no pool, and
// a worker that stops answering has its part computed on the calling thread (the same bits) and
// closes its pool; and setWasmThreads sets the threads of both installed modules.
import { denseMatMulImpl } from '@vitae/tensor/kernels';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.js';
import { ElementwiseThreadPool } from './elementwise-threads.js';
import { GemmThreadPool } from './gemm-threads.js';
import { GEMM_SHARED_WASM_BASE64 } from './generated/gemm-shared-wasm.js';
import { GEMM_WASM_BASE64 } from './generated/gemm-wasm.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';
import { GemmModule, installWasmKernels, setWasmThreads } from './index.js';
import { KernelModule } from './kernel-module.js';
import { WorkerSet } from './threads.js';

import type { GemmExports } from './gemm-threads.js';

/**
 * Stops a pool's first worker behind its back, as a crashed or starved thread would look, and
 * gives the termination (asynchronous in Node) time to land before the next job.
 */
async function killFirstWorker(pool: ElementwiseThreadPool | GemmThreadPool): Promise<void> {
  const set = (pool as unknown as { workers: { workers: Array<{ terminate(): void }> } }).workers;
  (set.workers[0] as { terminate(): void }).terminate();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe('worker pools when a worker fails', () => {
  it('a worker that never reports itself running: no pool (the caller runs alone)', async () => {
    const silent = "setTimeout(() => {}, 1e6);";
    expect(await WorkerSet.start(2, silent, {}, { startMs: 200 })).toBeNull();
  });

  it('elementwise: a worker that stops answering has its range computed here, and the pool closes', async () => {
    const module = await WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64));
    const pool = (await ElementwiseThreadPool.start(2, module, { jobMs: 300 })) as ElementwiseThreadPool;
    expect(pool.threads).toBe(2);
    const single = await KernelModule.load(1);
    const x = Float32Array.from({ length: 100_001 }, (_, i) => 0.01 + (i % 997) / 10);
    const expected = single.unary('lgamma', x);
    const out = new Float32Array(x.length).fill(Number.NaN);
    await killFirstWorker(pool);
    expect(pool.run('lgamma', [x], out, (from, to) => single.unary('lgamma', x.subarray(from, to), out.subarray(from, to)))).toBe(true);
    expect(out.findIndex((v, i) => !Object.is(v, expected[i]))).toBe(-1);
    expect(pool.threads).toBe(1);
    expect(pool.run('lgamma', [x], out, () => undefined)).toBe(false);
  });

  it('GEMM: a worker that stops answering has its part computed here, and the pool closes', async () => {
    const pool = (await GemmThreadPool.start(2, GEMM_SHARED_WASM_BASE64, { jobMs: 300 })) as GemmThreadPool;
    const heap = new WebAssembly.Memory({ initial: 64 });
    const kernel = new WebAssembly.Instance(await WebAssembly.compile(decodeBase64(GEMM_WASM_BASE64)), { env: { memory: heap } }).exports as unknown as GemmExports;
    const [m, k, n] = [64, 96, 500];
    let at = 0;
    const view = (floats: number) => {
      const v = new Float32Array(heap.buffer, at, floats);
      at = (at + 4 * floats + 15) & ~15;
      return v;
    };
    const [a, b, alone, split] = [view(m * k), view(k * n), view(m * n), view(m * n)];
    const scratch = view(kernel.packBytes(m, n, k) / 4);
    a.forEach((_, i) => (a[i] = Math.sin(i)));
    b.forEach((_, i) => (b[i] = Math.cos(i)));
    kernel.gemm(0, m, n, k, a.byteOffset, k, 1, b.byteOffset, n, 1, alone.byteOffset, n, scratch.byteOffset);
    await killFirstWorker(pool);
    expect(pool.run({ m, n, k, a, aRow: k, aCol: 1, b, bRow: n, bCol: 1, out: split, scratch, heap }, kernel)).toBe(true);
    expect(split.findIndex((v, i) => !Object.is(v, alone[i]))).toBe(-1);
    expect(pool.threads).toBe(1);
  });
});

describe('setWasmThreads', () => {
  it('sets the threads of the installed elementwise kernels and GEMM', async () => {
    const kernels = await installWasmKernels();
    const gemm = denseMatMulImpl() as GemmModule;
    expect(gemm).toBeInstanceOf(GemmModule);
    await setWasmThreads(1);
    expect([kernels.threads, gemm.threads]).toEqual([1, 1]);
    await setWasmThreads(2);
    expect([kernels.threads, gemm.threads]).toEqual([2, 2]);
  });
});
