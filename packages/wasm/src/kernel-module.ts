// The compiled AssemblyScript kernels (assembly/), wrapped as functions over Float32Arrays.
// Usable on their own (no tfjs needed) and as the implementations `installWasmKernels` registers.
import { decodeBase64 } from './base64.js';
import { ElementwiseThreadPool } from './elementwise-threads.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';
import { DIRICHLET_KL_OUTPUT_PER_ROW, dirichletKlTakesDy, runDirichletKlRows } from './dirichlet-kl.js';
import { GENE_PARTIALS, kineticChunkRows, runKineticRows, sumChunkPartials } from './kinetic-mixture.js';
import { gatherPeriodic } from './periodic.js';
import { threadCount } from './threads.js';

import type { DirichletKlJob } from './dirichlet-kl.js';
import type { DirichletKlForm } from '@vitae/tensor/kernels';
import type { KineticGenes, KineticJob } from './kinetic-mixture.js';

/** The gene inputs in the kernel's order. */
const KINETIC_GENES = ['alpha', 'beta', 'gamma', 'switchTime', 'u0', 's0', 'sdU', 'sdS'] as const;

/** The raw exports of kernels.wasm: pointers are byte offsets into `memory`, arrays are float32. */
interface KernelExports {
  memory: WebAssembly.Memory;
  scratchBase(): number;
  lgamma(x: number, out: number, n: number): void;
  digamma(x: number, out: number, n: number): void;
  trigamma(x: number, out: number, n: number): void;
  polygamma(order: number, x: number, out: number, n: number): void;
  log1pExp(x: number, out: number, n: number): void;
  logSigmoid(x: number, out: number, n: number): void;
  xlogy(x: number, y: number, out: number, n: number): void;
  logBeta(a: number, b: number, out: number, n: number): void;
  standardGammaGrad(x: number, alpha: number, out: number, n: number): void;
  logSumExpRows(x: number, out: number, rows: number, cols: number): void;
  logNb(grad: number, x: number, mu: number, th: number, out: number, gMu: number, gTh: number, n: number, eps: number, scratch: number): void;
  logZinb(grad: number, x: number, mu: number, th: number, pi: number, out: number, gMu: number, gTh: number, gPi: number, n: number, eps: number, scratch: number): void;
  normalMixture(grad: number, base: number, stride: number, n: number, invLast: number, logLast: number): void;
  kineticMixture(grad: number, cells: number, plane: number, genes: number, gstride: number, acc: number, rows: number, gp: number, lastScale: number, logLast: number, probsEps: number): void;
  dirichletKl(form: number, p: number, q: number, dy: number, out0: number, out1: number, rows: number, k: number, scratch: number): void;
  normalizeRows(grad: number, g: number, dy: number, out: number, rows: number, k: number): void;
}

/** Inputs of the NB / ZINB kernels (ZINB when `pi` is given). */
export interface CountLikelihoodInputs {
  x: Float32Array;
  mu: Float32Array;
  theta: Float32Array;
  pi?: Float32Array;
}

/** Outputs of the NB / ZINB kernels: `value`, and the partial derivatives when `mu` is given. */
export interface CountLikelihoodOutputs {
  value: Float32Array;
  mu?: Float32Array;
  theta?: Float32Array;
  pi?: Float32Array;
}

export type UnaryKernelName = 'lgamma' | 'digamma' | 'trigamma' | 'log1pExp' | 'logSigmoid';
export type BinaryKernelName = 'xlogy' | 'logBeta' | 'standardGammaGrad';

/**
 * Elements per chunk: inputs are copied into the module's memory and processed in chunks of
 * 16,384 floats (64 KiB per buffer), which stay in cache and keep the module's memory small
 * whatever the tensor size.
 */
const CHUNK = 16384;
const PAGE = 65536;
/**
 * Unary and binary kernels over at least this many elements run on all threads
 * (elementwise-threads.ts); below, the copies and the wake-up outweigh the split.
 */
export const PARALLEL_MIN_ELEMENTS = 65536;

