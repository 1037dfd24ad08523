// csrMatMul: a sparse (CSR) matrix times a dense one, A · B, without densifying A: one kernel
// pass over the stored values (nnz · n multiply-adds instead of nRows · nCols · n). Its gradient
// in B is Aᵀ · dy, again sparse (for each stored (i, j, v): dB[j, :] += v · dy[i, :]); its
// gradient in A's values, when they are a Tensor, is the sampled product dy[i, :] · B[j, :] per
// stored value (gathers, composed of ops). Second derivatives are not supported.
import * as tf from '#tfjs';
import { describe } from '../backend.js';
import { runArrayKernel } from '../kernels/array-kernel.js';
import { runWithSavedGradients } from '../likelihoods/saved-gradients.js';
import { checkCsr, rowOfEntries } from './csr.js';
import { SparseKernel } from './kernel-names.js';

import type { Tensor, Tensor2D } from '#tfjs';
import type { CheckedCsr, CsrInput } from './csr.js';
import type { CsrTransposeMatMulAttrs } from './kernel-names.js';

const FN = 'csrMatMul';

function checkDense(fn: string, b: Tensor, nCols: number): Tensor {
  if (!(b instanceof tf.Tensor)) throw new TypeError(`${fn}: argument 'b' must be a float32 Tensor [${nCols}, n], got ${describe(b)}`);
  if (b.isDisposed) throw new Error(`${fn}: argument 'b' is a disposed Tensor`);
  if (b.dtype !== 'float32' || b.rank !== 2 || b.shape[0] !== nCols) {
    throw new RangeError(`${fn}: argument 'b' must be a float32 Tensor [${nCols}, n] (its rows matching a.nCols = ${nCols}), got ${describe(b)}`);
  }
  return b;
}

/** dL/d(values) of A · B: for each stored (i, j), dy[i, :] · B[j, :]. */
function valuesGradient(dy: Tensor, b: Tensor, rows: Tensor, indices: Tensor): Tensor {
  return tf.sum(tf.mul(tf.gather(dy, rows), tf.gather(b, indices)), 1);
}

/**
 * A · B for a CSR matrix A [nRows, nCols] and a dense float32 B [nCols, n]: a new [nRows, n]
 * tensor. Differentiable in B and, when `a.data` is a Tensor, in A's stored values. The structure
 * of A is checked first (every offset and column index), so a malformed A fails here with the
 * field named, never in a kernel. log1p of a count matrix, for example, is
 * `{ ...a, data: a.data.map(Math.log1p) }` (log1p(0) = 0: the zeros stay implicit).
 */
export function csrMatMul(a: CsrInput, b: Tensor): Tensor2D {
  const csr = checkCsr(FN, 'a', a);
  checkDense(FN, b, csr.nCols);
  return tf.tidy(() => {
    const data = csr.data instanceof tf.Tensor ? csr.data : tf.tensor1d(csr.data, 'float32');
    const indices = tf.tensor1d(csr.indices, 'int32');
    const indptr = tf.tensor1d(csr.indptr, 'int32');
    const run = () => runArrayKernel(SparseKernel.CsrMatMul, { data, indices, indptr, b }) as Tensor2D;
    if (!tf.engine().isTapeOn()) return run();
    // Only inputs that may be on a differentiated path are tape inputs: B, and A's values when
    // the caller gave them as a Tensor (then B and the row of each value are saved for their
    // gradient; otherwise only the structure and the values, a few nnz-long arrays).
    const withValues = csr.data instanceof tf.Tensor;
    const inputs: Record<string, Tensor> = withValues ? { b, data } : { b };
    return runWithSavedGradients(
      inputs,
      (save) => {
        const y = run();
        save(withValues ? [data, indices, indptr, b, tf.tensor1d(rowOfEntries(csr.indptr, csr.nnz), 'int32')] : [data, indices, indptr]);
        return y;
      },
      (dy, saved) => {
        const [values, cols, offsets, dense, rows] = saved as [Tensor, Tensor, Tensor, Tensor?, Tensor?];
        const thunks: Record<string, () => Tensor> = {
          b: () => runArrayKernel<CsrTransposeMatMulAttrs>(SparseKernel.CsrTransposeMatMul, { data: values, indices: cols, indptr: offsets, dy }, { nCols: csr.nCols }) as Tensor,
        };
        if (dense !== undefined && rows !== undefined) thunks.data = () => valuesGradient(dy, dense, rows, cols);
        return thunks;
      },
    ) as Tensor2D;
  });
}

/** One-hot rows [nnz, depth] of `indices`, as float32 (built directly: depth may be 1). */
function oneHotRows(indices: Int32Array, depth: number): Tensor {
  const hot = new Float32Array(indices.length * depth);
  indices.forEach((j, p) => {
    hot[p * depth + j] = 1;
  });
  return tf.tensor2d(hot, [indices.length, depth]);
}

/**
 * A as a dense [nRows, nCols] tensor (values stored twice in a row summed). With `a.data` a
 * Tensor it is differentiable in the values (written as Rᵀ · (values ⊙ C), R and C the one-hot
 * rows and columns of the stored values: memory nnz · (nRows + nCols), for tests and small
 * matrices); with a Float32Array it is filled directly.
 */
export function csrToDense(a: CsrInput): Tensor2D {
  const csr: CheckedCsr = checkCsr('csrToDense', 'a', a);
  const { nRows, nCols, indptr, indices, data } = csr;
  if (!(data instanceof tf.Tensor)) {
    const dense = new Float32Array(nRows * nCols);
    for (let i = 0; i < nRows; i++) {
      for (let p = indptr[i] as number; p < (indptr[i + 1] as number); p++) {
        const at = i * nCols + (indices[p] as number);
        dense[at] = (dense[at] as number) + (data[p] as number);
      }
    }
    return tf.tensor2d(dense, [nRows, nCols]);
  }
  return tf.tidy(() => {
    // (a product over an inner dimension of 0 is not zero-filled on every backend)
    if (csr.nnz === 0) return tf.add(tf.zeros([nRows, nCols]), tf.sum(data)) as Tensor2D;
    const rows = oneHotRows(rowOfEntries(indptr, csr.nnz), nRows);
    const cols = oneHotRows(indices, nCols);
    return tf.matMul(tf.transpose(rows), tf.mul(tf.expandDims(data, 1), cols)) as Tensor2D;
  });
}

/** A · B with A densified first (csrToDense, then matMul): the reference csrMatMul is tested against. */
export function composedCsrMatMul(a: CsrInput, b: Tensor): Tensor2D {
  const fn = 'composedCsrMatMul';
  checkDense(fn, b, checkCsr(fn, 'a', a).nCols);
  return tf.tidy(() => tf.matMul(csrToDense(a), b));
}
