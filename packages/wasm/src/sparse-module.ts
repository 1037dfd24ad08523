// The sparse (CSR) × dense products (assembly/sparse.ts) over typed arrays, a HeapModule
// (heap-module.ts): on the wasm backend they run in place on the tensors in tfjs' heap;
// arrays from anywhere else (the cpu backend, plain typed arrays) are copied whole into the
// module's own memory and the product copied out.
import { SparseKernel, csrKernelError } from '@vitae/tensor/kernels';
import { HeapModule } from './heap-module.js';
import { SPARSE_WASM_BASE64 } from './generated/sparse-wasm.js';

/** A CSR matrix's arrays: row i holds data[indptr[i] .. indptr[i + 1]) at columns indices[same]. */
export interface CsrArrays {
  data: Float32Array;
  indices: Int32Array;
  indptr: Int32Array;
}

type Product = (nRows: number, nnz: number, nCols: number, n: number, data: number, indices: number, indptr: number, dense: number, out: number) => number;

/** The exports of sparse.wasm: pointers are byte offsets into its (imported) memory. */
interface SparseExports {
  csrMatMul: Product;
  csrTransposeMatMul: Product;
  errorRow: WebAssembly.Global;
  errorEntry: WebAssembly.Global;
}

// the kernels' status codes (assembly/sparse.ts)
const BAD_ROW = 1;
const BAD_COLUMN = 2;

const align16 = (n: number) => (n + 15) & ~15;

export class SparseModule {
  private constructor(private readonly wasm: HeapModule<SparseExports>) {}

  /** Compiles the embedded module. */
  static async load(): Promise<SparseModule> {
    return new SparseModule(await HeapModule.load<SparseExports>(SPARSE_WASM_BASE64));
  }

  /**
   * out [nRows, n] = A · b for A [nRows, nCols] in CSR (nRows = indptr.length − 1) and b
   * [nCols, n] row-major. `heap`: a WebAssembly.Memory the arrays may be views of.
   */
  matMul(a: CsrArrays, nCols: number, b: Float32Array, n: number, out: Float32Array, heap?: WebAssembly.Memory): void {
    this.run('csrMatMul', a, nCols, b, n, out, heap);
  }

  /** out [nCols, n] = Aᵀ · dy for dy [nRows, n] row-major (A as in matMul). */
  transposeMatMul(a: CsrArrays, nCols: number, dy: Float32Array, n: number, out: Float32Array, heap?: WebAssembly.Memory): void {
    this.run('csrTransposeMatMul', a, nCols, dy, n, out, heap);
  }

  private run(kind: 'csrMatMul' | 'csrTransposeMatMul', a: CsrArrays, nCols: number, dense: Float32Array, n: number, out: Float32Array, heap: WebAssembly.Memory | undefined): void {
    const kernelName = kind === 'csrMatMul' ? SparseKernel.CsrMatMul : SparseKernel.CsrTransposeMatMul;
    const nRows = a.indptr.length - 1;
    const nnz = a.data.length;
    const [denseRows, outRows] = kind === 'csrMatMul' ? [nCols, nRows] : [nRows, nCols];
    if (nRows < 0 || a.indices.length !== nnz || !(Number.isInteger(n) && n >= 0) || dense.length !== denseRows * n || out.length !== outRows * n) {
      throw new RangeError(
        `SparseModule.${kind === 'csrMatMul' ? 'matMul' : 'transposeMatMul'}: inconsistent sizes: nnz ${nnz} (indices ${a.indices.length}), indptr ${a.indptr.length}, nCols ${nCols}, n ${n}, dense ${dense.length}, out ${out.length}`,
      );
    }
    if (out.length === 0) return;
    const arrays = [a.data, a.indices, a.indptr, dense, out];
    const direct = this.wasm.inPlace(heap, arrays);
    let status: number;
    let kernel: SparseExports;
    if (direct !== null) {
      kernel = direct;
      status = direct[kind](nRows, nnz, nCols, n, a.data.byteOffset, a.indices.byteOffset, a.indptr.byteOffset, dense.byteOffset, out.byteOffset);
    } else {
      kernel = this.wasm.own;
      // data, indices, indptr, dense, out one after another, each 16-byte aligned
      const at: number[] = [];
      let bytes = 0;
      for (const x of arrays) {
        at.push(bytes);
        bytes = align16(bytes + x.byteLength);
      }
      const buffer = this.wasm.reserve(bytes);
      arrays.slice(0, 4).forEach((x, k) => new Uint8Array(buffer, at[k], x.byteLength).set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)));
      const [pData, pIndices, pIndptr, pDense, pOut] = at as [number, number, number, number, number];
      status = kernel[kind](nRows, nnz, nCols, n, pData, pIndices, pIndptr, pDense, pOut);
      if (status === 0) out.set(new Float32Array(buffer, pOut, out.length));
    }
    if (status === BAD_ROW) throw csrKernelError(kernelName, kernel.errorRow.value as number, 0, nnz, nCols, undefined);
    if (status === BAD_COLUMN) {
      const p = kernel.errorEntry.value as number;
      throw csrKernelError(kernelName, 0, p, nnz, nCols, a.indices[p]);
    }
  }
}
