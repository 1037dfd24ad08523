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
// Workers: Node's worker_threads; in browsers, Web Workers where the page is cross-origin isolated
// (SharedArrayBuffer exists only there). Where neither is available, or threads is 1, there is no
// pool and every product runs on the calling thread. A worker that has not answered after
// WORKER_TIMEOUT_MS is given up on: its part is computed on the main thread and the pool is closed.
import { decodeBase64 } from './base64.js';
import { GEMM_WORKER_SOURCE } from './gemm-worker-source.js';

import type { DenseMatMulCall } from '@vitae/tensor/kernels';
import type * as NodeOs from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';

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

const PAGE = 65536;
/** gemm-shared.wasm declares this maximum (asconfig.gemm-shared.json): 1 GiB. */
const MAX_PAGES = 16384;
const JOB = 0;
const DONE = 1;
const ARGS = 2;
const WORKER_TIMEOUT_MS = 60_000;
/** Micro-kernel tile (assembly/gemm.ts): parts are cut at multiples of these. */
const MR = 4;
const NR = 8;
/** More threads cut scVI-sized products (128 rows) into parts too small to pay for their copies. */
const MAX_DEFAULT_THREADS = 4;

const align16 = (n: number) => (n + 15) & ~15;

/** What a worker needs to be told apart from its handle: its control block. */
interface PoolWorker {
  control: Int32Array;
  terminate(): void;
}

type Spawn = (init: { module: WebAssembly.Module; memory: WebAssembly.Memory; control: Int32Array }) => { terminate(): void };

/** How this runtime starts a worker from GEMM_WORKER_SOURCE, or null where threads are unavailable. */
async function spawner(): Promise<Spawn | null> {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return null;
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (node !== undefined) {
    const WORKER_THREADS = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ WORKER_THREADS)) as typeof WorkerThreads;
    return (init) => {
      const worker = new Worker(GEMM_WORKER_SOURCE, { eval: true });
      worker.postMessage(init);
      // a worker waiting for jobs must not keep the process alive
      worker.unref();
      return { terminate: () => void worker.terminate() };
    };
  }
  const web = globalThis as { crossOriginIsolated?: boolean; Worker?: new (url: string) => { postMessage(m: unknown): void; terminate(): void }; Blob?: typeof Blob; URL?: typeof URL };
  if (web.crossOriginIsolated !== true || web.Worker === undefined || web.Blob === undefined || web.URL === undefined) return null;
  const url = web.URL.createObjectURL(new web.Blob([GEMM_WORKER_SOURCE], { type: 'text/javascript' }));
  const WebWorker = web.Worker;
  return (init) => {
    const worker = new WebWorker(url);
    worker.postMessage(init);
    return worker;
  };
}

/**
 * The default number of threads: VITAE_THREADS in Node if set, else the cores this process may
 * use (Node's availableParallelism, a browser's hardwareConcurrency), at most MAX_DEFAULT_THREADS.
 */
