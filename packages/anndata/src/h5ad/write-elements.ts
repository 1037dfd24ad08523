// AnnData elements in the anndata >= 0.8 layout: data frames (dataframe 0.2.0), categoricals
// (categorical 0.2.0), matrices (csr_matrix / csc_matrix 0.1.0, array 0.2.0) and uns mappings
// (dict 0.1.0 of string / numeric-scalar / string-array / array / matrices).
//
// h5wasm cannot create HDF5 enum types, which is how h5py stores numpy booleans, so booleans are
// written as uint8 0 / 1 marked with a 'vitae-kind' = 'bool' attribute that vitae reads back and
// Python ignores (it sees uint8). For the same reason a string column with missing values becomes
// a categorical (missing = code -1, as anndata's strings_to_categoricals would do) marked
// 'vitae-kind' = 'string': 'nullable-string-array' needs a boolean mask.
import { AnnData } from '../anndata.js';
import { Categorical } from '../frame/categorical.js';
import { DataFrame } from '../frame/data-frame.js';
import { CscMatrix } from '../matrix/csc.js';
import { CsrMatrix } from '../matrix/csr.js';
import { DenseArray } from '../matrix/dense.js';
import { isMatrix } from '../matrix/matrix.js';
import { VITAE_KIND } from './read-values.js';
import { WriteInputError, checkName, setEncoding, setStringsAttr, writeArray, writeScalarNumber, writeScalarString, writeStrings } from './write-values.js';

import type { Group } from 'h5wasm';
import type { UnsValue } from '../anndata.js';
import type { Column } from '../frame/data-frame.js';
import type { Matrix } from '../matrix/matrix.js';
import type { WritableArray, WriteSettings } from './write-values.js';

function fail(path: string, message: string): WriteInputError {
  return new WriteInputError(`writeH5ad: ${path}: ${message}`);
}

function codesFor(c: Categorical): Int8Array | Int16Array | Int32Array {
  // pandas' choice: the narrowest signed type that holds every code and -1.
  if (c.categories.length < 128) return Int8Array.from(c.codes);
  if (c.categories.length < 32768) return Int16Array.from(c.codes);
  return c.codes;
}

function writeCategorical(g: Group, name: string, c: Categorical, settings: WriteSettings, kind?: 'string'): void {
  const cg = g.create_group(name);
  setEncoding(cg, 'categorical', '0.2.0');
  // anndata reads 'ordered' with bool(); an int8 0 / 1 serves where h5py would write an enum.
  cg.create_attribute('ordered', new Int8Array([c.ordered ? 1 : 0]), []);
  if (kind !== undefined) cg.create_attribute(VITAE_KIND, kind);
  const codes = codesFor(c);
  const ds = writeArray(cg, 'codes', codes, [codes.length], settings);
  setEncoding(ds, 'array', '0.2.0');
  writeStrings(cg, 'categories', c.categories);
}

function writeBooleans(g: Group, name: string, values: readonly boolean[], shape: number[], settings: WriteSettings, encoding: 'array' | 'numeric-scalar'): void {
  const ds = writeArray(g, name, Uint8Array.from(values, (v) => (v ? 1 : 0)), shape, settings);
  setEncoding(ds, encoding, '0.2.0');
  ds.create_attribute(VITAE_KIND, 'bool');
}

const NUMERIC_COLUMNS = [Float64Array, Float32Array, Int32Array, Int16Array, Int8Array, Uint32Array, Uint16Array, Uint8Array, BigInt64Array];

function writeColumn(g: Group, name: string, column: Column, settings: WriteSettings, path: string): void {
  if (column instanceof Categorical) return writeCategorical(g, name, column, settings);
  if (ArrayBuffer.isView(column)) {
    if (!NUMERIC_COLUMNS.some((T) => column instanceof T)) throw fail(path, `a numeric column must be one of ${NUMERIC_COLUMNS.map((T) => T.name).join(', ')}, got ${(column as object).constructor.name}`);
    const ds = writeArray(g, name, column as WritableArray, [column.length], settings);
    setEncoding(ds, 'array', '0.2.0');
    return;
  }
  const values = column as readonly unknown[];
  if (values.length > 0 && values.every((v) => typeof v === 'boolean')) return writeBooleans(g, name, values as boolean[], [values.length], settings, 'array');
  const bad = values.findIndex((v) => typeof v !== 'string' && v !== null);
  if (bad >= 0) throw fail(path, `a column must hold only strings (null = missing) or only booleans, got ${JSON.stringify(values[bad]) ?? String(values[bad])} at row ${bad}`);
  const strings = values as readonly (string | null)[];
  if (strings.includes(null)) return writeCategorical(g, name, Categorical.fromValues(strings), settings, 'string');
  writeStrings(g, name, strings as readonly string[]);
}

function sameStrings(index: readonly string[], column: Column): boolean {
  const values = column instanceof Categorical ? column.values() : Array.from(column as ArrayLike<unknown>);
  return values.length === index.length && values.every((v, i) => v === index[i]);
}

