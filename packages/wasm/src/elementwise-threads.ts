// Both cores for the elementwise kernels of kernels.wasm (lgamma, digamma, …, randomGamma's
// gradient): the elements [0, n) are cut into one range per thread; each worker's range of the
// inputs is copied into the shared memory, the worker runs the kernel over it with an instance of
// kernels.wasm of its own (elementwise-worker-source.ts) while the calling thread runs its range,
// and the worker's results are copied back. Each element is computed by the same code whichever
// thread runs it, so the results are the single-threaded ones, bit for bit.
import { ELEMENTWISE_WORKER_SOURCE } from './elementwise-worker-source.js';
import { WorkerSet } from './threads.js';

import { DIRICHLET_KL_FORMS, DIRICHLET_KL_OUTPUT_PER_ROW } from './dirichlet-kl.js';
import type { DirichletKlJob } from './dirichlet-kl.js';
import type { KineticJob } from './kinetic-mixture.js';
import type { WorkerTimeouts } from './threads.js';

/** The kernels a worker may run: unary f(x, out, n) and binary f(a, b, out, n) exports of kernels.wasm. */
export const ELEMENTWISE_KERNELS = ['lgamma', 'digamma', 'trigamma', 'log1pExp', 'logSigmoid', 'xlogy', 'logBeta', 'standardGammaGrad'] as const;
export type ElementwiseKernelName = (typeof ELEMENTWISE_KERNELS)[number];

const align16 = (n: number) => (n + 15) & ~15;

/** 0 = b_0 ≤ b_1 ≤ … ≤ b_parts = n, cut at whole f32x4 vectors; the calling thread takes the first range. */
const rangeBounds = (n: number, parts: number): number[] =>
  Array.from({ length: parts + 1 }, (_, p) => (p === parts ? n : Math.min(n, Math.round((n * p) / parts / 4) * 4)));

// job kinds (elementwise-worker-source.ts)
const UNARY = 1;
const BINARY = 2;
const COUNT_LIKELIHOOD = 3;
const KINETIC_MIXTURE = 4;
const DIRICHLET_KL = 5;

/** The NB / ZINB log-likelihood's arrays: inputs x, mu, theta (, pi), each of a length dividing n; outputs of n. */
export interface CountLikelihoodJob {
  inputs: readonly Float32Array[];
  outputs: readonly Float32Array[];
  zeroInflated: boolean;
  grad: boolean;
  eps: number;
}

export class ElementwiseThreadPool {
  private constructor(private readonly workers: WorkerSet) {}

  /** threads − 1 workers, or null where threads < 2 or the runtime has no workers with shared memory. */
  static async start(threads: number, kernels: WebAssembly.Module, timeouts?: WorkerTimeouts): Promise<ElementwiseThreadPool | null> {
    const workers = await WorkerSet.start(threads, ELEMENTWISE_WORKER_SOURCE, { module: kernels, names: [...ELEMENTWISE_KERNELS] }, timeouts);
    return workers === null ? null : new ElementwiseThreadPool(workers);
  }

  get threads(): number {
    return this.workers.size + 1;
  }

  close(): void {
    this.workers.close();
  }

  /**
   * out = name(a[, b]) elementwise on all threads; `own(from, to)` computes elements [from, to) on
   * this thread (the caller's single-threaded path on subarrays). False, having done nothing,
   * where the pool is closed or the arrays do not fit the shared memory.
   */
  run(name: ElementwiseKernelName, inputs: readonly Float32Array[], out: Float32Array, own: (from: number, to: number) => void): boolean {
    const parts = this.workers.size + 1;
    if (parts < 2) return false;
    const n = out.length;
    const bounds = rangeBounds(n, parts);
    const layout: Array<{ inputs: number[]; outputs: number[]; from: number; to: number }> = [];
    let end = 0;
    for (let p = 1; p < parts; p++) {
      const [from, to] = [bounds[p] as number, bounds[p + 1] as number];
      const bytes = align16(4 * (to - from));
      const at = inputs.map((_, q) => end + q * bytes);
      layout.push({ inputs: at, outputs: [end + inputs.length * bytes], from, to });
      end += (inputs.length + 1) * bytes;
    }
    if (!this.workers.reserve(end)) return false;
    const shared = new Float32Array(this.workers.memory.buffer);
    for (const part of layout) inputs.forEach((x, q) => shared.set(x.subarray(part.from, part.to), (part.inputs[q] as number) / 4));
    const kernel = ELEMENTWISE_KERNELS.indexOf(name);
    const argsOf = (i: number) => {
      const part = layout[i] as (typeof layout)[number];
      return [inputs.length === 1 ? UNARY : BINARY, kernel, part.to - part.from, part.inputs[0] as number, (part.inputs[1] ?? 0) as number, part.outputs[0] as number];
    };
    this.workers.completeRanges(this.workers.start(argsOf), layout, [out], bounds[1] as number, own);
    return true;
  }

