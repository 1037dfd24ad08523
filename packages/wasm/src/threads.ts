// What every pool of kernel worker threads needs (gemm-threads.ts, elementwise-threads.ts):
// starting workers from a source string, a control block per worker through which jobs go, a
// shared memory the operands are staged in, and the number of threads to use.
//
// Workers: Node's worker_threads; in browsers, Web Workers where the page is cross-origin isolated
// (SharedArrayBuffer exists only there). Where neither is available there are no workers and
// every kernel runs on the calling thread. A job goes to a worker as its arguments in the worker's
// control block (an Int32Array over a SharedArrayBuffer) and a raised job number; the worker
// sleeps in Atomics.wait between jobs and reports the number of the job it finished:
//   control[0]  job number, raised by the calling thread for each job (−1: stop)
//   control[1]  the number of the last job done, set by the worker
//   control[2…] the job's arguments
//   control[31] set to 1 by the worker once it runs (worker-source.ts' READY)
import { READY } from './worker-source.js';

import type * as NodeOs from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';

const JOB = 0;
const DONE = 1;
export const ARGS = 2;
const CONTROL_INTS = 32;
const PAGE = 65536;
/** The shared memories' maximum (the worker modules that import one declare it): 1 GiB. */
export const MAX_SHARED_PAGES = 16384;

/** How long a pool waits for its workers (the defaults; tests shorten them). */
export interface WorkerTimeouts {
  /** A worker not running after this long at start: no threads (see WorkerSet.start). */
  startMs?: number;
  /** A worker that has not finished a job after this long is given up on (its set closes). */
  jobMs?: number;
}
const START_TIMEOUT_MS = 30_000;
const JOB_TIMEOUT_MS = 60_000;
/** More threads cut scVI-sized work into parts too small to pay for their copies. */
const MAX_DEFAULT_THREADS = 4;

type Spawn = (init: Record<string, unknown>) => { terminate(): void };

/** How this runtime starts a worker running `source`, or null where threads are unavailable. */
async function spawner(source: string): Promise<Spawn | null> {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return null;
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (node !== undefined) {
    const WORKER_THREADS = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ WORKER_THREADS)) as typeof WorkerThreads;
    return (init) => {
      const worker = new Worker(source, { eval: true });
      worker.postMessage(init);
      // a worker waiting for jobs must not keep the process alive
      worker.unref();
      return { terminate: () => void worker.terminate() };
    };
  }
  const web = globalThis as { crossOriginIsolated?: boolean; Worker?: new (url: string) => { postMessage(m: unknown): void; terminate(): void }; Blob?: typeof Blob; URL?: typeof URL };
  if (web.crossOriginIsolated !== true || web.Worker === undefined || web.Blob === undefined || web.URL === undefined) return null;
  const url = web.URL.createObjectURL(new web.Blob([source], { type: 'text/javascript' }));
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

/** `threads` itself if it is a positive integer; else a RangeError naming `where`. */
export function checkThreads(where: string, threads: number): number {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`${where}: argument 'threads' must be a positive integer, got ${threads}`);
  return threads;
}

/** `threads` checked (see checkThreads), or the default (defaultThreads) where it is undefined. */
export async function threadCount(where: string, threads: number | undefined): Promise<number> {
  return threads === undefined ? defaultThreads() : checkThreads(where, threads);
}

/** A part of a job cut by ranges: elements [from, to), its outputs staged at these byte offsets of the shared memory. */
export interface StagedRange {
  from: number;
  to: number;
  outputs: readonly number[];
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

/** threads − 1 workers running one source, each with its control block, and a shared memory. */
export class WorkerSet {
  private open = true;
  private job = 0;
  private readonly blocking = canBlock();

  private constructor(
    /** The shared memory operands are staged in (every worker gets it in its init message). */
    readonly memory: WebAssembly.Memory,
    private readonly workers: Array<{ control: Int32Array; terminate(): void }>,
    private readonly jobTimeoutMs: number,
  ) {}

