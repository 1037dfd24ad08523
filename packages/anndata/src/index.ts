// @vitae/anndata: single-cell data in memory and on disk. Explicit exports, by topic.

// Matrices: sparse CSR / CSC and dense
export { CsrMatrix, checkCompressed } from './matrix/csr.js';
export type { CsrParts } from './matrix/csr.js';
export { CscMatrix } from './matrix/csc.js';
export { DenseArray } from './matrix/dense.js';
export { isMatrix, stackRows, subsetMatrix, toCsr, toDenseValues } from './matrix/matrix.js';
export type { Matrix } from './matrix/matrix.js';
export { indexList } from './matrix/selection.js';
export type { Selection } from './matrix/selection.js';

// Annotations
export { Categorical } from './frame/categorical.js';
export { DataFrame, columnKind } from './frame/data-frame.js';
export type { Column, NumericColumn } from './frame/data-frame.js';

// AnnData
export { AnnData } from './anndata.js';
export type { AnnDataInit, UnsValue } from './anndata.js';
