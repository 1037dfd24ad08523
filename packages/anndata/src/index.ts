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

// 10x mtx and CSV text formats
export { read10xMtx } from './tenx/mtx.js';
export type { Read10xMtxOptions, TenxMtxFiles } from './tenx/mtx.js';
export { readCsv } from './text/csv.js';
export type { CsvInput, ReadCsvOptions } from './text/csv.js';
export type { ByteSource } from './text/source.js';

// .h5ad and 10x HDF5
export { readH5ad } from './h5ad/read-h5ad.js';
export type { ReadH5adOptions } from './h5ad/read-h5ad.js';
export { writeH5ad } from './h5ad/write-h5ad.js';
export type { WriteH5adOptions } from './h5ad/write-h5ad.js';
export type { H5Input } from './h5ad/input.js';
export { read10xH5 } from './tenx/h5.js';
export type { Read10xH5Options } from './tenx/h5.js';