  /**
   * The NB / ZINB log-likelihood on all threads; `own(from, to)` computes elements [from, to) on
   * this thread. Inputs as long as the outputs are staged by range, shorter (periodic) ones whole,
   * with the phase at which the range starts. False, having done nothing, as for `run`.
   */
  runCountLikelihood(job: CountLikelihoodJob, own: (from: number, to: number) => void): boolean {
    const parts = this.workers.size + 1;
    if (parts < 2) return false;
    const n = (job.outputs[0] as Float32Array).length;
    const bounds = rangeBounds(n, parts);
    const layout: Array<{ args: number[]; outputs: number[]; from: number; to: number; copy: (into: Float32Array) => void }> = [];
    let end = 0;
    for (let p = 1; p < parts; p++) {
      const [from, to] = [bounds[p] as number, bounds[p + 1] as number];
      const count = to - from;
      const staged = job.inputs.map((x) => (x.length === n ? { src: x.subarray(from, to), phase: 0 } : { src: x, phase: from % x.length }));
      const inputAt = staged.map(({ src }) => {
        const at = end;
        end = align16(end + 4 * src.length);
        return at;
      });
      const outputs = job.outputs.map(() => {
        const at = end;
        end = align16(end + 4 * count);
        return at;
      });
      const args = [COUNT_LIKELIHOOD, (job.zeroInflated ? 1 : 0) | (job.grad ? 2 : 0), count, 0];
      for (let j = 0; j < 4; j++) args.push(inputAt[j] ?? 0, (staged[j]?.src.length ?? 0) as number, staged[j]?.phase ?? 0);
      for (let j = 0; j < 4; j++) args.push(outputs[j] ?? 0);
      layout.push({ args, outputs, from, to, copy: (into) => staged.forEach(({ src }, j) => into.set(src, (inputAt[j] as number) / 4)) });
    }
    if (!this.workers.reserve(end)) return false;
    const shared = new Float32Array(this.workers.memory.buffer);
    layout.forEach((part) => part.copy(shared));
    // eps goes as float32 bits in control[5] (the kernel takes a float32)
    const started = this.workers.start(
      (i) => (layout[i] as (typeof layout)[number]).args,
      (_worker, control) => {
        new Float32Array(control.buffer, control.byteOffset, control.length)[5] = job.eps;
      },
    );
    this.workers.completeRanges(started, layout, job.outputs, bounds[1] as number, own);
    return true;
  }

  /**
   * veloVI's likelihood (KernelModule.kineticMixture) on all threads: whole chunks of rows per
   * thread, so each chunk's gene partials are the single-threaded ones; `own(from, to)` runs rows
   * [from, to) on this thread. The gene inputs and attributes are staged once, each worker's rows
   * of the cell inputs (and dy) by range. False, having done nothing, as for `run`.
   */
  runKinetic(job: KineticJob, own: (from: number, to: number) => void): boolean {
    const parts = this.workers.size + 1;
    const chunks = Math.ceil(job.rows / job.chunkRows);
    if (parts < 2 || chunks < 2) return false;
    const bounds = Array.from({ length: parts + 1 }, (_, p) => Math.min(job.rows, Math.round((chunks * p) / parts) * job.chunkRows));
    const { g } = job;
    const grad = job.dy !== null;
    let end = 0;
    const place = (floats: number): number => {
      const at = end;
      end = align16(end + 4 * floats);
      return at;
    };
    const attrsAt = place(2 * job.attrs.length); // float64
    const genesAt = place(job.genes.length);
    const layout: Array<{ from: number; to: number; count: number; cellsAt: number[]; dyAt: number; outsAt: number[]; partialsAt: number }> = [];
    for (let p = 1; p < parts; p++) {
      const [from, to] = [bounds[p] as number, bounds[p + 1] as number];
      const count = to - from;
      const cellsAt = job.cells.map((_, j) => place(count * g * (j === 2 ? 4 : 1)));
      const dyAt = grad ? place(count * g) : 0;
      const outsAt = job.outputs.map((_, j) => place(count * g * (j === 2 ? 4 : 1)));
      const partialsAt = grad ? place(Math.ceil(count / job.chunkRows) * 8 * g) : 0;
      layout.push({ from, to, count, cellsAt, dyAt, outsAt, partialsAt });
    }
    if (!this.workers.reserve(end)) return false;
    const buffer = this.workers.memory.buffer;
    const shared = new Float32Array(buffer);
    new Float64Array(buffer, attrsAt, job.attrs.length).set(job.attrs);
    shared.set(job.genes, genesAt / 4);
    for (const part of layout) {
      job.cells.forEach((a, j) => {
        const width = j === 2 ? 4 * g : g;
        shared.set(a.subarray(part.from * width, part.to * width), (part.cellsAt[j] as number) / 4);
      });
      if (job.dy !== null) shared.set(job.dy.subarray(part.from * g, part.to * g), part.dyAt / 4);
    }
    const started = this.workers.start((i) => {
      const part = layout[i] as (typeof layout)[number];
      const outs = [0, 1, 2].map((j) => part.outsAt[j] ?? 0);
      return [KINETIC_MIXTURE, grad ? 1 : 0, g, part.count, job.chunkRows, attrsAt, genesAt, ...part.cellsAt, part.dyAt, ...outs, part.partialsAt];
    });
    this.completeStaged(started, layout, bounds[1] as number, own, (part, view) => {
      job.outputs.forEach((o, j) => {
        const width = j === 2 ? 4 * g : g;
        o.set(view.subarray((part.outsAt[j] as number) / 4, (part.outsAt[j] as number) / 4 + part.count * width), part.from * width);
      });
      if (job.partials !== null) {
        const size = Math.ceil(part.count / job.chunkRows) * 8 * g;
        job.partials.set(view.subarray(part.partialsAt / 4, part.partialsAt / 4 + size), (part.from / job.chunkRows) * 8 * g);
      }
    });
    return true;
  }

