// Both cores for the large matrix products: worker threads that compute part of a product in a
// shared WebAssembly.Memory while the main thread computes the rest in place in tfjs' heap.
//
// tfjs-backend-wasm's heap is not shared (its threaded build needs a worker setup of its own), so
// a worker cannot read the tensors where they are: the operands are copied into the shared memory
// (an [m, k] and a [k, n] matrix: ~1 MB for scVI's decoder, well under a tenth of the product's
// time), each worker multiplies them into its own block of C there, and the blocks are copied back.
// The product is cut along its longer side (columns of C in multiples of 8, rows in multiples of
// 4, the micro-kernel's tile). Every element of C is still the one sequential sum over k that a
// single call computes (assembly/gemm.ts), so the threaded result is the single-threaded one, bit
// for bit.
//
// The workers, their control blocks and the shared memory are threads.ts'. A worker that has not
// answered in time has its part computed on the calling thread, and the pool closes.
import { decodeBase64 } from './base64.js';
import { GEMM_WORKER_SOURCE } from './gemm-worker-source.js';
import { WorkerSet } from './threads.js';

import type { DenseMatMulCall } from '@vitae/tensor/kernels';
import type { WorkerTimeouts } from './threads.js';

/** The exports of gemm.wasm / gemm-shared.wasm (byte offsets, element strides). */
export interface GemmExports {
  packBytes(rows: number, n: number, k: number): number;
  gemm(
    rowBegin: number, rowEnd: number, n: number, k: number,
    a: number, aRow: number, aCol: number,
    b: number, bRow: number, bCol: number,
    c: number, cRow: number, scratch: number,
  ): void;
}

/** Micro-kernel tile (assembly/gemm.ts): parts are cut at multiples of these. */
const MR = 4;
const NR = 8;

const align16 = (n: number) => (n + 15) & ~15;

/** Part of an operand copied compact, with the strides to read the copy by. */
interface CompactOperand {
  elements: number;
  outer: number;
  inner: number;
  copyTo(target: Float32Array, at: number): void;
}

/**
 * Outer indices [lo, hi) of an operand whose element (o, p), p < k, is x[o·outer + p·inner], with
 * one of the two strides 1 (an operand as tfjs stores it, transposed or not), copied compact:
 * whole rows where the inner index is contiguous, else a [k, hi − lo] block row by row.
 */
function compactRows(x: Float32Array, outer: number, inner: number, lo: number, hi: number, k: number): CompactOperand {
  const count = hi - lo;
  if (inner === 1 && (outer === k || count <= 1)) {
    const src = x.subarray(lo * outer, lo * outer + count * k);
    return { elements: count * k, outer: k, inner: 1, copyTo: (target, at) => target.set(src, at) };
  }
  if (outer !== 1) throw new RangeError(`GemmThreadPool: an operand with strides ${outer} and ${inner} over k ${k} is not a tfjs layout`);
  return {
    elements: count * k,
    outer: 1,
    inner: count,
    copyTo: (target, at) => {
      for (let p = 0; p < k; p++) target.set(x.subarray(p * inner + lo, p * inner + hi), at + p * count);
    },
  };
}

export class GemmThreadPool {
  private constructor(
    private readonly workers: WorkerSet,
    /** An instance over the shared memory on this thread: a part whose worker failed runs here. */
    private readonly local: GemmExports,
  ) {}

  /**
   * A pool of threads − 1 workers (the calling thread is the other one), or null where threads < 2
   * or the runtime has no shared memory or workers.
   */
  static async start(threads: number, sharedModuleBase64: string, timeouts?: WorkerTimeouts): Promise<GemmThreadPool | null> {
    if (threads < 2) return null;
    const module = await WebAssembly.compile(decodeBase64(sharedModuleBase64));
    const workers = await WorkerSet.start(threads, GEMM_WORKER_SOURCE, { module }, timeouts);
    if (workers === null) return null;
    const local = new WebAssembly.Instance(module, { env: { memory: workers.memory } }).exports as unknown as GemmExports;
    return new GemmThreadPool(workers, local);
  }

  /** Threads a product uses: the workers and the calling thread. */
  get threads(): number {
    return this.workers.size + 1;
  }

