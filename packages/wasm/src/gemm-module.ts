// The packed SIMD matrix product (assembly/gemm.ts) as @vitae/tensor's dense matrix product on the
// wasm backend (`setDenseMatMulImpl`): it runs in place on the tensors in tfjs' heap, reading a
// transposed operand through swapped strides, so every layout training uses runs at the plain
// layout's speed. Also a typed-array API (`multiply`) over the module's own memory, for tests and
// direct use.
import { GemmThreadPool } from './gemm-threads.js';
import { threadCount } from './threads.js';
import { HeapModule } from './heap-module.js';
import { GEMM_SHARED_WASM_BASE64 } from './generated/gemm-shared-wasm.js';
import { GEMM_WASM_BASE64 } from './generated/gemm-wasm.js';

import type { DenseMatMulCall, DenseMatMulImpl } from '@vitae/tensor/kernels';

import type { GemmExports } from './gemm-threads.js';

/** Operand layouts for `multiply`: a [m, k] (or [k, m] with transposeA), b [k, n] (or [n, k]). */
export interface GemmOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

const align16 = (n: number) => (n + 15) & ~15;

/**
 * Products of at least this many multiply-adds (m·n·k) are split across the threads; smaller
 * ones are not worth the copies and the wake-up (bench/gemm.bench.ts).
 */
export const PARALLEL_MIN_MULTIPLY_ADDS = 1 << 22;

export class GemmModule implements DenseMatMulImpl {
  readonly provider = 'wasm-simd';
  private pool: GemmThreadPool | null = null;

  private constructor(private readonly wasm: HeapModule<GemmExports>) {}

  /** Compiles the embedded module and starts `threads` − 1 workers (default: see `setThreads`). */
  static async load(threads?: number): Promise<GemmModule> {
    const module = new GemmModule(await HeapModule.load<GemmExports>(GEMM_WASM_BASE64));
    await module.setThreads(threads);
    return module;
  }

  /**
   * The threads large products run on, the calling one included: 1 runs everything on the
   * calling thread. Default: VITAE_THREADS in Node if set, else the cores available (at most 4).
   * Where the runtime has no workers with shared memory (a browser page that is not cross-origin
   * isolated), products run on the calling thread whatever is asked. Results do not depend on it.
   */
  async setThreads(threads?: number): Promise<void> {
    const count = await threadCount('GemmModule.setThreads', threads);
    this.pool?.close();
    this.pool = null;
    this.pool = await GemmThreadPool.start(count, GEMM_SHARED_WASM_BASE64);
  }

  /** The threads a large product runs on now (1 without workers). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  scratchBytes(m: number, n: number, k: number): number {
    return this.wasm.own.packBytes(m, n, k);
  }

  /** One product in place in `call.heap` (@vitae/tensor's BatchMatMul kernel calls this). */
  run(call: DenseMatMulCall): void {
    const { m, n, k, a, b, out, scratch, heap } = call;
    const kernel = this.wasm.inPlace(heap, [a, b, out, scratch]);
    if (kernel === null) {
      // not views of one importable heap: through our own memory
      this.copyRun(call);
      return;
    }
    if (this.pool !== null && m * n * k >= PARALLEL_MIN_MULTIPLY_ADDS && this.pool.run(call, kernel)) return;
    kernel.gemm(0, m, n, k, a.byteOffset, call.aRow, call.aCol, b.byteOffset, call.bRow, call.bCol, out.byteOffset, n, scratch.byteOffset);
  }

  /**
   * out [m, n] = op(a) · op(b) for row-major typed arrays: a is [m, k] ([k, m] with transposeA), b
   * is [k, n] ([n, k] with transposeB). Each output is the sequential float32 sum over k of the
   * products (no fused multiply-add), as tfjs-backend-wasm's XNNPACK product computes it.
   */
  multiply(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array, { transposeA = false, transposeB = false }: GemmOptions = {}): void {
    for (const [name, v] of [['m', m], ['k', k], ['n', n]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`GemmModule.multiply: argument '${name}' must be a non-negative integer, got ${v}`);
    }
    for (const [name, arr, size] of [['a', a, m * k], ['b', b, k * n], ['out', out, m * n]] as const) {
      if (!(arr instanceof Float32Array)) throw new TypeError(`GemmModule.multiply: argument '${name}' must be a Float32Array, got ${Object.prototype.toString.call(arr)}`);
      if (arr.length !== size) throw new RangeError(`GemmModule.multiply: argument '${name}' must hold ${size} elements for m ${m}, k ${k}, n ${n}, got ${arr.length}`);
    }
    const [aRow, aCol] = transposeA ? [1, m] : [k, 1];
    const [bRow, bCol] = transposeB ? [1, k] : [n, 1];
    this.copyRun({ m, n, k, a, aRow, aCol, b, bRow, bCol, out });
  }

  /** a, b copied into the own memory, the product computed there and copied out. */
  private copyRun(call: Omit<DenseMatMulCall, 'scratch' | 'heap'>): void {
    const { m, n, k, a, b, out } = call;
    if (m * n === 0) return;
    const pa = 0;
    const pb = align16(a.byteLength);
    const pc = pb + align16(b.byteLength);
    const ps = pc + align16(out.byteLength);
    const buffer = this.wasm.reserve(ps + this.wasm.own.packBytes(m, n, k));
    new Float32Array(buffer, pa, a.length).set(a);
    new Float32Array(buffer, pb, b.length).set(b);
    this.wasm.own.gemm(0, m, n, k, pa, call.aRow, call.aCol, pb, call.bRow, call.bCol, pc, n, ps);
    out.set(new Float32Array(buffer, pc, out.length));
  }
}