export async function defaultThreads(): Promise<number> {
  const proc = (globalThis as { process?: { versions?: { node?: string }; env?: Record<string, string | undefined> } }).process;
  if (proc?.versions?.node !== undefined) {
    const fromEnv = proc.env?.VITAE_THREADS;
    if (fromEnv !== undefined && fromEnv !== '') {
      const n = Number(fromEnv);
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`@vitae/wasm: environment variable VITAE_THREADS must be a positive integer, got '${fromEnv}'`);
      return n;
    }
    const OS = 'node:os';
    const os = (await import(/* @vite-ignore */ OS)) as typeof NodeOs;
    return Math.min(MAX_DEFAULT_THREADS, os.availableParallelism());
  }
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.min(MAX_DEFAULT_THREADS, typeof cores === 'number' && cores >= 1 ? cores : 1);
}

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

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export class GemmThreadPool {
  private open = true;
  private job = 0;
  private readonly blocking = canBlock();

  private constructor(
    private readonly memory: WebAssembly.Memory,
    /** An instance over the shared memory on this thread: a part whose worker failed runs here. */
    private readonly local: GemmExports,
    private readonly workers: PoolWorker[],
  ) {}

  /**
   * A pool of threads − 1 workers (the calling thread is the other one), or null where threads < 2
   * or the runtime has no shared memory or workers.
   */
  static async start(threads: number, sharedModuleBase64: string): Promise<GemmThreadPool | null> {
    if (threads < 2) return null;
    const spawn = await spawner();
    if (spawn === null) return null;
    const module = await WebAssembly.compile(decodeBase64(sharedModuleBase64));
    const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const local = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
    const workers: PoolWorker[] = [];
    for (let w = 1; w < threads; w++) {
      const control = new Int32Array(new SharedArrayBuffer(16 * 4));
      const handle = spawn({ module, memory, control });
      workers.push({ control, terminate: () => handle.terminate() });
    }
    return new GemmThreadPool(memory, local, workers);
  }

  /** Threads a product uses: the workers and the calling thread. */
  get threads(): number {
    return this.open ? this.workers.length + 1 : 1;
  }

  /** Stops the workers; later products run on the calling thread. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const w of this.workers) {
      Atomics.store(w.control, JOB, -1);
      Atomics.notify(w.control, JOB);
      w.terminate();
    }
  }

  /**
   * Computes `call` on all threads, the calling thread's part with `kernel` (an instance over
   * call.heap) in place. Returns false, having done nothing, where the pool is closed or the
   * operands do not fit the shared memory (the caller then runs the product alone).
   */
  run(call: DenseMatMulCall, kernel: GemmExports): boolean {
    if (!this.open) return false;
    const { m, n, k, a, b, out, scratch, aRow, aCol, bRow, bCol } = call;
    const parts = this.workers.length + 1;
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
    if (!this.reserve(end)) return false;
    const job = ++this.job;
    const shared = new Float32Array(this.memory.buffer);
    this.workers.forEach((w, i) => {
      const { args, copy } = jobs[i] as (typeof jobs)[number];
      copy(shared);
      w.control.set(args, ARGS);
      Atomics.store(w.control, JOB, job);
      Atomics.notify(w.control, JOB);
    });
    // this thread's part, in place
    const own = part(0);
    if (own.rows > 0 && own.cols > 0) {
      kernel.gemm(0, own.rows, own.cols, k, a.byteOffset + 4 * own.aAt, aRow, aCol, b.byteOffset + 4 * own.bAt, bRow, bCol, out.byteOffset + 4 * own.cAt, n, scratch.byteOffset);
    }
    this.workers.forEach((w, i) => {
      if (!this.await(w.control, job)) {
        // no answer: this thread computes the part, and the pool closes
        this.close();
        this.local.gemm(...((jobs[i] as (typeof jobs)[number]).args as Parameters<GemmExports['gemm']>));
      }
    });
    // the workers' blocks into C
    const view = new Float32Array(this.memory.buffer);
    for (let p = 1; p < parts; p++) {
      const { rows, cols, cAt } = part(p);
      const c = (jobs[p - 1] as (typeof jobs)[number]).c / 4;
      if (!byColumns) out.set(view.subarray(c, c + rows * cols), cAt);
      else for (let r = 0; r < rows; r++) out.set(view.subarray(c + r * cols, c + (r + 1) * cols), r * n + cAt);
    }
    return true;
  }

  /** Waits until the worker has finished `job`; false after WORKER_TIMEOUT_MS. */
  private await(control: Int32Array, job: number): boolean {
    const deadline = performance.now() + WORKER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === job) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      // a browser's main thread may not block: it spins
      if (this.blocking) Atomics.wait(control, DONE, done, left);
    }
  }

  /** Grows the shared memory to `bytes`; false past its maximum. */
  private reserve(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) return false;
    this.memory.grow(pages);
    return true;
  }
}
