// Both cores for randomGamma's draws. @vitae/tensor cuts the draws into substreams of
// GAMMA_STREAM_CHUNK elements, each along its own jump of the Prng stream, so any thread can draw
// any substream: the substreams are dealt out in consecutive runs, one per thread; each worker's
// states and concentrations are copied into the shared memory, it draws there with an instance of
// gamma-sample.wasm of its own (gamma-worker-source.ts) while the calling thread draws its run,
// and the worker's draws are copied back. The draws are the single-threaded ones, bit for bit.
import { GAMMA_STREAM_CHUNK } from '@vitae/tensor/kernels';
import { GAMMA_WORKER_SOURCE } from './gamma-worker-source.js';
import { WorkerSet } from './threads.js';

import type { WorkerTimeouts } from './threads.js';

const align16 = (n: number) => (n + 15) & ~15;

export class GammaThreadPool {
  private constructor(private readonly workers: WorkerSet) {}

  /** threads − 1 workers, or null where threads < 2 or the runtime has no workers with shared memory. */
  static async start(threads: number, module: WebAssembly.Module, timeouts?: WorkerTimeouts): Promise<GammaThreadPool | null> {
    const workers = await WorkerSet.start(threads, GAMMA_WORKER_SOURCE, { module, chunk: GAMMA_STREAM_CHUNK }, timeouts);
    return workers === null ? null : new GammaThreadPool(workers);
  }

  get threads(): number {
    return this.workers.size + 1;
  }

  close(): void {
    this.workers.close();
  }

  /**
   * out = the draws for `alphas` along the substreams at `states` (four words each), on all
   * threads; `own(from, to)` draws elements [from, to) (whole substreams) on this thread. False,
   * having done nothing, where the pool is closed or the arrays do not fit the shared memory.
   */
  run(states: Int32Array, alphas: Float32Array, out: Float32Array, own: (from: number, to: number) => void): boolean {
    const parts = this.workers.size + 1;
    if (parts < 2) return false;
    const n = out.length;
    const chunks = states.length / 4;
    // substream runs [c_p, c_{p+1}); element bounds at their starts
    const bounds = Array.from({ length: parts + 1 }, (_, p) => Math.min(n, Math.round((chunks * p) / parts) * GAMMA_STREAM_CHUNK));
    const layout: Array<{ from: number; to: number; states: number; alphas: number; outputs: [number] }> = [];
    let end = 0;
    for (let p = 1; p < parts; p++) {
      const [from, to] = [bounds[p] as number, bounds[p + 1] as number];
      const count = to - from;
      const states = end;
      const alphasAt = align16(states + 16 * Math.ceil(count / GAMMA_STREAM_CHUNK));
      const outAt = align16(alphasAt + 4 * count);
      end = align16(outAt + 4 * count);
      layout.push({ from, to, states, alphas: alphasAt, outputs: [outAt] });
    }
    if (!this.workers.reserve(end)) return false;
    const buffer = this.workers.memory.buffer;
    for (const part of layout) {
      const first = part.from / GAMMA_STREAM_CHUNK;
      new Int32Array(buffer).set(states.subarray(4 * first, 4 * Math.ceil(part.to / GAMMA_STREAM_CHUNK)), part.states / 4);
      new Float32Array(buffer).set(alphas.subarray(part.from, part.to), part.alphas / 4);
    }
    const job = this.workers.start((i) => {
      const part = layout[i] as (typeof layout)[number];
      return [part.to - part.from, part.states, part.alphas, part.outputs[0]];
    });
    this.workers.completeRanges(job, layout, [out], bounds[1] as number, own);
    return true;
  }
}