  /**
   * Starts threads − 1 workers running `source`, each sent { ...init, memory, control }; null
   * where threads < 2 or the runtime has no workers with shared memory.
   */
  static async start(threads: number, source: string, init: Record<string, unknown>, timeouts: WorkerTimeouts = {}): Promise<WorkerSet | null> {
    if (threads < 2) return null;
    const spawn = await spawner(source);
    if (spawn === null) return null;
    const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_SHARED_PAGES, shared: true });
    const workers = [];
    for (let w = 1; w < threads; w++) {
      const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
      const handle = spawn({ ...init, memory, control });
      workers.push({ control, terminate: () => handle.terminate() });
    }
    // Wait, without blocking, until every worker runs: a browser starts a worker only while the
    // page's thread returns to its event loop, so a first job handed out at once would wait for
    // a worker that cannot start while the page's thread waits for it.
    const deadline = performance.now() + (timeouts.startMs ?? START_TIMEOUT_MS);
    while (!workers.every((w) => Atomics.load(w.control, READY) === 1)) {
      if (performance.now() > deadline) {
        workers.forEach((w) => w.terminate());
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return new WorkerSet(memory, workers, timeouts.jobMs ?? JOB_TIMEOUT_MS);
  }

  /** The workers (0 once closed). */
  get size(): number {
    return this.open ? this.workers.length : 0;
  }

  /** Grows the shared memory to `bytes`; false past its maximum. */
  reserve(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_SHARED_PAGES) return false;
    this.memory.grow(pages);
    return true;
  }

  /**
   * Hands each worker its arguments (argsOf(worker index), from control[2] on) and starts them;
   * `more` may write further into the control block (a float through a Float32Array view).
   * Returns the job number.
   */
  start(argsOf: (worker: number) => readonly number[], more?: (worker: number, control: Int32Array) => void): number {
    const job = ++this.job;
    this.workers.forEach((w, i) => {
      w.control.set(argsOf(i), ARGS);
      more?.(i, w.control);
      Atomics.store(w.control, JOB, job);
      Atomics.notify(w.control, JOB);
    });
    return job;
  }

  /**
   * Waits until every worker has finished `job`. A worker with no answer after the job timeout
   * closes the set; `redo(i)` then computes worker i's part on this thread.
   */
  finish(job: number, redo: (worker: number) => void): void {
    this.workers.forEach((w, i) => {
      if (this.await(w.control, job)) return;
      this.close();
      redo(i);
    });
  }

  /**
   * For a job cut by ranges (worker i's part is parts[i]), after `start`: computes [0, ownTo) on
   * this thread with `own(from, to)`, waits for the workers and copies each part's staged outputs
   * into `outputs` at part.from. A worker with no answer has its range computed here by `own`
   * instead (and the set closes).
   */
  completeRanges(job: number, parts: readonly StagedRange[], outputs: readonly Float32Array[], ownTo: number, own: (from: number, to: number) => void): void {
    own(0, ownTo);
    const redone = new Set<number>();
    this.finish(job, (i) => {
      const part = parts[i] as StagedRange;
      own(part.from, part.to);
      redone.add(i);
    });
    const view = new Float32Array(this.memory.buffer);
    parts.forEach((part, i) => {
      if (redone.has(i)) return;
      outputs.forEach((o, j) => o.set(view.subarray((part.outputs[j] as number) / 4, (part.outputs[j] as number) / 4 + (part.to - part.from)), part.from));
    });
  }

  /** Stops the workers. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const w of this.workers) {
      Atomics.store(w.control, JOB, -1);
      Atomics.notify(w.control, JOB);
      w.terminate();
    }
  }

  private await(control: Int32Array, job: number): boolean {
    const deadline = performance.now() + this.jobTimeoutMs;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === job) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      // a browser's main thread may not block: it spins
      if (this.blocking) Atomics.wait(control, DONE, done, left);
    }
  }
}