export function writeFrame(parent: Group, name: string, df: DataFrame, settings: WriteSettings, path: string): void {
  if (!(df instanceof DataFrame)) throw fail(path, `expected a DataFrame, got ${typeof df}`);
  const columns = df.columnNames;
  for (const c of columns) checkName(c, `${path} column`);
  if (columns.includes('_index')) throw fail(path, "'_index' is reserved for the index and cannot name a column");
  const indexKey = df.indexName ?? '_index';
  checkName(indexKey, `${path} index name`);
  // anndata allows a column named like the index only when it holds the index (written once, as the column).
  const indexIsColumn = df.has(indexKey);
  if (indexIsColumn && !sameStrings(df.index, df.get(indexKey))) throw fail(path, `the index name '${indexKey}' is also a column with different values; rename one of them`);
  const g = parent.create_group(name);
  g.create_attribute('_index', indexKey);
  setStringsAttr(g, 'column-order', columns);
  setEncoding(g, 'dataframe', '0.2.0');
  if (!indexIsColumn) writeStrings(g, indexKey, df.index);
  for (const c of columns) writeColumn(g, c, df.get(c), settings, `${path}/${c}`);
}

export function writeMatrix(parent: Group, name: string, m: Matrix, settings: WriteSettings, path: string): void {
  if (m instanceof CsrMatrix || m instanceof CscMatrix) {
    const g = parent.create_group(name);
    setEncoding(g, m instanceof CsrMatrix ? 'csr_matrix' : 'csc_matrix', '0.1.0');
    g.create_attribute('shape', new BigInt64Array([BigInt(m.nRows), BigInt(m.nCols)]));
    writeArray(g, 'data', m.data, [m.data.length], settings);
    writeArray(g, 'indices', m.indices, [m.indices.length], settings);
    writeArray(g, 'indptr', m.indptr, [m.indptr.length], settings);
    return;
  }
  if (m instanceof DenseArray) {
    const ds = writeArray(parent, name, m.values, [m.nRows, m.nCols], settings);
    setEncoding(ds, 'array', '0.2.0');
    return;
  }
  throw fail(path, 'expected a CsrMatrix, CscMatrix or DenseArray');
}

function writeUnsValue(g: Group, key: string, v: UnsValue, settings: WriteSettings, path: string): void {
  checkName(key, `${path.slice(0, path.lastIndexOf('/'))} key`);
  if (typeof v === 'string') writeScalarString(g, key, v);
  else if (typeof v === 'number') writeScalarNumber(g, key, v);
  else if (typeof v === 'boolean') writeBooleans(g, key, [v], [], settings, 'numeric-scalar');
  else if (isMatrix(v)) writeMatrix(g, key, v, settings, path);
  else if (ArrayBuffer.isView(v)) {
    if (!(v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array || v instanceof BigInt64Array || v instanceof Uint8Array)) throw fail(path, `typed arrays in uns must be Float64Array, Float32Array, Int32Array, BigInt64Array or Uint8Array, got ${(v as object).constructor.name}`);
    setEncoding(writeArray(g, key, v, [v.length], settings), 'array', '0.2.0');
  } else if (Array.isArray(v)) {
    const list = v as readonly unknown[];
    if (list.every((x) => typeof x === 'string')) writeStrings(g, key, list as string[]);
    else if (list.every((x) => typeof x === 'number')) setEncoding(writeArray(g, key, Float64Array.from(list as number[]), [list.length], settings), 'array', '0.2.0');
    else throw fail(path, 'an array in uns must hold only strings or only numbers');
  } else if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) writeUns(g, key, v as Record<string, UnsValue>, settings, path);
  else throw fail(path, `uns values must be strings, numbers, booleans, arrays, typed arrays, matrices or plain objects, got ${v === null ? 'null' : typeof v === 'object' ? (v as object).constructor.name : typeof v}`);
}

export function writeUns(parent: Group, name: string, uns: Record<string, UnsValue>, settings: WriteSettings, path: string): void {
  const g = parent.create_group(name);
  setEncoding(g, 'dict', '0.1.0');
  for (const [k, v] of Object.entries(uns)) writeUnsValue(g, k, v, settings, `${path}/${k}`);
}

/** The whole AnnData into the root group of a freshly created file. */
export function writeAnnData(root: Group, adata: AnnData, settings: WriteSettings): void {
  if (!(adata instanceof AnnData)) throw new WriteInputError(`writeH5ad: adata must be an AnnData, got ${typeof adata}`);
  setEncoding(root, 'anndata', '0.1.0');
  if (adata.X !== undefined) writeMatrix(root, 'X', adata.X, settings, '/X');
  writeFrame(root, 'obs', adata.obs, settings, '/obs');
  writeFrame(root, 'var', adata.var, settings, '/var');
  for (const key of ['layers', 'obsm', 'varm', 'obsp', 'varp'] as const) {
    const g = root.create_group(key);
    setEncoding(g, 'dict', '0.1.0');
    for (const [name, m] of Object.entries(adata[key])) {
      checkName(name, `/${key} key`);
      writeMatrix(g, name, m, settings, `/${key}/${name}`);
    }
  }
  writeUns(root, 'uns', adata.uns, settings, '/uns');
}