  /** Stops the workers; later products run on the calling thread. */
  close(): void {
    this.workers.close();
  }

  /**
   * Computes `call` on all threads, the calling thread's part with `kernel` (an instance over
   * call.heap) in place. Returns false, having done nothing, where the pool is closed or the
   * operands do not fit the shared memory (the caller then runs the product alone).
   */
  run(call: DenseMatMulCall, kernel: GemmExports): boolean {
    if (this.workers.size === 0) return false;
    const { m, n, k, a, b, out, scratch, aRow, aCol, bRow, bCol } = call;
    const parts = this.workers.size + 1;
    const byColumns = n >= m;
    const extent = byColumns ? n : m;
    const unit = byColumns ? NR : MR;
    const bounds = [0];
    for (let p = 1; p < parts; p++) bounds.push(Math.min(extent, Math.round((extent * p) / parts / unit) * unit));
    bounds.push(extent);
    // the part [lo, hi) along the cut side: its rows, columns, and offsets into a, b and C
    const part = (p: number) => {
      const lo = bounds[p] as number;
      const hi = bounds[p + 1] as number;
      return byColumns
        ? { rows: m, cols: hi - lo, aAt: 0, bAt: lo * bCol, cAt: lo }
        : { rows: hi - lo, cols: n, aAt: lo * aRow, bAt: 0, cAt: lo * n };
    };
    // shared memory, per worker: the operands its part reads, its block of C, its scratch
    const jobs: Array<{ args: number[]; c: number; copy: (into: Float32Array) => void }> = [];
    let end = 0;
    for (let p = 1; p < parts; p++) {
      const lo = bounds[p] as number;
      const hi = bounds[p + 1] as number;
      const { rows, cols } = part(p);
      // A(i, p) = a[i·aRow + p·aCol] and B(p, j) = b[j·bCol + p·bRow]: "outer" i or j, "inner" p
      const aPart = compactRows(a, aRow, aCol, byColumns ? 0 : lo, byColumns ? m : hi, k);
      const bPart = compactRows(b, bCol, bRow, byColumns ? lo : 0, byColumns ? hi : n, k);
      const pa = end;
      const pb = align16(pa + 4 * aPart.elements);
      const c = align16(pb + 4 * bPart.elements);
      const scratchAt = align16(c + 4 * rows * cols);
      end = align16(scratchAt + this.local.packBytes(rows, cols, k));
      jobs.push({
        args: [0, rows, cols, k, pa, aPart.outer, aPart.inner, pb, bPart.inner, bPart.outer, c, cols, scratchAt],
        c,
        copy: (into) => {
          aPart.copyTo(into, pa / 4);
          bPart.copyTo(into, pb / 4);
        },
      });
    }
    if (!this.workers.reserve(end)) return false;
    const shared = new Float32Array(this.workers.memory.buffer);
    jobs.forEach((j) => j.copy(shared));
    const job = this.workers.start((i) => (jobs[i] as (typeof jobs)[number]).args);
    // this thread's part, in place
    const own = part(0);
    if (own.rows > 0 && own.cols > 0) {
      kernel.gemm(0, own.rows, own.cols, k, a.byteOffset + 4 * own.aAt, aRow, aCol, b.byteOffset + 4 * own.bAt, bRow, bCol, out.byteOffset + 4 * own.cAt, n, scratch.byteOffset);
    }
    // a worker with no answer: this thread computes its part (and the pool closes)
    this.workers.finish(job, (i) => this.local.gemm(...((jobs[i] as (typeof jobs)[number]).args as Parameters<GemmExports['gemm']>)));
    // the workers' blocks into C
    const view = new Float32Array(this.workers.memory.buffer);
    for (let p = 1; p < parts; p++) {
      const { rows, cols, cAt } = part(p);
      const c = (jobs[p - 1] as (typeof jobs)[number]).c / 4;
      if (!byColumns) out.set(view.subarray(c, c + rows * cols), cAt);
      else for (let r = 0; r < rows; r++) out.set(view.subarray(c + r * cols, c + (r + 1) * cols), r * n + cAt);
    }
    return true;
  }
}
