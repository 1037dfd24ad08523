// The sum over the leading axis (assembly/reduce.ts) over typed arrays, a HeapModule
// (heap-module.ts): on the wasm backend it runs in place on the tensors in tfjs' heap, as
// @vitae/tensor's sum / mean over leading axes (`setLeadingSumImpl`); arrays from anywhere else
// are copied into the module's own memory. The same float32 bits as @vitae/tensor's
// sumLeadingInto (each column from 0, one float32 add per row in order), ~10x faster.
import { HeapModule } from './heap-module.js';
import { REDUCE_WASM_BASE64 } from './generated/reduce-wasm.js';

import type { LeadingSumCall, LeadingSumImpl } from '@vitae/tensor/kernels';

/** The exports of reduce.wasm: pointers are byte offsets into its (imported) memory. */
interface ReduceExports {
  sumLeading(x: number, rows: number, cols: number, out: number): void;
}

const align16 = (n: number) => (n + 15) & ~15;

export class ReduceModule implements LeadingSumImpl {
  readonly provider = 'wasm-simd';

  private constructor(private readonly wasm: HeapModule<ReduceExports>) {}

  /** Compiles the embedded module. */
  static async load(): Promise<ReduceModule> {
    return new ReduceModule(await HeapModule.load<ReduceExports>(REDUCE_WASM_BASE64));
  }

  /**
   * out[j] = Σ_i x[i·cols + j] over i < rows, in order of i, for x [rows, cols] row-major and out
   * [cols]. `heap`: a WebAssembly.Memory the arrays may be views of.
   */
  sumLeading(x: Float32Array, rows: number, cols: number, out: Float32Array, heap?: WebAssembly.Memory): void {
    const fn = 'ReduceModule.sumLeading';
    if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`${fn}: argument 'rows' must be an integer >= 0, got ${rows}`);
    if (!Number.isInteger(cols) || cols < 0) throw new RangeError(`${fn}: argument 'cols' must be an integer >= 0, got ${cols}`);
    if (x.length !== rows * cols) throw new RangeError(`${fn}: argument 'x' must have rows · cols = ${rows * cols} elements, got ${x.length}`);
    if (out.length !== cols) throw new RangeError(`${fn}: argument 'out' must have cols = ${cols} elements, got ${out.length}`);
    if (cols === 0) return;
    const direct = this.wasm.inPlace(heap, [x, out]);
    if (direct !== null) {
      direct.sumLeading(x.byteOffset, rows, cols, out.byteOffset);
      return;
    }
    const outAt = align16(x.byteLength);
    const buffer = this.wasm.reserve(outAt + out.byteLength);
    new Float32Array(buffer, 0, x.length).set(x);
    this.wasm.own.sumLeading(0, rows, cols, outAt);
    out.set(new Float32Array(buffer, outAt, cols));
  }

  /** @vitae/tensor's LeadingSumImpl: one sum in place in tfjs' heap. */
  run({ x, rows, cols, out, heap }: LeadingSumCall): void {
    this.sumLeading(x, rows, cols, out, heap);
  }
}
