/**
 * tfjs kernel names of the sparse (CSR) × dense products (prefixed like the special functions).
 * Both take the CSR arrays as inputs data (float32 [nnz]), indices (int32 [nnz], columns) and
 * indptr (int32 [nRows + 1], row offsets).
 */
export const SparseKernel = {
  /** inputs data, indices, indptr, b [nCols, n]; output A · b, [nRows, n] */
  CsrMatMul: 'VitaeCsrMatMul',
  /** inputs data, indices, indptr, dy [nRows, n]; output Aᵀ · dy, [attrs.nCols, n] */
  CsrTransposeMatMul: 'VitaeCsrTransposeMatMul',
} as const;

export type SparseKernelName = (typeof SparseKernel)[keyof typeof SparseKernel];

/** Attributes of CsrTransposeMatMul: the column count of A (the rows of the product). */
export interface CsrTransposeMatMulAttrs {
  nCols: number;
}
