// Matrices: X, layers, obsm / varm / obsp / varp entries. Sparse ones are 'csr_matrix' /
// 'csc_matrix' groups (data, indices, indptr and a 'shape' attribute), or, from anndata before
// 0.7, groups with 'h5sparse_format' / 'h5sparse_shape' attributes; dense ones are 2-D datasets.
import { CscMatrix } from '../matrix/csc.js';
import { CsrMatrix } from '../matrix/csr.js';
import { DenseArray } from '../matrix/dense.js';
import { attr, attrString, checkVersion, encodingOf, isDataset, isGroup, readNumbers, shapeOf, toFloat32, toFloat64, toInt32, valueKind } from './read-values.js';

import type { Entity, Group } from 'h5wasm';
import type { Matrix } from '../matrix/matrix.js';
import type { AnyTypedArray, ReadContext } from './read-values.js';

/**
 * 'expression' (X, layers): integer or float32 values become float32, float64 stays float64 when
 * dense. 'other' (obsm, varm, obsp, varp, uns): float32 stays float32, everything else float64.
 */
export type MatrixRole = 'expression' | 'other';

/** Thrown for elements that are valid AnnData but have no vitae counterpart (callers may skip them). */
export class UnsupportedElement extends Error {}

function shapeAttr(ctx: ReadContext, g: Group, name: string, path: string): [number, number] {
  const v = attr(g, name);
  const values = ArrayBuffer.isView(v) || Array.isArray(v) ? Array.from(v as ArrayLike<number | bigint>, Number) : [];
  if (values.length !== 2 || !values.every((n) => Number.isInteger(n) && n >= 0)) throw ctx.fail(path, `the sparse matrix needs a '${name}' attribute of two non-negative integers, got ${JSON.stringify(values)}`);
  return [values[0] as number, values[1] as number];
}

async function readSparse(ctx: ReadContext, g: Group, format: 'csr' | 'csc', shape: [number, number], path: string): Promise<Matrix> {
  const parts: Record<'data' | 'indices' | 'indptr', AnyTypedArray> = {} as Record<'data' | 'indices' | 'indptr', AnyTypedArray>;
  for (const key of ['data', 'indices', 'indptr'] as const) {
    const ds = g.get(key);
    if (!isDataset(ds)) throw ctx.fail(path, `a sparse matrix group must hold the datasets data, indices and indptr; '${key}' is missing`);
    parts[key] = await readNumbers(ctx, ds, `${path}/${key}`);
  }
  // CSR / CSC hold float32 values; float64 data is rounded (expression values rarely need more).
  const data = toFloat32(parts.data);
  const indices = toInt32(ctx, parts.indices, `${path}/indices`);
  const indptr = toInt32(ctx, parts.indptr, `${path}/indptr`);
  const [nRows, nCols] = shape;
  try {
    return format === 'csr' ? new CsrMatrix({ nRows, nCols, data, indices, indptr }) : new CscMatrix({ nRows, nCols, data, indices, indptr });
  } catch (e) {
    throw ctx.fail(path, (e as Error).message);
  }
}

async function readDense(ctx: ReadContext, e: Entity, role: MatrixRole, path: string): Promise<DenseArray> {
  if (!isDataset(e)) throw ctx.fail(path, 'expected a dataset');
  const shape = shapeOf(ctx, e, path);
  if (shape.length !== 2) throw ctx.fail(path, `a dense matrix must be 2-dimensional, this one has shape [${shape.join(', ')}]`);
  const kind = valueKind(e);
  if (kind === 'string' || kind === 'other') throw new UnsupportedElement(ctx.fail(path, 'a dense array of non-numbers is not supported').message);
  const v = await readNumbers(ctx, e, path);
  const keep32 = v instanceof Float32Array || (role === 'expression' && !(v instanceof Float64Array));
  return new DenseArray(keep32 ? toFloat32(v) : toFloat64(v), shape[0] as number, shape[1] as number);
}

/** The matrix at `path`; UnsupportedElement for valid AnnData elements vitae cannot hold (data frames, awkward arrays, …). */
export async function readMatrix(ctx: ReadContext, e: Entity | null, role: MatrixRole, path: string): Promise<Matrix> {
  if (e === null) throw ctx.fail(path, 'is missing');
  const enc = isGroup(e) || isDataset(e) ? encodingOf(e) : { type: undefined, version: undefined };
  if (isGroup(e)) {
    if (enc.type === 'csr_matrix' || enc.type === 'csc_matrix') {
      checkVersion(ctx, path, enc, ['0.1.0']);
      return readSparse(ctx, e, enc.type === 'csr_matrix' ? 'csr' : 'csc', shapeAttr(ctx, e, 'shape', path), path);
    }
    const legacy = attrString(e, 'h5sparse_format');
    if (enc.type === undefined && (legacy === 'csr' || legacy === 'csc')) return readSparse(ctx, e, legacy, shapeAttr(ctx, e, 'h5sparse_shape', path), path);
    if (enc.type === 'dataframe' || enc.type === 'awkward-array') throw new UnsupportedElement(ctx.fail(path, `encoding-type '${enc.type}' is valid AnnData but has no vitae counterpart`).message);
    throw ctx.fail(path, enc.type === undefined ? 'a group without encoding-type (or h5sparse_format) is not a matrix' : `encoding-type '${enc.type}' is not a matrix encoding vitae knows (csr_matrix, csc_matrix, array)`);
  }
  if (isDataset(e)) {
    if (enc.type !== undefined && enc.type !== 'array') throw ctx.fail(path, `encoding-type '${enc.type}' is not a matrix encoding vitae knows (csr_matrix, csc_matrix, array)`);
    checkVersion(ctx, path, enc, ['0.2.0']);
    return readDense(ctx, e, role, path);
  }
  throw ctx.fail(path, 'is neither a group nor a dataset');
}