  /**
   * KL(Dir(p) ‖ Dir(q)) per row (KernelModule.dirichletKl) on all threads: one range of rows per
   * thread, staged by range; `own(from, to)` runs rows [from, to) on this thread. False, having
   * done nothing, as for `run`.
   */
  runDirichletKl(job: DirichletKlJob, own: (from: number, to: number) => void): boolean {
    const parts = this.workers.size + 1;
    if (parts < 2 || job.rows < parts) return false;
    const bounds = Array.from({ length: parts + 1 }, (_, p) => Math.round((job.rows * p) / parts));
    const { k } = job;
    const widths = DIRICHLET_KL_OUTPUT_PER_ROW[job.form].map((perRow) => (perRow ? 1 : k));
    let end = 0;
    const place = (floats: number): number => {
      const at = end;
      end = align16(end + 4 * floats);
      return at;
    };
    const layout: Array<{ from: number; to: number; count: number; pAt: number; qAt: number; dyAt: number; outsAt: number[] }> = [];
    for (let p = 1; p < parts; p++) {
      const [from, to] = [bounds[p] as number, bounds[p + 1] as number];
      const count = to - from;
      const pAt = place(count * k);
      const qAt = place(count * k);
      const dyAt = job.dy !== null ? place(count) : 0;
      layout.push({ from, to, count, pAt, qAt, dyAt, outsAt: widths.map((w) => place(count * w)) });
    }
    if (!this.workers.reserve(end)) return false;
    const shared = new Float32Array(this.workers.memory.buffer);
    for (const part of layout) {
      shared.set(job.p.subarray(part.from * k, part.to * k), part.pAt / 4);
      shared.set(job.q.subarray(part.from * k, part.to * k), part.qAt / 4);
      if (job.dy !== null) shared.set(job.dy.subarray(part.from, part.to), part.dyAt / 4);
    }
    const started = this.workers.start((i) => {
      const part = layout[i] as (typeof layout)[number];
      return [DIRICHLET_KL, DIRICHLET_KL_FORMS[job.form], k, part.count, part.pAt, part.qAt, part.dyAt, part.outsAt[0] ?? 0, part.outsAt[1] ?? 0];
    });
    this.completeStaged(started, layout, bounds[1] as number, own, (part, view) => {
      job.outputs.forEach((o, j) => {
        const width = widths[j] as number;
        const at = (part.outsAt[j] as number) / 4;
        o.set(view.subarray(at, at + part.count * width), part.from * width);
      });
    });
    return true;
  }

  /**
   * The end of a job staged by rows (runKinetic, runDirichletKl): this thread's rows [0, ownTo),
   * then the workers'; a worker that does not answer has its rows redone here, the others' results
   * are copied back by `copyBack` from the shared memory.
   */
  private completeStaged<Part extends { from: number; to: number }>(
    started: number, layout: readonly Part[], ownTo: number, own: (from: number, to: number) => void, copyBack: (part: Part, view: Float32Array) => void,
  ): void {
    own(0, ownTo);
    const redone = new Set<number>();
    this.workers.finish(started, (i) => {
      const part = layout[i] as Part;
      own(part.from, part.to);
      redone.add(i);
    });
    const view = new Float32Array(this.workers.memory.buffer);
    layout.forEach((part, i) => {
      if (!redone.has(i)) copyBack(part, view);
    });
  }
}