const align16 = (n: number) => (n + 15) & ~15;

export class KernelModule {
  private readonly base: number;
  private pool: ElementwiseThreadPool | null = null;

  private constructor(
    private readonly module: WebAssembly.Module,
    private readonly exports: KernelExports,
  ) {
    this.base = align16(exports.scratchBase());
  }

  /**
   * Compiles and instantiates the embedded module (async: browsers refuse large synchronous
   * compiles), with `threads` − 1 workers for the unary and binary kernels (default: see
   * `setThreads`).
   */
  static async load(threads?: number): Promise<KernelModule> {
    const module = await WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64));
    const instance = await WebAssembly.instantiate(module, {});
    const kernels = new KernelModule(module, instance.exports as unknown as KernelExports);
    await kernels.setThreads(threads);
    return kernels;
  }

  /**
   * The threads unary and binary kernels over at least PARALLEL_MIN_ELEMENTS elements run on,
   * the calling one included (1: all on the calling thread). Default: VITAE_THREADS in Node if
   * set, else the cores available (at most 4); without workers with shared memory (a browser page
   * that is not cross-origin isolated) everything runs on the calling thread. Results do not
   * depend on it.
   */
  async setThreads(threads?: number): Promise<void> {
    const count = await threadCount('KernelModule.setThreads', threads);
    this.pool?.close();
    this.pool = null;
    this.pool = await ElementwiseThreadPool.start(count, this.module);
  }

  /** The threads a large unary or binary kernel runs on now (1 without workers). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Makes room for `floats` float32 values per buffer for `buffers` buffers; returns their pointers. */
  private reserve(buffers: number, floats: number): number[] {
    const bytesPer = align16(Math.ceil(floats / 4) * 16);
    const needed = this.base + buffers * bytesPer;
    const memory = this.exports.memory;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    return Array.from({ length: buffers }, (_, i) => this.base + i * bytesPer);
  }

  private heap(): Float32Array {
    return new Float32Array(this.exports.memory.buffer);
  }

  /** out[i] = f(x[i]) for one of the unary kernels; `out` defaults to a new array. */
  unary(name: UnaryKernelName, x: Float32Array, out: Float32Array = new Float32Array(x.length)): Float32Array {
    checkLengths(x.length, out.length);
    const alone = (from: number, to: number) => this.chunkedUnary(x.subarray(from, to), out.subarray(from, to), (ptr, n) => this.exports[name](ptr, ptr, n));
    if (x.length < PARALLEL_MIN_ELEMENTS || this.pool === null || !this.pool.run(name, [x], out, alone)) alone(0, x.length);
    return out;
  }

  /** ψ^(order)(x) elementwise (order >= 0). */
  polygamma(order: number, x: Float32Array, out: Float32Array = new Float32Array(x.length)): Float32Array {
    return this.chunkedUnary(x, out, (ptr, n) => this.exports.polygamma(order, ptr, ptr, n));
  }

  private chunkedUnary(x: Float32Array, out: Float32Array, run: (ptr: number, n: number) => void): Float32Array {
    checkLengths(x.length, out.length);
    const [ptr] = this.reserve(1, Math.min(CHUNK, x.length)) as [number];
    const heap = this.heap();
    const at = ptr >> 2;
    for (let start = 0; start < x.length; start += CHUNK) {
      const n = Math.min(CHUNK, x.length - start);
      heap.set(x.subarray(start, start + n), at);
      run(ptr, n); // in place
      out.set(heap.subarray(at, at + n), start);
    }
    return out;
  }

  /** out[i] = f(a[i], b[i]) for xlogy, logBeta or standardGammaGrad (a = x, b = alpha) (same-length arrays). */
  binary(name: BinaryKernelName, a: Float32Array, b: Float32Array, out: Float32Array = new Float32Array(a.length)): Float32Array {
    checkLengths(a.length, b.length);
    checkLengths(a.length, out.length);
    const alone = (from: number, to: number) => this.chunkedBinary(name, a.subarray(from, to), b.subarray(from, to), out.subarray(from, to));
    if (a.length < PARALLEL_MIN_ELEMENTS || this.pool === null || !this.pool.run(name, [a, b], out, alone)) alone(0, a.length);
    return out;
  }

  private chunkedBinary(name: BinaryKernelName, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const [pa, pb] = this.reserve(2, Math.min(CHUNK, a.length)) as [number, number];
    const heap = this.heap();
    for (let start = 0; start < a.length; start += CHUNK) {
      const n = Math.min(CHUNK, a.length - start);
      heap.set(a.subarray(start, start + n), pa >> 2);
      heap.set(b.subarray(start, start + n), pb >> 2);
      this.exports[name](pa, pb, pa, n);
      out.set(heap.subarray(pa >> 2, (pa >> 2) + n), start);
    }
  }

  /** out[r] = log Σ_c exp(x[r·cols + c]) for a row-major [rows, cols] matrix. */
  logSumExpRows(x: Float32Array, rows: number, cols: number, out: Float32Array = new Float32Array(rows)): Float32Array {
    checkLengths(rows * cols, x.length);
    checkLengths(rows, out.length);
    const rowsPerChunk = Math.max(1, Math.floor(CHUNK / Math.max(cols, 1)));
    const [px, po] = this.reserve(2, Math.max(rowsPerChunk * cols, rowsPerChunk)) as [number, number];
    const heap = this.heap();
    for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
      const nr = Math.min(rowsPerChunk, rows - r0);
      heap.set(x.subarray(r0 * cols, (r0 + nr) * cols), px >> 2);
      this.exports.logSumExpRows(px, po, nr, cols);
      out.set(heap.subarray(po >> 2, (po >> 2) + nr), r0);
    }
    return out;
  }

  /**
   * The NB log-likelihood (scvi-tools' log_nb_positive) or, with `inputs.pi`, the ZINB one
   * (log_zinb_positive), into `outputs.value` (n = its length); with `outputs.mu` also the partial
   * derivatives ∂/∂mu, ∂/∂theta (and ∂/∂pi) into outputs.mu, .theta (, .pi), length n each.
   * Every input has length n or a length L dividing n, read as input[i mod L] (a broadcast over
   * leading axes: theta [G] against mu [B, G]).
   */
  countLikelihood(inputs: CountLikelihoodInputs, outputs: CountLikelihoodOutputs, eps = 1e-8): void {
    const n = outputs.value.length;
    const zi = inputs.pi !== undefined;
    const grad = outputs.mu !== undefined;
    const ins = zi ? [inputs.x, inputs.mu, inputs.theta, inputs.pi as Float32Array] : [inputs.x, inputs.mu, inputs.theta];
    const outs = [outputs.value, ...(grad ? (zi ? [outputs.mu, outputs.theta, outputs.pi] : [outputs.mu, outputs.theta]) : [])];
    for (const a of ins) {
      if (n > 0 && (a.length === 0 || n % a.length !== 0)) throw new RangeError(`KernelModule.countLikelihood: input lengths must divide ${n}, got ${a.length}`);
    }
    for (const o of outs) {
      if (o === undefined || o.length !== n) throw new RangeError(`KernelModule.countLikelihood: every gradient output needs length ${n}, got ${o?.length}`);
    }
    if (n === 0) return;
    const alone = (from: number, to: number) => this.countLikelihoodRange(ins, outs as Float32Array[], zi, grad, eps, from, to);
    const threaded = n >= PARALLEL_MIN_ELEMENTS && this.pool !== null && this.pool.runCountLikelihood({ inputs: ins, outputs: outs as Float32Array[], zeroInflated: zi, grad, eps }, alone);
    if (!threaded) alone(0, n);
  }

  /** Elements [from, to) of countLikelihood (inputs read periodically from their own start). */
  private countLikelihoodRange(ins: Float32Array[], outs: Float32Array[], zi: boolean, grad: boolean, eps: number, from: number, to: number): void {
    // one buffer per input (the outputs overwrite them: value -> x, ∂/∂mu -> mu, ...), then the
    // kernel's four scratch arrays
    const ptrs = this.reserve(ins.length + 4, Math.min(CHUNK, to - from));
    const [px, pmu, pth] = ptrs as [number, number, number];
    const ppi = zi ? (ptrs[3] as number) : 0;
    const scratch = ptrs[ins.length] as number;
    const heap = this.heap();
    for (let start = from; start < to; start += CHUNK) {
      const m = Math.min(CHUNK, to - start);
      ins.forEach((a, j) => gatherPeriodic(heap, (ptrs[j] as number) >> 2, a, start, m));
      if (zi) this.exports.logZinb(grad ? 1 : 0, px, pmu, pth, ppi, px, pmu, pth, ppi, m, eps, scratch);
      else this.exports.logNb(grad ? 1 : 0, px, pmu, pth, px, pmu, pth, m, eps, scratch);
      outs.forEach((o, j) => {
        const at = (ptrs[j] as number) >> 2;
        o.set(heap.subarray(at, at + m), start);
      });
    }
  }

  /**
   * The mixture of four Normals of @vitae/tensor's NormalMixture kernel (assembly/normal-mixture.ts,
   * float32): inputs [x, m0..m3, w0..w3, sd], each of length n but sd, whose length divides n
   * (read as sd[i mod length]); outputs [value] or [value, ∂/∂w0..3, ∂/∂m0..3, ∂/∂σ], length n
   * each. The fourth component's σ is lastScale · sd.
   */
  normalMixture(inputs: readonly Float32Array[], outputs: readonly Float32Array[], lastScale: number): void {
    const fn = 'KernelModule.normalMixture';
    if (inputs.length !== 10) throw new RangeError(`${fn}: argument 'inputs' must hold 10 arrays (x, m0..m3, w0..w3, sd), got ${inputs.length}`);
    if (outputs.length !== 1 && outputs.length !== 10) throw new RangeError(`${fn}: argument 'outputs' must hold 1 or 10 arrays, got ${outputs.length}`);
    if (!(lastScale > 0) || lastScale === Infinity) throw new RangeError(`${fn}: argument 'lastScale' must be finite and > 0, got ${lastScale}`);
    const n = (outputs[0] as Float32Array).length;
    inputs.forEach((a, j) => {
      const ok = j === 9 ? n === 0 || (a.length > 0 && n % a.length === 0) : a.length === n;
      if (!ok) throw new RangeError(`${fn}: input ${j} has length ${a.length}, expected ${j === 9 ? `a divisor of ${n}` : n}`);
    });
    for (const o of outputs) if (o.length !== n) throw new RangeError(`${fn}: every output needs length ${n}, got ${o.length}`);
    if (n === 0) return;
    const grad = outputs.length === 10;
    // ten buffers, one per input; the outputs overwrite them: value -> x, ∂/∂m_k -> m_k,
    // ∂/∂w_k -> w_k, ∂/∂σ -> sd
    const ptrs = this.reserve(10, Math.min(CHUNK, n));
    const base = ptrs[0] as number;
    const stride = (ptrs[1] as number) - base;
    const from = grad ? [0, 5, 6, 7, 8, 1, 2, 3, 4, 9] : [0]; // output j comes from buffer from[j]
    const heap = this.heap();
    for (let start = 0; start < n; start += CHUNK) {
      const m = Math.min(CHUNK, n - start);
      inputs.forEach((a, j) => gatherPeriodic(heap, (ptrs[j] as number) >> 2, a, start, m));
      this.exports.normalMixture(grad ? 1 : 0, base, stride, m, 1 / lastScale, Math.log(lastScale));
      outputs.forEach((o, j) => {
        const at = (ptrs[from[j] as number] as number) >> 2;
        o.set(heap.subarray(at, at + m), start);
      });
    }
  }

  /**
   * veloVI's likelihood (assembly/kinetic-mixture.ts, float32): cell inputs [ρ, τ, π, u, s]
   * ([B·G] each, π [B·G·4] interleaved) and the gene inputs ([G] each). Without `dy`: outputs
   * [value] ([B·G]); with dy ([B·G]): outputs [∂/∂ρ, ∂/∂τ, ∂/∂π (interleaved), gene partials
   * ([8·G]: α, β, γ, t_s, u₀, s₀, σ_u, σ_s summed over cells)]. From PARALLEL_MIN_ELEMENTS
   * elements, whole chunks of rows go to the workers; the results do not depend on the threads.
   * At least 4 genes (one SIMD vector per row).
   */
  kineticMixture(cells: readonly Float32Array[], genes: KineticGenes, dy: Float32Array | null, outputs: readonly Float32Array[], attrs: { tMax: number; eps: number; lastScale: number; probsEps: number }): void {
    const fn = 'KernelModule.kineticMixture';
    if (cells.length !== 5) throw new RangeError(`${fn}: argument 'cells' must hold 5 arrays (rho, tau, pi, u, s), got ${cells.length}`);
    const g = genes.alpha.length;
    const n = (cells[0] as Float32Array).length;
    if (g < 4 || n % g !== 0) throw new RangeError(`${fn}: the gene inputs' length must be at least 4 and divide the cell inputs' ${n}, got ${g}`);
    cells.forEach((a, j) => {
      if (a.length !== (j === 2 ? 4 * n : n)) throw new RangeError(`${fn}: cell input ${j} has length ${a.length}, expected ${j === 2 ? 4 * n : n}`);
    });
    const geneArrays = KINETIC_GENES.map((name) => genes[name]);
    for (const a of geneArrays) if (a.length !== g) throw new RangeError(`${fn}: every gene input needs length ${g}, got ${a.length}`);
    const grad = dy !== null;
    if (grad && dy.length !== n) throw new RangeError(`${fn}: argument 'dy' must have length ${n}, got ${dy.length}`);
    if (outputs.length !== (grad ? 4 : 1)) throw new RangeError(`${fn}: argument 'outputs' must hold ${grad ? 4 : 1} arrays, got ${outputs.length}`);
    if (n === 0) return;
    const rows = n / g;
    const chunkRows = kineticChunkRows(g);
    const chunks = Math.ceil(rows / chunkRows);
    const job: KineticJob = {
      cells, genes: new Float32Array(GENE_PARTIALS * g), dy, outputs: outputs.slice(0, grad ? 3 : 1),
      partials: grad ? new Float32Array(chunks * GENE_PARTIALS * g) : null, g, rows, chunkRows,
      attrs: [attrs.tMax, attrs.eps, attrs.lastScale, attrs.probsEps],
    };
    geneArrays.forEach((a, k) => job.genes.set(a, k * g));
    const own = (from: number, to: number) => runKineticRows(this.exports, job, from, to);
    const threaded = n >= PARALLEL_MIN_ELEMENTS && chunks > 1 && this.pool !== null && this.pool.runKinetic(job, own);
    if (!threaded) own(0, rows);
    if (grad) sumChunkPartials(job.partials as Float32Array, g, outputs[3] as Float32Array);
  }

  /**
   * KL(Dir(p) ‖ Dir(q)) per row of k concentrations and its partials (assembly/dirichlet-kl.ts,
   * float32): p, q [rows·k]; `form` (@vitae/tensor's dirichletKlForm) picks the outputs:
   * 'value' [value] ([rows]), 'value-gradP' [value, ∂/∂p] ([rows], [rows·k]), with dy ([rows])
   * 'grads' [dy · ∂/∂p, dy · ∂/∂q] and 'gradQ' [dy · ∂/∂q] ([rows·k] each). The form defaults to
   * 'grads' with a dy and 'value' without. From PARALLEL_MIN_ELEMENTS elements the rows are split
   * between the threads (each row computed alike wherever it runs).
   */
  dirichletKl(p: Float32Array, q: Float32Array, k: number, dy: Float32Array | null, outputs: readonly Float32Array[], form?: DirichletKlForm): void {
    const fn = 'KernelModule.dirichletKl';
    const use = form ?? (dy === null ? 'value' : 'grads');
    const perRow = DIRICHLET_KL_OUTPUT_PER_ROW[use] as readonly boolean[] | undefined;
    if (perRow === undefined) throw new RangeError(`${fn}: argument 'form' must be one of ${Object.keys(DIRICHLET_KL_OUTPUT_PER_ROW).map((f) => `'${f}'`).join(', ')}, got ${String(form)}`);
    if (!Number.isInteger(k) || k < 1 || p.length % k !== 0) throw new RangeError(`${fn}: argument 'k' must be a positive integer dividing p's length ${p.length}, got ${k}`);
    if (q.length !== p.length) throw new RangeError(`${fn}: argument 'q' must have p's length ${p.length}, got ${q.length}`);
    const rows = p.length / k;
    const needsDy = dirichletKlTakesDy(use);
    if (needsDy && dy === null) throw new RangeError(`${fn}: argument 'dy' is required for the form '${use}', got null`);
    if (!needsDy && dy !== null) throw new RangeError(`${fn}: argument 'dy' must be null for the form '${use}' (it computes unscaled values)`);
    if (dy !== null && dy.length !== rows) throw new RangeError(`${fn}: argument 'dy' must have length ${rows} (one per row), got ${dy.length}`);
    if (outputs.length !== perRow.length) throw new RangeError(`${fn}: argument 'outputs' must hold ${perRow.length} arrays for the form '${use}', got ${outputs.length}`);
    outputs.forEach((o, j) => {
      const length = perRow[j] === true ? rows : p.length;
      if (o.length !== length) throw new RangeError(`${fn}: output ${j} of the form '${use}' needs length ${length}, got ${o.length}`);
    });
    if (rows === 0) return;
    const job: DirichletKlJob = { form: use, p, q, dy, outputs, rows, k };
    const own = (from: number, to: number) => runDirichletKlRows(this.exports, job, from, to);
    const threaded = p.length >= PARALLEL_MIN_ELEMENTS && rows > 1 && this.pool !== null && this.pool.runDirichletKl(job, own);
    if (!threaded) own(0, rows);
  }

  /**
   * x = g / Σg per row of k (assembly/normalize.ts, float32) into `out`; with `dy` the gradient
   * (dy − Σ dy·x) / Σg instead. g, dy and out of one length, a multiple of k.
   */
  normalizeRows(g: Float32Array, k: number, dy: Float32Array | null, out: Float32Array): void {
    const fn = 'KernelModule.normalizeRows';
    if (!Number.isInteger(k) || k < 1 || g.length % k !== 0) throw new RangeError(`${fn}: argument 'k' must be a positive integer dividing g's length ${g.length}, got ${k}`);
    if (dy !== null && dy.length !== g.length) throw new RangeError(`${fn}: argument 'dy' must have g's length ${g.length}, got ${dy.length}`);
    checkLengths(g.length, out.length);
    const rows = g.length / k;
    const chunkRows = Math.max(1, Math.floor(CHUNK / k));
    const [pg, pdy, pout] = this.reserve(3, chunkRows * k) as [number, number, number];
    for (let r0 = 0; r0 < rows; r0 += chunkRows) {
      const m = Math.min(chunkRows, rows - r0);
      const heap = this.heap();
      heap.set(g.subarray(r0 * k, (r0 + m) * k), pg >> 2);
      if (dy !== null) heap.set(dy.subarray(r0 * k, (r0 + m) * k), pdy >> 2);
      this.exports.normalizeRows(dy === null ? 0 : 1, pg, pdy, pout, m, k);
      out.set(this.heap().subarray(pout >> 2, (pout >> 2) + m * k), r0 * k);
    }
  }
}

function checkLengths(expected: number, got: number): void {
  if (expected !== got) throw new RangeError(`KernelModule: array lengths differ (${expected} vs ${got})`);
}
