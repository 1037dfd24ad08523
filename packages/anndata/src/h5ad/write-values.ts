// Writing HDF5 datasets and attributes the way h5py / anndata lay them out: numeric arrays
// (chunked and compressed when asked), variable-length UTF-8 strings, scalars, and the
// encoding-type / encoding-version attributes every AnnData element carries.
import { lzfCompressesEveryChunk } from './lzf-estimate.js';
import { LZF_FILTER } from './runtime.js';

import type { Dataset, Group } from 'h5wasm';

export interface WriteSettings {
  compression: 'gzip' | 'lzf' | null;
  /** gzip level 0-9. */
  level: number;
}

/** Numeric data h5wasm writes with the matching HDF5 type. */
export type WritableArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array;

/** Errors about the AnnData being written (bad names, unsupported values), as opposed to HDF5 failures. */
export class WriteInputError extends Error {}

/** LZF needs a few bytes of slack in its output buffer, so tiny chunks fail even when compressible; they gain nothing anyway. */
const LZF_MIN_CHUNK_BYTES = 4096;

/** Target bytes per chunk: large enough that per-chunk overhead is negligible, small enough for partial reads. */
const CHUNK_BYTES = 1 << 20;

function chunksFor(shape: readonly number[], itemSize: number): number[] | null {
  if (shape.length === 0 || shape.some((d) => d === 0)) return null;
  const [rows, cols] = shape as [number, number];
  if (shape.length === 1) return [Math.min(rows, Math.max(1, Math.floor(CHUNK_BYTES / itemSize)))];
  // 2-D: whole rows per chunk (a row of cells × genes or an embedding is read together).
  if (cols * itemSize >= CHUNK_BYTES) return [1, Math.max(1, Math.floor(CHUNK_BYTES / itemSize)), ...shape.slice(2)];
  return [Math.min(rows, Math.floor(CHUNK_BYTES / (cols * itemSize))), cols, ...shape.slice(2)];
}

/** Throws unless `name` can be an HDF5 link name (non-empty, no '/', not '.'). */
export function checkName(name: string, where: string): void {
  if (typeof name !== 'string' || name === '' || name === '.' || name.includes('/')) {
    throw new WriteInputError(`writeH5ad: ${where}: the name ${JSON.stringify(name)} cannot be stored in HDF5 (it must be non-empty, not '.', and contain no '/')`);
  }
}

export function setEncoding(obj: Group | Dataset, type: string, version: string): void {
  obj.create_attribute('encoding-type', type);
  obj.create_attribute('encoding-version', version);
}

/** A string-array attribute; an empty one is written as an empty float64 array, as h5py does for an empty list. */
export function setStringsAttr(obj: Group | Dataset, name: string, values: readonly string[]): void {
  if (values.length === 0) obj.create_attribute(name, new Float64Array(0), [0]);
  else obj.create_attribute(name, [...values], [values.length], 'S');
}

/**
 * A numeric dataset of `shape` (row-major values), chunked and compressed per `settings`. With
 * LZF, a dataset with a chunk LZF would not clearly shrink is stored uncompressed (see
 * lzf-estimate.ts); whole-row chunks are contiguous in the row-major values, which the estimate
 * relies on.
 */
export function writeArray(g: Group, name: string, values: WritableArray, shape: readonly number[], settings: WriteSettings): Dataset {
  const chunks = settings.compression === null ? null : chunksFor(shape, values.BYTES_PER_ELEMENT);
  if (chunks === null) return g.create_dataset({ name, data: values, shape: [...shape] });
  if (settings.compression === 'gzip') return g.create_dataset({ name, data: values, shape: [...shape], chunks, compression: 'gzip', compression_opts: settings.level });
  const wholeRows = chunks.length === 1 || chunks[1] === shape[1];
  const chunkBytes = chunks.reduce((p, c) => p * c, values.BYTES_PER_ELEMENT);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (!wholeRows || chunkBytes < LZF_MIN_CHUNK_BYTES || !lzfCompressesEveryChunk(bytes, chunkBytes)) return g.create_dataset({ name, data: values, shape: [...shape] });
  return g.create_dataset({ name, data: values, shape: [...shape], chunks, compression: LZF_FILTER, compression_opts: [] });
}

/**
 * A 1-D variable-length UTF-8 string dataset (anndata's 'string-array'). HDF5 filters would only
 * compress the heap pointers of variable-length strings, so these are never compressed (h5wasm
 * refuses to anyway).
 */
export function writeStrings(g: Group, name: string, values: readonly string[]): Dataset {
  const ds = g.create_dataset({ name, data: [...values], shape: [values.length], dtype: 'S' });
  setEncoding(ds, 'string-array', '0.2.0');
  return ds;
}

/** A 0-dimensional variable-length UTF-8 string (anndata's 'string'). */
export function writeScalarString(g: Group, name: string, value: string): Dataset {
  const ds = g.create_dataset({ name, data: value, shape: [], dtype: 'S' });
  setEncoding(ds, 'string', '0.2.0');
  return ds;
}

/** A 0-dimensional number (anndata's 'numeric-scalar'): safe integers as int64, others as float64. */
export function writeScalarNumber(g: Group, name: string, value: number): Dataset {
  const data = Number.isSafeInteger(value) ? new BigInt64Array([BigInt(value)]) : new Float64Array([value]);
  const ds = g.create_dataset({ name, data, shape: [] });
  setEncoding(ds, 'numeric-scalar', '0.2.0');
  return ds;
}
