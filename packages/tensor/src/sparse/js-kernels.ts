// Defines the sparse × dense product kernels with their portable JS implementations (float32
// accumulation, in the order of the stored values). @vitae/wasm swaps in SIMD implementations.
// Neither trusts its inputs for memory safety: a row range outside [0, nnz] or a column outside
// the dense operand is an error (the op checks the whole structure first, so only a direct
// kernel call can get here).
import { defineArrayKernel } from '../kernels/array-kernel.js';
import { SparseKernel } from './kernel-names.js';

import type { ArrayKernelImpl, KernelArray, KernelOutputSpec, KernelShape } from '../kernels/array-kernel.js';
import type { CsrTransposeMatMulAttrs } from './kernel-names.js';

type CsrArrays = [Float32Array, Int32Array, Int32Array, Float32Array];

/**
 * The error of a sparse kernel given a malformed structure: row i's range outside [0, nnz]
 * (column undefined) or the column of entry p outside [0, nCols). Shared with @vitae/wasm.
 */
export function csrKernelError(kernelName: string, i: number, p: number, nnz: number, nCols: number, column: number | undefined): Error {
  return column === undefined
    ? new RangeError(`${kernelName}: row ${i} spans entries outside [0, ${nnz}) (indptr must be non-decreasing from 0 to nnz)`)
    : new RangeError(`${kernelName}: column index ${column} at entry ${p} is outside [0, ${nCols})`);
}

/**
 * For each stored (i, j, v) of A: out[i, :] += v · dense[j, :] (A · dense), or with `transpose`
 * out[j, :] += v · dense[i, :] (Aᵀ · dense). `out` is zeroed first; rows have n columns.
 */
function accumulate(kernelName: string, inputs: readonly KernelArray[], nCols: number, n: number, out: Float32Array, transpose: boolean): void {
  const [data, indices, indptr, dense] = inputs as CsrArrays;
  const nRows = indptr.length - 1;
  const nnz = data.length;
  out.fill(0);
  for (let i = 0; i < nRows; i++) {
    const lo = indptr[i] as number;
    const hi = indptr[i + 1] as number;
    if (lo < 0 || hi > nnz || lo > hi) throw csrKernelError(kernelName, i, lo, nnz, nCols, undefined);
    for (let p = lo; p < hi; p++) {
      const j = indices[p] as number;
      if (!(j >= 0 && j < nCols)) throw csrKernelError(kernelName, i, p, nnz, nCols, j);
      const v = data[p] as number;
      const to = (transpose ? j : i) * n;
      const from = (transpose ? i : j) * n;
      for (let k = 0; k < n; k++) out[to + k] = (out[to + k] as number) + v * (dense[from + k] as number);
    }
  }
}

/** out [nRows, n] = A · b, b [nCols, n]. */
export const csrMatMulJs: ArrayKernelImpl = ({ inputs, inputShapes, outputs }) => {
  const [nCols, n] = inputShapes[3] as [number, number];
  accumulate(SparseKernel.CsrMatMul, inputs, nCols, n, outputs[0] as Float32Array, false);
};

/** out [nCols, n] = Aᵀ · dy, dy [nRows, n]: for each stored (i, j, v), out[j, :] += v · dy[i, :]. */
export const csrTransposeMatMulJs: ArrayKernelImpl<CsrTransposeMatMulAttrs> = ({ inputs, inputShapes, outputs, attrs }) => {
  accumulate(SparseKernel.CsrTransposeMatMul, inputs, attrs.nCols, (inputShapes[3] as KernelShape)[1] as number, outputs[0] as Float32Array, true);
};

/** Checks the kernel inputs' ranks and lengths (not their values: the implementations do). */
function csrShapes(kernelName: string, shapes: readonly KernelShape[]): { nRows: number; n: number } {
  const [data, indices, indptr, dense] = shapes as [KernelShape, KernelShape, KernelShape, KernelShape];
  if (data.length !== 1 || indices.length !== 1 || indptr.length !== 1 || data[0] !== indices[0] || (indptr[0] as number) < 1) {
    throw new RangeError(`${kernelName}: inputs data, indices must be 1-D of one length and indptr 1-D and non-empty, got [${data.join(', ')}], [${indices.join(', ')}], [${indptr.join(', ')}]`);
  }
  if (dense.length !== 2) throw new RangeError(`${kernelName}: the dense input must be 2-D, got [${dense.join(', ')}]`);
  return { nRows: (indptr[0] as number) - 1, n: dense[1] as number };
}

export function defineSparseKernels(): void {
  defineArrayKernel(
    {
      kernelName: SparseKernel.CsrMatMul,
      inputNames: ['data', 'indices', 'indptr', 'b'],
      outputs: (shapes): KernelOutputSpec[] => {
        const { nRows, n } = csrShapes(SparseKernel.CsrMatMul, shapes);
        return [{ shape: [nRows, n], dtype: 'float32' }];
      },
    },
    csrMatMulJs,
  );
  defineArrayKernel<CsrTransposeMatMulAttrs>(
    {
      kernelName: SparseKernel.CsrTransposeMatMul,
      inputNames: ['data', 'indices', 'indptr', 'dy'],
      outputs: (shapes, attrs): KernelOutputSpec[] => {
        const { nRows, n } = csrShapes(SparseKernel.CsrTransposeMatMul, shapes);
        if ((shapes[3] as KernelShape)[0] !== nRows) throw new RangeError(`${SparseKernel.CsrTransposeMatMul}: dy must have ${nRows} rows (indptr's length − 1), got [${(shapes[3] as KernelShape).join(', ')}]`);
        if (!Number.isInteger(attrs.nCols) || attrs.nCols < 0) throw new RangeError(`${SparseKernel.CsrTransposeMatMul}: attribute nCols must be an integer >= 0, got ${attrs.nCols}`);
        return [{ shape: [attrs.nCols, n], dtype: 'float32' }];
      },
    },
    csrTransposeMatMulJs,
  );
}
